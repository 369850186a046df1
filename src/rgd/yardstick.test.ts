/**
 * kro's own examples as the yardstick for `rgd inspect`: kubeperf's fixtures modelled on them
 * (src/rgd/fixtures, examples/rgd). Every RGD kro accepts must be valid here, with no expression left
 * unchecked and no evaluation error other than data kro would wait for (status not yet written).
 * kro's originals are outside the repository: `npx tsx scripts/kro-yardstick.ts DIR...` checks them.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/test-support.js';
import { inspectDocument } from './inspect.js';
import { readYamlDocuments } from './load.js';
import { rgdProblems as problems } from './yardstick.js';
import { buildSampleWorld, sampleInstance } from './sample.js';
import { compileRgdFile } from './load.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;
describe("kro's examples pass rgd inspect", () => {
  it('kubeperf fixtures modelled on them: valid, every expression checked', () => {
    const files = [
      fixture('cel-functions.yaml'),
      fixture('duplicate-key.yaml'),
      'examples/rgd/kubernetes-cel.yaml',
    ];
    expect(files.flatMap(problems)).toEqual([]);
  });

  it('evaluates the library calls kro evaluates (cel-functions example)', () => {
    const [rgd] = compileRgdFile(fixture('cel-functions.yaml'));
    const world = buildSampleWorld(rgd!, sampleInstance(rgd!, { name: 'demo' }));
    const app = world.activation.app as {
      spec: { template: { spec: { containers: { env: { name: string; value: string }[] }[] } } };
    };
    const env = Object.fromEntries(app.spec.template.spec.containers[0]!.env.map((x) => [x.name, x.value]));
    expect(env).toMatchObject({
      HOST: 'api',
      PARENT: 'eu.example.org',
      TOTAL: '60',
      FROM_JSON: 'v',
      TO_JSON: '{"name":"demo"}',
      SIZE_CLASS: 'small',
    });
    expect(env.SUFFIX).toMatch(/^[0-9a-z]{8}$/);
    expect(world.failures).toEqual([]);
  });

  it('evaluates url, ip/cidr, semver, quantity, two-variable comprehensions and custom conditions', () => {
    const [rgd] = compileRgdFile('examples/rgd/kubernetes-cel.yaml');
    const world = buildSampleWorld(rgd!, sampleInstance(rgd!));
    expect((world.activation.config as { data: Record<string, string> }).data).toEqual({
      host: 'api.example.org',
      port: '8443',
      region: 'eu',
      clientAllowed: 'true',
      network: '10.0.0.0/8',
      minor: '29',
      recent: 'true',
      memoryTier: 'large',
      majorDigits: '1',
      portList: 'http=80,https=443',
      allPrivileged: 'true',
    });
    const cond = rgd!.status.find((s) => s.kind === 'condition')!;
    expect(cond.program.evaluate(world.activation)).toMatchObject({
      type: 'InRange',
      status: 'True',
      reason: 'Checked',
    });
  });

  it('accepts a duplicate YAML key as kubectl does, with a warning naming the line', () => {
    const r = inspectDocument(readYamlDocuments(fixture('duplicate-key.yaml'))[0]!.value, {
      measure: false,
      documentWarnings: readYamlDocuments(fixture('duplicate-key.yaml'))[0]!.warnings,
    });
    expect(r.valid).toBe(true);
    expect(r.warnings).toEqual([
      `${fixture('duplicate-key.yaml')}:25:11: duplicate key "selector": the last value wins, as kubectl's YAML-to-JSON conversion does`,
    ]);
  });
});

describe("rgd inspect says plainly what is kubeperf's limitation (real CLI)", () => {
  it('unchecked expressions are warnings with exit 0, listed in --json', async () => {
    const text = await runCli(['rgd', 'inspect', fixture('unsupported.yaml')]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain("2 expression(s) not checked — kubeperf's limitation, not kro's verdict:");
    expect(text.stdout).toContain(
      'config.data.dropped: kubeperf does not support CEL function omit() yet; kro would accept and evaluate it',
    );
    const json = await runCli(['rgd', 'inspect', fixture('unsupported.yaml'), '--json']);
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout) as {
      valid: boolean;
      unchecked: { path: string }[];
      errors: string[];
    };
    expect(report.valid).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.unchecked.map((u) => u.path)).toEqual(['data.names', 'data.dropped']);
  });

  it('what kro rejects is still an error with exit 2 (an unknown function is not a kubeperf gap)', async () => {
    const r = await runCli([
      'rgd',
      'inspect',
      fixture('cel-functions.yaml').replace('cel-functions', 'unknown-function'),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('uses unknown functions: [frobnicate]');
    expect(r.stderr).toContain('kro would report');
  });
});
