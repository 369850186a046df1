import { describe, expect, it } from 'vitest';
import { findKnee, growthClass, linearFit, powerFit } from './scaling.js';

describe('scaling fits', () => {
  it('recovers base and per-unit cost of a line', () => {
    const xs = [100, 500, 1000, 2000];
    const f = linearFit(
      xs,
      xs.map((x) => 119 + 0.5 * x),
    )!;
    expect(f.intercept).toBeCloseTo(119, 6);
    expect(f.slope).toBeCloseTo(0.5, 9);
    expect(f.r2).toBeCloseTo(1, 9);
  });

  it('recovers a power-law exponent on log-log', () => {
    const xs = [10, 100, 1000, 10000];
    const f = powerFit(
      xs,
      xs.map((x) => 0.003 * x ** 2),
    )!;
    expect(f.exponent).toBeCloseTo(2, 9);
    expect(growthClass(f.exponent)).toBe('quadratic');
  });

  it('finds where throughput stops scaling with workers', () => {
    const xs = [1, 2, 4, 8, 16, 32];
    const k = findKnee(
      xs,
      xs.map((c) => Math.min(c, 8) * 100),
    )!;
    expect(k.x).toBe(8);
    expect(k.nextX).toBe(16);
    expect(
      findKnee(
        xs,
        xs.map((c) => c * 100),
      ),
    ).toBeUndefined();
  });
});
