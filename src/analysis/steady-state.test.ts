import { describe, expect, it } from 'vitest';
import type { RoundStats, SeriesPoint } from '../results/types.js';
import { detectSteadyRounds, detectSteadyState } from './steady-state.js';

const round = (i: number, throughput: number, p50: number): RoundStats => ({
  round: i,
  count: 100,
  errors: 0,
  durationMs: 100_000 / throughput,
  throughput,
  p50,
  p90: p50 * 2,
  p99: p50 * 3,
  mean: p50,
});
const window = (t: number, throughput: number, p99 = 5): SeriesPoint => ({
  t,
  count: throughput,
  errors: 0,
  throughput,
  p50: 2,
  p99,
  mean: 2,
});

describe('steady state over rounds', () => {
  it('drops a slow first round as warm-up and keeps the rest', () => {
    const s = detectSteadyRounds([
      round(0, 600, 20),
      round(1, 5000, 2.3),
      round(2, 5100, 2.2),
      round(3, 4900, 2.4),
      round(4, 5050, 2.3),
    ]);
    expect(s.warmupRounds).toBe(1);
    expect(s.rounds.map((r) => r.round)).toEqual([1, 2, 3, 4]);
    expect(s.note).toMatch(/first of 5 rounds dropped as warm-up \(throughput below 80% .*p50 above 1\.5×/);
  });

  it('keeps every round when the first is like the others, or when there are too few to tell', () => {
    expect(
      detectSteadyRounds([round(0, 4800, 2.4), round(1, 5000, 2.3), round(2, 5100, 2.2), round(3, 4900, 2.4)])
        .warmupRounds,
    ).toBe(0);
    expect(
      detectSteadyRounds([round(0, 100, 20), round(1, 5000, 2.3), round(2, 5100, 2.2)]).warmupRounds,
    ).toBe(0);
  });

  it('never calls a low-rate step warm-up when the rate varies by design', () => {
    const steps = [round(0, 100, 2), round(1, 300, 2), round(2, 600, 2.5), round(3, 600, 2.5)];
    expect(detectSteadyRounds(steps, { varyingRate: true })).toMatchObject({ warmupRounds: 0 });
    // A steps schedule of 100/s, 300/s, 600/s over 5 s each, per-second windows.
    const ws = [...Array(5).fill(100), ...Array(5).fill(300), ...Array(5).fill(600)].map((r, t) =>
      window(t, r),
    );
    expect(detectSteadyState(ws).warmupWindows).toBe(5); // what a constant-rate reading would have done
    const kept = detectSteadyState(ws, { varyingRate: true });
    expect(kept.warmupWindows).toBe(0);
    expect(kept.windows).toHaveLength(15);
    expect(kept.note).toMatch(/rate varies by design/);
  });
});
