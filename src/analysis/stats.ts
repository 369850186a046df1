/**
 * Distribution-free statistics used by analysis and comparison: quantiles, bootstrap confidence
 * intervals, order-statistic CIs of a percentile read straight from an HDR histogram, and the
 * Mann–Whitney U test.
 */
import type { Histogram } from '../metrics/histogram.js';
import { seededRandom } from '../core/random.js';

export interface Interval {
  estimate: number;
  low: number;
  high: number;
  /** Samples the interval was computed from (windows, repeats or recorded values). */
  n: number;
  method: 'bootstrap-windows' | 'bootstrap-repeats' | 'order-statistic';
  confidence: number;
}

export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

export function stddev(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Linear-interpolated quantile (q in 0..1) of an ascending array. */
export function quantileSorted(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function median(xs: number[]): number {
  return quantileSorted(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
}

/** Percentile bootstrap CI of `statistic` over `samples` (seeded: same input, same interval). */
export function bootstrapCI(
  samples: number[],
  statistic: (xs: number[]) => number = mean,
  options: { iterations?: number; confidence?: number; seed?: number; method?: Interval['method'] } = {},
): Interval | undefined {
  const n = samples.length;
  if (n < 2) return undefined;
  const iterations = options.iterations ?? 1000;
  const confidence = options.confidence ?? 0.95;
  const rand = seededRandom(options.seed ?? 0x6b70);
  const stats = new Array<number>(iterations);
  const draw = new Array<number>(n);
  for (let i = 0; i < iterations; i++) {
    for (let j = 0; j < n; j++) draw[j] = samples[Math.floor(rand() * n)];
    stats[i] = statistic(draw);
  }
  stats.sort((a, b) => a - b);
  const alpha = (1 - confidence) / 2;
  return {
    estimate: statistic(samples),
    low: quantileSorted(stats, alpha),
    high: quantileSorted(stats, 1 - alpha),
    n,
    method: options.method ?? 'bootstrap-windows',
    confidence,
  };
}

const Z95 = 1.959964;

/**
 * CI of the p-th percentile from the ranks of order statistics (binomial, normal approximation):
 * with n values the true percentile lies between ranks n·q ∓ z·√(n·q·(1−q)). The HDR histogram holds
 * every recorded value, so this needs no resampling. Values in ms (the histogram is in µs).
 */
export function percentileIntervalMs(
  h: Histogram,
  percentile: number,
  confidence = 0.95,
): Interval | undefined {
  const n = h.totalCount;
  if (n < 2) return undefined;
  const q = percentile / 100;
  // The normal approximation of the binomial needs n·q·(1−q) ≥ 5; below that (e.g. a p99 of 300
  // values) the tail holds too few values to bound the percentile at all.
  if (n * q * (1 - q) < 5) return undefined;
  const z = confidence === 0.95 ? Z95 : inverseNormal(1 - (1 - confidence) / 2);
  const spread = z * Math.sqrt(n * q * (1 - q));
  const lowRank = Math.max(1, Math.floor(n * q - spread));
  const highRank = Math.min(n, Math.ceil(n * q + spread));
  const at = (rank: number) => h.getValueAtPercentile((rank / n) * 100) / 1000;
  return {
    estimate: h.getValueAtPercentile(percentile) / 1000,
    low: at(lowRank),
    high: at(highRank),
    n,
    method: 'order-statistic',
    confidence,
  };
}

export interface MannWhitneyResult {
  u: number;
  z: number;
  /** Two-sided p-value (normal approximation with tie correction). */
  p: number;
  /** Probability that a value of b exceeds a value of a (common-language effect size). */
  effect: number;
}

/** Two-sided Mann–Whitney U test of a vs b. */
export function mannWhitneyU(a: number[], b: number[]): MannWhitneyResult | undefined {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 < 2 || n2 < 2) return undefined;
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].v === all[i].v) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[k] = rank;
    const t = j - i + 1;
    tieTerm += t ** 3 - t;
    i = j + 1;
  }
  let r1 = 0;
  for (let i = 0; i < all.length; i++) if (all[i].g === 0) r1 += ranks[i];
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const mu = (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sigma === 0) return { u: u1, z: 0, p: 1, effect: 0.5 };
  // Continuity correction towards the mean.
  const z = (u1 - mu - Math.sign(u1 - mu) * 0.5) / sigma;
  return { u: u1, z, p: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))), effect: 1 - u1 / (n1 * n2) };
}

/** Two-sided two-proportion z-test (error rates). */
export function twoProportionP(errA: number, nA: number, errB: number, nB: number): number | undefined {
  if (nA === 0 || nB === 0) return undefined;
  const pooled = (errA + errB) / (nA + nB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  if (se === 0) return 1;
  const z = (errB / nB - errA / nA) / se;
  return Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Inverse standard normal CDF by bisection (only used for non-default confidence levels). */
export function inverseNormal(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
