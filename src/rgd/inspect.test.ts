import { describe, expect, it } from 'vitest';
import { compileRgdFile, readYamlDocuments } from './load.js';
import { inspectDocument, toMermaid } from './inspect.js';
import { generateRgd } from './generate.js';
import { buildSampleWorld, sampleInstance } from './sample.js';

const example = (name: string) => new URL(`../../examples/rgd/${name}`, import.meta.url).pathname;
const doc = (name: string) => readYamlDocuments(example(name))[0]!.value;

describe('rgd inspect', () => {
  it('reports the webapp graph, kro apply orders and measured expression costs', () => {
    const r = inspectDocument(doc('webapp.yaml'), { measureBudgetMs: 50 });
    expect(r.valid).toBe(true);
    expect(r.topologicalOrder).toEqual(['deployment', 'service', 'ingress']);
    expect(r.deletionLayers).toEqual([['ingress'], ['service'], ['deployment']]);
    expect(r.depth).toBe(3);
    expect(r.resources.map((x) => [x.id, x.dependencies, x.applyOrder, x.fanIn, x.fanOut])).toEqual([
      ['deployment', [], 1, 0, 2],
      ['service', ['deployment'], 2, 1, 1],
      ['ingress', ['deployment', 'service'], 3, 2, 0],
    ]);
    const replicas = r.expressions.find((e) => e.path === 'spec.replicas')!;
    expect(replicas).toMatchObject({
      resource: 'deployment',
      expression: 'schema.spec.replicas',
      complexity: 'simple',
    });
    expect(replicas.evalNs).toBeGreaterThan(0);
    expect(r.advice.some((a) => a.resource === 'service' && /no readyWhen/.test(a.message))).toBe(true);
    expect(toMermaid(r)).toContain('deployment --> service');
    // ingress.enabled defaults to false: kro skips the ingress, and the status url that reads it
    expect(r.resources[2]!.skippedInSample).toBe(true);
    expect(r.expressions.find((e) => e.path === 'status.url')!.skipped).toBe(
      'ingress is skipped by includeWhen for the sample instance',
    );
    const enabled = inspectDocument(doc('webapp.yaml'), {
      measure: false,
      instanceSpec: { name: 'x', ingress: { enabled: true } },
    });
    expect(enabled.resources[2]!.skippedInSample).toBeUndefined();
  });

  it('reports an invalid RGD with kro message and no graph', () => {
    const bad = structuredClone(doc('webapp.yaml')) as { spec: { resources: { id: string }[] } };
    bad.spec.resources[1]!.id = 'my-service';
    const r = inspectDocument(bad);
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual([
      'failed to validate resourcegraphdefinition: naming convention violation: id my-service is not a valid KRO resource id: must be lower camelCase',
    ]);
  });

  it('expands forEach as a cartesian product, first dimension outermost', () => {
    const [rgd] = compileRgdFile(example('collections.yaml'));
    const world = buildSampleWorld(rgd!, sampleInstance(rgd!));
    const names = (world.activation.configs as { metadata: { name: string } }[]).map((c) => c.metadata.name);
    expect(names).toEqual([
      'fleet-web-eu',
      'fleet-web-us',
      'fleet-api-eu',
      'fleet-api-us',
      'fleet-worker-eu',
      'fleet-worker-us',
    ]);
    expect(world.collectionSizes.configs).toBe(6);
    const r = inspectDocument(doc('collections.yaml'), { measure: false });
    expect(r.resources[0]!.collection).toEqual({ dimensions: ['tier', 'region'], sampleSize: 6 });
    expect(r.advice.some((a) => /nested quantifiers cost O\(n²\)/.test(a.message))).toBe(true);
    expect(r.expressions.find((e) => e.path === 'data.names')!.pending).toBeUndefined();
  });

  it('uses --instance values and flags oversized collections', () => {
    const big = Array.from({ length: 40 }, (_, i) => `t${i}`);
    const r = inspectDocument(doc('collections.yaml'), {
      measure: false,
      instanceSpec: { tiers: big, regions: ['a', 'b', 'c'] },
    });
    expect(r.resources[0]!.collection!.sampleSize).toBe(120);
    expect(r.advice.some((a) => a.severity === 'warning' && /forEach product of 120/.test(a.message))).toBe(
      true,
    );
  });

  it('warns about string templates at non-string fields and deep chains', () => {
    const chain = Array.from({ length: 6 }, (_, i) => ({
      id: `r${i}`,
      template: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: i === 0 ? 'root' : `\${r${i - 1}.metadata.name}-x` },
        spec: { replicas: '${string(schema.spec.n)} ' },
      },
    }));
    const r = inspectDocument(
      {
        apiVersion: 'kro.run/v1alpha1',
        kind: 'ResourceGraphDefinition',
        metadata: { name: 'chain' },
        spec: {
          schema: { apiVersion: 'v1alpha1', kind: 'Chain', spec: { n: 'integer | default=1' } },
          resources: chain,
        },
      },
      { measure: false },
    );
    expect(r.depth).toBe(6);
    expect(r.criticalPath).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    expect(r.advice.some((a) => /dependency chain of depth 6/.test(a.message))).toBe(true);
    expect(
      r.advice.some((a) => /string template .* at a field that is usually not a string/.test(a.message)),
    ).toBe(true);
  });

  it('collapses repeated advice of one rule', () => {
    const r = inspectDocument(generateRgd({ resources: 30, complexity: 'very-complex', seed: 2 }), {
      measure: false,
    });
    const nested = r.advice.filter((a) => a.rule === 'nested-quantifier');
    expect(nested).toHaveLength(6);
    expect(nested[5]!.message).toBe('… and 25 more like this (nested-quantifier)');
  });

  it('marks status reads of unobserved fields as pending instead of inventing data', () => {
    const r = inspectDocument(doc('webapp.yaml'), { measure: false });
    const ready = r.expressions.find((e) => e.kind === 'readyWhen')!;
    expect(ready.pending).toBeUndefined(); // uses .? so it evaluates to false on an empty status
    const defaults = inspectDocument(doc('defaults.yaml'), { measure: false });
    expect(defaults.valid).toBe(true);
    expect(defaults.resources).toEqual([]);
  });
});
