import { describe, expect, it } from 'vitest';
import { medianInterval, timeInterleaved, unorderedPairs } from './measure.js';

describe('ordering CPU-bound cases', () => {
  const c = (name: string, rank: number, value: number, low: number, high: number) => ({
    name,
    rank,
    value,
    low,
    high,
  });

  it('flags an inverted pair whose intervals overlap, and only that', () => {
    const cases = [
      c('simple', 0, 120, 90, 160), // measured slower than medium, intervals overlap: noise
      c('medium', 1, 110, 100, 125),
      c('complex', 2, 900, 850, 950),
      c('very-complex', 3, 800, 790, 810), // inverted, but the intervals do not overlap: a finding
    ];
    expect(unorderedPairs(cases)).toEqual([['simple', 'medium']]);
  });

  it('does not flag cases in their expected order, however wide their intervals', () => {
    expect(unorderedPairs([c('5', 5, 1, 0.5, 3), c('15', 15, 2, 0.6, 4)])).toEqual([]);
  });

  it('bounds the median with order statistics', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    const ci = medianInterval(xs);
    expect(ci.low).toBeLessThan(50);
    expect(ci.high).toBeGreaterThan(51);
    expect(ci.high - ci.low).toBeLessThan(25);
  });

  it('measures cases in interleaved rounds and reports medians with their spread', async () => {
    let rounds = 0;
    const [a, b] = await timeInterleaved([() => Math.sqrt(2), () => JSON.stringify({ a: 1 })], {
      budgetMs: 10,
      warmupMs: 1,
      batchTargetMs: 0.2,
      rounds: 5,
      onRound: () => rounds++,
    });
    expect(rounds).toBe(5);
    for (const t of [a!, b!]) {
      expect(t.samples).toBeGreaterThanOrEqual(20);
      expect(t.p25Ns).toBeLessThanOrEqual(t.p50Ns);
      expect(t.p75Ns).toBeGreaterThanOrEqual(t.p50Ns);
      expect(t.ciLowNs).toBeLessThanOrEqual(t.p50Ns);
      expect(t.ciHighNs).toBeGreaterThanOrEqual(t.p50Ns);
      expect(t.spreadPct).toBeGreaterThanOrEqual(0);
      expect(t.opsPerSec).toBeCloseTo(1e9 / t.p50Ns, 6);
    }
  });
});
