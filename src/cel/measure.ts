/**
 * Timing of sub-microsecond work. One eval is below timer resolution, so each sample times a batch
 * of N calls with process.hrtime.bigint and divides; N is calibrated after a warm-up so a batch takes
 * ≈ batchTargetMs. The figure reported is the median of the batch means, with their spread (IQR) and
 * a 95% interval of that median: on a shared machine other processes inflate some batches at random,
 * and a mean would follow them. Several cases are measured in interleaved rounds (timeInterleaved),
 * so a burst of background load hits them alike and their order stays meaningful; `unorderedPairs`
 * flags cases whose intervals are too wide to order.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';

export interface BatchTiming {
  meanNs: number;
  p95Ns: number;
  /** Median of the batch means: the figure to report. */
  p50Ns: number;
  p25Ns: number;
  p75Ns: number;
  /** 95% interval of the median (order statistics of the batch means). */
  ciLowNs: number;
  ciHighNs: number;
  /** Interquartile range of the batch means, as a percentage of their median. */
  spreadPct: number;
  minNs: number;
  /** Calls per second at the median. */
  opsPerSec: number;
  iterations: number;
  samples: number;
}

export interface BatchOptions {
  /** Total time budget for the measured samples (default 150 ms). */
  budgetMs?: number;
  /** Target duration of one batch (default 2 ms). */
  batchTargetMs?: number;
  /** Warm-up time before calibration (default 30 ms). */
  warmupMs?: number;
  /** Minimum number of samples (default 20). */
  minSamples?: number;
}

const now = () => process.hrtime.bigint();

/** Sink that keeps results observable so the JIT cannot drop the call. */
let sink: unknown;
export function blackhole(): unknown {
  return sink;
}

/** Warm up, then find N so that one batch of N calls takes about batchTargetMs. */
function calibrate(fn: () => unknown, options: BatchOptions): number {
  const batchTargetNs = (options.batchTargetMs ?? 2) * 1e6;
  const warmupEnd = now() + BigInt(Math.round((options.warmupMs ?? 30) * 1e6));
  let warm = 0;
  while (now() < warmupEnd || warm < 100) {
    sink = fn();
    warm++;
  }
  let n = 16;
  for (;;) {
    const t0 = now();
    for (let i = 0; i < n; i++) sink = fn();
    const dt = Number(now() - t0);
    if (dt >= batchTargetNs || n >= 1 << 24)
      return Math.max(1, Math.round((n * batchTargetNs) / Math.max(dt, 1)));
    n *= 2;
  }
}

/** One case's batches: calibrated once, then sampled in as many slices of time as wanted. */
export class Samples {
  readonly perBatch: number[] = [];
  totalNs = 0n;
  total = 0;
  constructor(
    readonly fn: () => unknown,
    readonly n: number,
  ) {}

  static calibrated(fn: () => unknown, options: BatchOptions = {}): Samples {
    return new Samples(fn, calibrate(fn, options));
  }

  take(): void {
    const { fn, n } = this;
    const t0 = now();
    for (let i = 0; i < n; i++) sink = fn();
    const dt = now() - t0;
    this.totalNs += dt;
    this.total += n;
    this.perBatch.push(Number(dt) / n);
  }

  /** One case's slice of a round: at least `min` batches and `sliceNs` of time (at most 20,001 batches). */
  takeFor(sliceNs: bigint, min: number): void {
    const start = now();
    let k = 0;
    while (k < min || now() - start < sliceNs) {
      this.take();
      k++;
      if (k > 20_000) break;
    }
  }
}

/**
 * Several cases measured in `rounds` interleaved rounds (default 5): each round gives every case an
 * equal slice of the budget, in turn. Each case's timing is over all its batches.
 */
