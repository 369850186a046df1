import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultsSchema } from '../../results/types.js';
import { runCli } from '../test-support.js';

describe('kubeperf rgd / bench cel|graph (real CLI process)', () => {
  it('rgd inspect --json prints the report shape', async () => {
    const r = await runCli(['rgd', 'inspect', 'examples/rgd/webapp.yaml', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ kind: 'ResourceGraphDefinition', depth: 3, warnings: [], errors: [] });
    expect(j.topologicalOrder).toEqual(['deployment', 'service', 'ingress']);
    expect(j.resources[1]).toMatchObject({ id: 'service', kind: 'Service', dependencies: ['deployment'] });
    expect(j.expressions[0]).toHaveProperty('evalNs');
    expect(j.deletionLayers).toEqual([['ingress'], ['service'], ['deployment']]);
  });

  it('an invalid RGD prints kro error with FILE:LINE:COL and exits 2, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeperf-rgd-'));
    const f = join(dir, 'bad.yaml');
    writeFileSync(
      f,
      readFileSync('examples/rgd/webapp.yaml', 'utf8').replace(
        'id: service',
        'id: service\n      externalRef: {apiVersion: v1, kind: Service, metadata: {name: x}}',
      ),
    );
    const r = await runCli(['rgd', 'inspect', f]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${f}:`);
    expect(r.stderr).toContain('resource "service": cannot use externalRef with template');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('rgd inspect --mermaid prints a flowchart', async () => {
    const r = await runCli(['rgd', 'inspect', 'examples/rgd/webapp.yaml', '--mermaid']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('flowchart TD');
    expect(r.stdout).toContain('service --> ingress');
  });

  it('rgd generate -o writes a deterministic RGD that rgd inspect accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeperf-rgd-'));
    const a = join(dir, 'a.yaml');
    const args = [
      'rgd',
      'generate',
      '--resources',
      '12',
      '--shape',
      'layered',
      '--complexity',
      'complex',
      '--seed',
      '9',
    ];
    expect((await runCli([...args, '-o', a])).status).toBe(0);
    expect((await runCli(args)).stdout).toBe(readFileSync(a, 'utf8'));
    const r = await runCli(['rgd', 'inspect', a, '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).resources).toHaveLength(12);
    expect((await runCli(['rgd', 'generate', '--complexity', 'extreme'])).status).toBe(2);
  });

  it('bench cel --json and bench graph --json print results.json, the same shape as run --json', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kubeperf-bench-'));
    const cel = await runCli(['bench', 'cel', '--json', '--budget-ms', '5', '--out', join(out, 'cel')]);
    expect(cel.status).toBe(0);
    const celResults = ResultsSchema.parse(JSON.parse(cel.stdout));
    expect(celResults).toEqual(JSON.parse(readFileSync(join(out, 'cel', 'results.json'), 'utf8')));
    const c = celResults.phases[0]!.data as { expressions: Record<string, unknown>[] };
    expect(c.expressions).toHaveLength(5);
    expect(Object.keys(c.expressions[0])).toEqual(
      expect.arrayContaining([
        'name',
        'expression',
        'complexity',
        'compileUs',
        'evalNs',
        'evalNsP95',
        'evalsPerSec',
        'bytesPerProgram',
      ]),
    );
    const graph = await runCli([
      'bench',
      'graph',
      '--json',
      '--sizes',
      '5,50',
      '--budget-ms',
      '5',
      '--out',
      join(out, 'graph'),
    ]);
    expect(graph.status).toBe(0);
    const g = ResultsSchema.parse(JSON.parse(graph.stdout)).phases[0]!.data as {
      sizes: { nodes: number }[];
      exponent: unknown;
    };
    expect(g.sizes.map((s) => s.nodes)).toEqual([5, 50]);
    expect(typeof g.exponent).toBe('number');
    expect(JSON.parse(readFileSync(join(out, 'graph', 'results.json'), 'utf8')).phases[0].type).toBe('graph');
  }, 120_000);

  it('bench cel shows expression names whole (rgd:resource.path), not cut from the left', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kubeperf-bench-'));
    const r = await runCli([
      'bench',
      'cel',
      '--rgd',
      'examples/rgd/webapp.yaml',
      '--budget-ms',
      '2',
      '--out',
      out,
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'webapp.kro.run:deployment.spec.template.spec.containers[0].ports[0].containerPort ',
    );
    expect(r.stdout).not.toContain('…');
  });
});
