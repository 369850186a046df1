import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { runStudyObject } from '../../run/run-study.js';
import { graphPhaseFromFlags } from '../../cli/commands/bench-graph.js';
import { fitPowerLaw } from './benchmark.js';
import { GraphOptions, graphPhase } from './index.js';

describe('graph phase', () => {
  it('has defaults that keep the default study short, and needs no cluster', () => {
    const o = GraphOptions.parse({});
    expect(o.sizes).toEqual([5, 15, 30, 100, 1000]);
    expect(graphPhase.plan(o, { baseDir: '.', runId: 'x' }).needsCluster).toBe(false);
    expect(GraphOptions.safeParse({ shape: 'blob' }).success).toBe(false);
  });

  it('fits a power law', () => {
    const xs = [10, 100, 1000];
    expect(
      fitPowerLaw(
        xs,
        xs.map((x) => 3 * x),
      ).exponent,
    ).toBeCloseTo(1, 5);
    expect(
      fitPowerLaw(
        xs,
        xs.map((x) => x * x),
      ).exponent,
    ).toBeCloseTo(2, 5);
  });

  it('runs as a one-phase study: sizes, exponent and a nodes sweep', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kubeperf-graph-'));
    const phase = { ...graphPhaseFromFlags({ sizes: '5,30,200', budgetMs: '5' }) };
    const outcome = await runStudyObject(
      { name: 'bench-graph', phases: [phase] },
      { source: 'test', out, log: silentLogger },
    );
    const p = outcome.results.phases[0]!;
    expect(p.status).toBe('ok');
    const data = p.data as { sizes: Record<string, number>[]; exponent: number; exponentR2: number };
    expect(data.sizes.map((s) => [s.nodes, s.edges])).toEqual([
      [5, 7],
      [30, 57],
      [200, 397],
    ]);
    for (const s of data.sizes) {
      for (const k of [
        'buildMs',
        'topoSortUs',
        'traversalOpsPerSec',
        'pathFindingOpsPerSec',
        'bytesPerNode',
      ]) {
        expect(s[k]).toBeGreaterThan(0);
      }
    }
    expect(data.exponent).toBeGreaterThan(0);
    expect(p.sweeps![0]!.parameter).toBe('nodes');
    expect(p.sweeps![0]!.points.map((x) => x.x)).toEqual([5, 30, 200]);
    expect(Object.keys(p.sweeps![0]!.points[0]!.metrics)).toEqual([
      'buildMs',
      'topoSortUs',
      'traversalOpsPerSec',
      'pathFindingOpsPerSec',
      'bytesPerNode',
    ]);
  }, 60_000);
});