export async function timeInterleaved(
  fns: (() => unknown)[],
  options: BatchOptions & { rounds?: number; signal?: AbortSignal; onRound?: (r: number) => void } = {},
): Promise<BatchTiming[]> {
  const samplers: Samples[] = [];
  for (const fn of fns) {
    samplers.push(Samples.calibrated(fn, options));
    await yieldToLoop();
  }
  const rounds = options.rounds ?? 5;
  const sliceNs = BigInt(Math.round(((options.budgetMs ?? 150) * 1e6) / rounds));
  const minPerRound = Math.ceil((options.minSamples ?? 20) / rounds);
  for (let r = 0; r < rounds && !options.signal?.aborted; r++) {
    for (const s of samplers) {
      s.takeFor(sliceNs, minPerRound);
      // Between slices the event loop gets a turn: SIGINT and progress are not held up.
      await yieldToLoop();
    }
    options.onRound?.(r);
  }
  return samplers.map(summarize);
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

export function timeBatched(fn: () => unknown, options: BatchOptions = {}): BatchTiming {
  const samples = Samples.calibrated(fn, options);
  const budgetNs = BigInt(Math.round((options.budgetMs ?? 150) * 1e6));
  const minSamples = options.minSamples ?? 20;
  const start = now();
  while (samples.perBatch.length < minSamples || now() - start < budgetNs) {
    samples.take();
    if (samples.perBatch.length > 100_000) break;
  }
  return summarize(samples);
}

/** Median, spread, interval and rate of a case's batch means. */
export function summarize(s: Samples): BatchTiming {
  const perBatch = [...s.perBatch].sort((x, y) => x - y);
  const meanNs = Number(s.totalNs) / s.total;
  const q = (f: number) => perBatch[Math.min(perBatch.length - 1, Math.floor(perBatch.length * f))]!;
  const p50 = q(0.5);
  const ci = medianInterval(perBatch);
  return {
    meanNs,
    p95Ns: q(0.95),
    p50Ns: p50,
    p25Ns: q(0.25),
    p75Ns: q(0.75),
    ciLowNs: ci.low,
    ciHighNs: ci.high,
    spreadPct: p50 > 0 ? ((q(0.75) - q(0.25)) / p50) * 100 : 0,
    minNs: perBatch[0]!,
    opsPerSec: 1e9 / p50,
    iterations: s.total,
    samples: perBatch.length,
  };
}

/** 95% interval of the median of sorted values, from the binomial ranks n/2 ∓ 0.98·√n. */
export function medianInterval(sorted: number[]): { low: number; high: number } {
  const n = sorted.length;
  const half = 0.98 * Math.sqrt(n);
  const lo = Math.max(0, Math.floor(n / 2 - half) - 1);
  const hi = Math.min(n - 1, Math.ceil(n / 2 + half) - 1);
  return { low: sorted[lo]!, high: sorted[hi]! };
}

export interface OrderedCase {
  name: string;
  /** Expected order: a case of a lower rank should cost less (complexity class, graph size…). */
  rank: number;
  value: number;
  low: number;
  high: number;
}

/**
 * Pairs of cases that should be ordered by rank but whose measured values are inverted while their
 * intervals overlap: the spread is too large to say which costs more. An inversion whose intervals do
 * not overlap is a finding, not noise, and is not flagged.
 */
export function unorderedPairs(cases: OrderedCase[]): [string, string][] {
  const out: [string, string][] = [];
  for (const a of cases)
    for (const b of cases)
      if (a.rank < b.rank && a.value > b.value && a.low <= b.high && b.low <= a.high)
        out.push([a.name, b.name]);
  return out;
}

/** Time a single call that is long enough to time alone (compile, graph build), repeated. */
export function timeRepeated(
  fn: () => unknown,
  repeats: number,
): { meanNs: number; minNs: number; medianNs: number } {
  const xs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = now();
    sink = fn();
    xs.push(Number(now() - t0));
  }
  xs.sort((a, b) => a - b);
  return {
    meanNs: xs.reduce((a, b) => a + b, 0) / xs.length,
    minNs: xs[0]!,
    medianNs: xs[Math.floor(xs.length / 2)]!,
  };
}

let gcFn: (() => void) | undefined;
/** A forced GC, enabled at runtime (no --expose-gc needed) so retained-heap measurements are stable. */
export function forceGc(): void {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
  gcFn();
}

/**
 * Retained memory per object: make `count` objects, keep them alive, GC, divide the delta of V8 heap
 * + ArrayBuffer backing stores (typed arrays live outside the JS heap).
 */
export function bytesPerObject(make: (i: number) => unknown, count: number): number {
  const keep: unknown[] = new Array(count);
  forceGc();
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = used();
  for (let i = 0; i < count; i++) keep[i] = make(i);
  forceGc();
  const after = used();
  sink = keep.length;
  return Math.max(0, Math.round((after - before) / count));
}
