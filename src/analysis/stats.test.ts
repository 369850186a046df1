import { describe, expect, it } from 'vitest';
import { createHistogram } from '../metrics/histogram.js';
import { normal, seededRandom } from '../core/random.js';
import {
  bootstrapCI,
  detectablePct,
  holm,
  mannWhitneyU,
  median,
  percentileIntervalMs,
  studentQuantile,
  studentTwoSidedP,
  twoProportionP,
  unitTest,
} from './stats.js';

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

describe('Student t and the unit test', () => {
  it('matches t tables', () => {
    expect(studentTwoSidedP(2.306, 8)).toBeCloseTo(0.05, 4);
    expect(studentTwoSidedP(1, 1)).toBeCloseTo(0.5, 10);
    expect(studentQuantile(0.975, 4)).toBeCloseTo(2.776, 3);
    expect(studentQuantile(0.995, 10)).toBeCloseTo(3.169, 3);
  });

  it('measures a known ratio on log values and the spread of the units', () => {
    const base = [10, 10.5, 9.5, 10.2, 9.8];
    const t = unitTest(
      base,
      base.map((x) => x * 1.2),
    )!;
    expect(t.effectPct).toBeCloseTo(20, 6);
    expect(t.p).toBeLessThan(1e-4);
    expect(t.noisePct).toBeGreaterThan(3);
    expect(t.noisePct).toBeLessThan(5);
    // Identical units: no effect, p = 1.
    expect(unitTest(base, [...base])).toMatchObject({ effectPct: 0, p: 1 });
    // The smallest detectable change is at least the units' own spread.
    expect(detectablePct(t, 0.01)).toBeGreaterThanOrEqual(t.noisePct);
    expect(unitTest([1], [2, 3])).toBeUndefined();
    expect(unitTest([0, 1], [2, 3])).toBeUndefined();
  });

  it('Holm keeps the family-wise error: the smallest p against α/m, the next against α/(m−1)…', () => {
    expect(holm([0.001, 0.03, 0.04], 0.05)).toEqual([true, false, false]);
    expect(holm([0.01, 0.02, 0.04], 0.05)).toEqual([true, true, true]);
    expect(holm([0.2, 0.001], 0.05)).toEqual([false, true]);
  });
});
