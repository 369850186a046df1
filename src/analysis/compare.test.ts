import { describe, expect, it } from 'vitest';
import { compareRuns } from './compare.js';
import { trend } from './trend.js';
import { celPhase, crudPhase, makeResults } from './test-fixtures.js';

const run = (seed: number, scale = 1, startedAt = '2026-11-22T10:00:00.000Z') => ({
  label: `run-${seed}`,
  results: makeResults([crudPhase({ seed, scale, ops: ['create', 'get'], seconds: 8, rate: 80 })], {
    startedAt,
  }),
});

describe('compareRuns', () => {
  it('calls two runs from the same distribution unchanged in ≥ 95% of seeded trials', () => {
    let unchanged = 0;
    const trials = 40;
    for (let i = 0; i < trials; i++) {
      const c = compareRuns(run(1000 + i), run(5000 + i));
      if (c.verdict === 'unchanged') unchanged++;
    }
    expect(unchanged / trials).toBeGreaterThanOrEqual(0.95);
  });

  it('calls a 20% slower candidate regressed, with significance evidence', () => {
    const c = compareRuns(run(1), run(2, 1.2));
    expect(c.verdict).toBe('regressed');
    const p50 = c.metrics.find((m) => m.key === 'crud/create.p50')!;
    expect(p50.status).toBe('regressed');
    expect(p50.deltaPct!).toBeGreaterThan(10);
    expect(p50.method).toBe('mann-whitney-windows');
    expect(p50.p!).toBeLessThan(0.05);
  });

  it('calls a 20% faster candidate improved', () => {
    expect(compareRuns(run(1), run(2, 0.8)).verdict).toBe('improved');
  });

  it('reports a change beyond tolerance without significance as noise, not regression', () => {
    // Two windows per run: too few for a test of the windows; HDR CIs of 30 values are wide.
    const tiny = (seed: number, scale: number) => ({
      label: 't',
      results: makeResults([crudPhase({ seed, scale, ops: ['create'], seconds: 2, rate: 15 })]),
    });
    const c = compareRuns(tiny(1, 1), tiny(2, 1.12));
    const statuses = new Set(c.metrics.filter((m) => m.metric.startsWith('create.p')).map((m) => m.status));
    expect(statuses.has('regressed')).toBe(false);
  });

  it('warns about different phase sets and tool versions and compares what matches', () => {
    const base = makeResults([crudPhase({ ops: ['create'] }), celPhase()]);
    const cand = makeResults([crudPhase({ ops: ['create'], seed: 4 })], {
      tool: { name: 'kubeperf', version: '0.2.0' },
    });
    const c = compareRuns({ label: 'a', results: base }, { label: 'b', results: cand });
    expect(c.warnings.join('\n')).toMatch(/tool versions differ \(0\.1\.0 vs 0\.2\.0\)/);
    expect(c.warnings.join('\n')).toMatch(/only in baseline: cel/);
    expect(c.metrics.every((m) => m.phase === 'crud')).toBe(true);
  });

  it('treats CEL cost changes as untested (single value per run)', () => {
    const c = compareRuns(
      { label: 'a', results: makeResults([celPhase(1)]) },
      { label: 'b', results: makeResults([celPhase(1.5)]) },
    );
    expect(c.metrics.find((m) => m.metric === 'cel.pairwise-unique.evalNs')).toMatchObject({
      status: 'untested',
    });
    expect(c.verdict).toBe('unchanged');
  });
});

describe('compareRuns with repeats', () => {
  const repeated = (seed: number, scale: number) => {
    const phase = crudPhase({ seed, scale, ops: ['create'], seconds: 3, rate: 60 });
    const repeats = [0, 1, 2, 3, 4].map((i) => ({
      ops: crudPhase({ seed: seed * 10 + i, scale, ops: ['create'], seconds: 3, rate: 60 }).ops,
    }));
    return { label: `r${seed}`, results: makeResults([{ ...phase, repeats }]) };
  };

  it('tests significance over the repeats when both runs have enough', () => {
    const c = compareRuns(repeated(1, 1), repeated(2, 1.3));
    const p50 = c.metrics.find((m) => m.key === 'crud/create.p50')!;
    expect(p50).toMatchObject({ method: 'mann-whitney-repeats', status: 'regressed' });
    expect(p50.note).toContain('5+5 repeats');
  });
});

describe('compareRuns over sweeps', () => {
  const swept = (seed: number, scaleAt8: number) => {
    const point = (x: number, scale: number) => ({
      x,
      metrics: {},
      ops: crudPhase({ seed: seed + x, scale, ops: ['create'], seconds: 6, rate: 60 }).ops,
    });
    const phase = crudPhase({ seed, ops: ['create'], seconds: 2 });
    return {
      label: `s${seed}`,
      results: makeResults([
        { ...phase, sweeps: [{ parameter: 'concurrency', points: [point(1, 1), point(8, scaleAt8)] }] },
      ]),
    };
  };

  it('compares matching sweep points and finds the one that regressed', () => {
    const c = compareRuns(swept(1, 1), swept(100, 1.4));
    const at8 = c.metrics.find((m) => m.key === 'crud@concurrency=8/create.p99')!;
    const at1 = c.metrics.find((m) => m.key === 'crud@concurrency=1/create.p99')!;
    expect(at8.status).toBe('regressed');
    expect(at1.status).not.toBe('regressed');
  });
});

describe('trend', () => {
  it('orders runs by start time and tracks each metric', () => {
    const t = trend([
      run(3, 1.4, '2026-11-22T12:00:00.000Z'),
      run(1, 1, '2026-11-22T10:00:00.000Z'),
      run(2, 1.2, '2026-11-22T11:00:00.000Z'),
    ]);
    expect(t.runs.map((r) => r.startedAt.slice(11, 13))).toEqual(['10', '11', '12']);
    const p99 = t.metrics.find((m) => m.key === 'crud/create.p99')!;
    expect(p99.values).toHaveLength(3);
    expect(p99.changePct!).toBeGreaterThan(20);
  });
});
