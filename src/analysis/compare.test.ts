import { describe, expect, it } from 'vitest';
import type { OpStats, RoundStats } from '../results/types.js';
import { compareRuns, compareRunSets, type LabeledResults } from './compare.js';
import { trend } from './trend.js';
import { celPhase, crudPhase, makeResults } from './test-fixtures.js';

const run = (seed: number, scale = 1, startedAt = '2026-11-22T10:00:00.000Z', rounds?: number) => ({
  label: `run-${seed}`,
  results: makeResults([crudPhase({ seed, scale, ops: ['create', 'get'], seconds: 8, rate: 80, rounds })], {
    startedAt,
  }),
});

/**
 * A phase whose only data are five rounds with a known spread: the op's p50 is `level` × (1 − 2s,
 * 1 − s, 1, 1 + s, 1 + 2s) in some order, the other stats in proportion, throughput inversely.
 */
function roundsRun(seed: number, level: number, s: number): LabeledResults {
  const factors = [1 - s, 1 + 2 * s, 1, 1 - 2 * s, 1 + s];
  const rounds = factors.length;
  const rs: RoundStats[] = factors.map((f, round) => {
    return {
      round,
      count: 100,
      errors: 0,
      durationMs: 100 * level * f,
      throughput: 1000 / (level * f),
      p50: level * f,
      p90: level * f * 1.5,
      p99: level * f * 2,
      mean: level * f * 1.1,
    };
  });
  const p50 = rs.map((r) => r.p50).sort((a, b) => a - b)[Math.floor(rounds / 2)]!;
  const op = crudPhase({ seed, ops: ['get'], seconds: 1, rounds: 0 }).ops.get!;
  const ops: Record<string, OpStats> = {
    get: {
      ...op,
      throughput: 1000 / p50,
      latencyMs: { ...op.latencyMs, p50, p90: p50 * 1.5, p99: p50 * 2, mean: p50 * 1.1 },
      rounds: rs,
    },
  };
  return { label: `r${seed}`, results: makeResults([{ ...crudPhase({ ops: [] }), ops }]) };
}

describe('compare: noise-aware verdict', () => {
  it('never calls identical setups regressed: at most 1 of 40 seeded A/A pairs', () => {
    const verdicts: string[] = [];
    for (let i = 0; i < 40; i++) verdicts.push(compareRuns(run(1000 + i), run(5000 + i)).verdict);
    expect(verdicts.filter((v) => v === 'regressed').length).toBeLessThanOrEqual(1);
    expect(verdicts.every((v) => ['unchanged', 'inconclusive', 'regressed'].includes(v))).toBe(true);
  });

  it('calls a 20% slower candidate regressed from its rounds, with the evidence', () => {
    const c = compareRuns(run(1), run(2, 1.2));
    expect(c.verdict).toBe('regressed');
    const p50 = c.metrics.find((m) => m.key === 'crud/create.p50')!;
    expect(p50).toMatchObject({ status: 'regressed', method: 'rounds' });
    expect(p50.deltaPct!).toBeGreaterThan(10);
    expect(p50.p!).toBeLessThan(0.001);
    expect(p50.note).toMatch(/5\+5 rounds: \+\d+%, p=.*beyond twice the ±[\d.]+% unit-to-unit noise/);
  });

  it('calls a 20% faster candidate improved', () => {
    expect(compareRuns(run(1), run(2, 0.8)).verdict).toBe('improved');
  });

  it('a change beyond the tolerance but within the rounds’ noise is inconclusive, with the detectable change', () => {
    // +15% on rounds that themselves spread ±24%: not a regression the data can show.
    const c = compareRuns(roundsRun(1, 10, 0.12), roundsRun(2, 11.5, 0.12));
    const p50 = c.metrics.find((m) => m.key === 'crud/get.p50')!;
    expect(p50.deltaPct!).toBeGreaterThan(10);
    expect(p50.status).toBe('inconclusive');
    expect(p50.detectablePct!).toBeGreaterThan(15);
    expect(p50.note).toMatch(/could detect changes of \d+% or more/);
    expect(c.verdict).toBe('inconclusive');
  });

  it('the same +15% on quiet rounds (±2%) is a regression', () => {
    const c = compareRuns(roundsRun(1, 10, 0.01), roundsRun(2, 11.5, 0.01));
    expect(c.metrics.find((m) => m.key === 'crud/get.p50')).toMatchObject({ status: 'regressed' });
  });

  it('a change within the tolerance is unchanged and says what the data could have detected', () => {
    const c = compareRuns(roundsRun(1, 10, 0.01), roundsRun(2, 10.3, 0.01));
    const p50 = c.metrics.find((m) => m.key === 'crud/get.p50')!;
    expect(p50.status).toBe('unchanged');
    expect(p50.detectablePct!).toBeGreaterThan(0);
    expect(p50.detectablePct!).toBeLessThan(10);
  });

  it('a tail percentile of rounds is shown but never gates: p99 ×3 with p50 unchanged is inconclusive', () => {
    const base = roundsRun(1, 10, 0.01);
    const cand = roundsRun(2, 10, 0.01);
    const op = cand.results.phases[0]!.ops.get!;
    op.latencyMs = { ...op.latencyMs, p99: op.latencyMs.p99 * 3 };
    op.rounds = op.rounds!.map((r) => ({ ...r, p99: r.p99 * 3 }));
    const c = compareRuns(base, cand);
    const p99 = c.metrics.find((m) => m.key === 'crud/get.p99')!;
    expect(p99.status).toBe('inconclusive');
    expect(p99.note).toMatch(/too noisy to gate on: compare sets of runs \(--sets\) or repeats/);
    expect(c.verdict).toBe('inconclusive');
  });

  it('results without rounds (older kubeperf) are never regressed: beyond the tolerance they are inconclusive', () => {
    const c = compareRuns(run(1, 1, undefined, 0), run(2, 1.3, undefined, 0));
    expect(c.verdict).toBe('inconclusive');
    expect(c.metrics.find((m) => m.key === 'crud/create.p50')).toMatchObject({
      status: 'inconclusive',
      method: 'none',
    });
    expect(c.warnings.join('\n')).toMatch(/no rounds, repeats or runs to measure noise/);
  });

  it('with several runs per side, whole runs are the units: a run-level shift in one run is not a regression', () => {
    // Each run's rounds are tight, but runs differ by ±8% as a whole (another time, another machine).
    const shifts = [1, 1.08, 0.95, 1.12, 0.97, 1.15];
    const side = (from: number) =>
      shifts.slice(from, from + 3).map((s, i) => roundsRun(100 + from * 10 + i, 10 * s, 0.005));
    const sets = compareRunSets(side(0), side(3));
    expect(sets.runs).toEqual({ base: 3, candidate: 3 });
    const p50 = sets.metrics.find((m) => m.key === 'crud/get.p50')!;
    expect(p50.method).toBe('runs');
    expect(p50.deltaPct!).toBeGreaterThan(10);
    expect(p50.status).toBe('inconclusive');
    // The same pair of single runs, judged by their tight rounds alone, would have flagged it.
    expect(compareRuns(roundsRun(100, 10, 0.005), roundsRun(130, 11.2, 0.005)).verdict).toBe('regressed');
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
    expect(p50).toMatchObject({ method: 'repeats', status: 'regressed' });
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
    const at8 = c.metrics.find((m) => m.key === 'crud@concurrency=8/create.p50')!;
    const at1 = c.metrics.find((m) => m.key === 'crud@concurrency=1/create.p50')!;
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
