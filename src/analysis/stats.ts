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
  method: 'bootstrap-windows' | 'bootstrap-rounds' | 'bootstrap-repeats' | 'order-statistic';
  confidence: number;
}

/** What an interval's `n` counts, in words (a throughput CI is over windows, rounds or repeats). */
export function intervalUnits(method: Interval['method']): string {
  return method === 'bootstrap-repeats'
    ? 'repeats'
    : method === 'bootstrap-rounds'
      ? 'rounds'
      : method === 'bootstrap-windows'
        ? 'windows'
        : 'values';
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

/** ln Γ(x) (Lanczos, g = 7), for the incomplete beta function. */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised incomplete beta I_x(a, b) (continued fraction, Numerical Recipes' betacf). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  let f = 1;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < 1e-300) d = 1e-300;
  d = 1 / d;
  f = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    c = 1 + num / c;
    d = 1 / (Math.abs(d) < 1e-300 ? 1e-300 : d);
    c = Math.abs(c) < 1e-300 ? 1e-300 : c;
    f *= d * c;
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    c = 1 + num / c;
    d = 1 / (Math.abs(d) < 1e-300 ? 1e-300 : d);
    c = Math.abs(c) < 1e-300 ? 1e-300 : c;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-12) break;
  }
  return (front * f) / a;
}

/** Two-sided p-value of Student's t with `df` degrees of freedom. */
export function studentTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, incompleteBeta(df / (df + t * t), df / 2, 0.5));
}

/** Quantile of Student's t: the t with P(T ≤ t) = q (bisection on the CDF). */
export function studentQuantile(q: number, df: number): number {
  let lo = 0;
  let hi = 1e4;
  const target = 2 * (1 - q); // two-sided p at the quantile
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (studentTwoSidedP(mid, df) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface UnitTest {
  /** Units per side. */
  n: [number, number];
  /** Candidate vs baseline, from the units: ratio of geometric means − 1, in percent. */
  effectPct: number;
  /** Welch's t-test on log values: two-sided p. */
  p: number;
  df: number;
  /** Round-to-round (unit-to-unit) spread: pooled standard deviation of the log values, as a percentage. */
  noisePct: number;
  /** Standard error of the log difference. */
  se: number;
}

/**
 * Welch's t-test on the logs of per-unit values (rounds, repeats or runs): latencies and rates are
 * multiplicative, so a log scale makes their noise symmetric and the effect a ratio. Needs ≥ 2 units
 * per side and positive values.
 */
export function unitTest(base: number[], cand: number[]): UnitTest | undefined {
  if (base.length < 2 || cand.length < 2) return undefined;
  if (base.some((v) => !(v > 0)) || cand.some((v) => !(v > 0))) return undefined;
  const lb = base.map(Math.log);
  const lc = cand.map(Math.log);
  const mb = mean(lb);
  const mc = mean(lc);
  const vb = stddev(lb) ** 2;
  const vc = stddev(lc) ** 2;
  const nb = lb.length;
  const nc = lc.length;
  const se2 = vb / nb + vc / nc;
  const se = Math.sqrt(se2);
  const diff = mc - mb;
  // Welch–Satterthwaite degrees of freedom (at least the smaller side's n − 1).
  const df =
    se2 > 0
      ? Math.max(Math.min(nb, nc) - 1, se2 ** 2 / ((vb / nb) ** 2 / (nb - 1) + (vc / nc) ** 2 / (nc - 1)))
      : nb + nc - 2;
  const t = se > 0 ? diff / se : diff === 0 ? 0 : Infinity;
  const pooled = Math.sqrt(((nb - 1) * vb + (nc - 1) * vc) / (nb + nc - 2));
  return {
    n: [nb, nc],
    effectPct: (Math.exp(diff) - 1) * 100,
    p: studentTwoSidedP(Math.abs(t), df),
    df,
    noisePct: (Math.exp(pooled) - 1) * 100,
    se,
  };
}

/**
 * How far outside the units' own spread a change must be: twice their standard deviation, the band
 * nearly all rounds of an unchanged setup fall in.
 */
export const NOISE_BAND = 2;

/** Whether a change (the units' estimate) is outside the noise band of the units. */
export function beyondNoise(u: UnitTest): boolean {
  return Math.abs(Math.log(1 + u.effectPct / 100)) >= NOISE_BAND * Math.log(1 + u.noisePct / 100);
}

/**
 * The smallest change (percent, either direction) these units could have shown as significant at
 * level `alpha` and beyond their noise band.
 */
export function detectablePct(u: UnitTest, alpha: number): number {
  const log = Math.max(
    studentQuantile(1 - alpha / 2, u.df) * u.se,
    NOISE_BAND * Math.log(1 + u.noisePct / 100),
  );
  return (Math.exp(log) - 1) * 100;
}

/** Holm's step-down: which of these p-values are significant with the family-wise error at `alpha`. */
export function holm(ps: number[], alpha: number): boolean[] {
  const order = ps.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const out = ps.map(() => false);
  for (let k = 0; k < order.length; k++) {
    if (order[k]![0] > alpha / (order.length - k)) break;
    out[order[k]![1]] = true;
  }
  return out;
}
