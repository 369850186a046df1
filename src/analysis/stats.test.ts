import { describe, expect, it } from 'vitest';
import { createHistogram } from '../metrics/histogram.js';
import { normal, seededRandom } from '../core/random.js';
import { bootstrapCI, mannWhitneyU, median, percentileIntervalMs, twoProportionP } from './stats.js';

describe('mannWhitneyU', () => {
  it('matches a textbook example (U = 3 for disjoint-ish samples)', () => {
    // a ranks 1,2,4 → R1 = 7, U1 = 7 − 6 = 1 against b = [3, 5, 6, 7]
    const r = mannWhitneyU([1, 2, 4], [3, 5, 6, 7])!;
    expect(r.u).toBe(1);
    expect(r.p).toBeGreaterThan(0.05);
  });

  it('finds a clear shift significant and identical samples not', () => {
    const rand = seededRandom(3);
    const a = Array.from({ length: 30 }, () => 10 + normal(rand));
    const b = a.map((x) => x + 3);
    expect(mannWhitneyU(a, b)!.p).toBeLessThan(0.001);
    expect(mannWhitneyU(a, [...a])!.p).toBeGreaterThan(0.9);
  });

  it('needs at least two values per side', () => {
    expect(mannWhitneyU([1], [2, 3])).toBeUndefined();
  });
});

describe('bootstrapCI', () => {
  it('is reproducible and covers the sample median', () => {
    const rand = seededRandom(5);
    const xs = Array.from({ length: 50 }, () => 100 + 10 * normal(rand));
    const a = bootstrapCI(xs, median)!;
    const b = bootstrapCI(xs, median)!;
    expect(a).toEqual(b);
    expect(a.low).toBeLessThanOrEqual(a.estimate);
    expect(a.high).toBeGreaterThanOrEqual(a.estimate);
    expect(a.high - a.low).toBeLessThan(10);
  });
});

describe('percentileIntervalMs', () => {
  it('brackets the p99 of a known uniform distribution', () => {
    const h = createHistogram();
    for (let us = 1; us <= 100_000; us++) h.recordValue(us);
    const ci = percentileIntervalMs(h, 99)!;
    expect(ci.low).toBeLessThanOrEqual(99);
    expect(ci.high).toBeGreaterThanOrEqual(99);
    expect(ci.high - ci.low).toBeLessThan(0.5);
  });
});

describe('twoProportionP', () => {
  it('tells 1% from 5% errors over 2000 requests', () => {
    expect(twoProportionP(20, 2000, 100, 2000)!).toBeLessThan(0.001);
    expect(twoProportionP(20, 2000, 22, 2000)!).toBeGreaterThan(0.5);
  });
});
