/**
 * Timing of sub-microsecond work. One eval is below timer resolution, so each sample times a batch
 * of N calls with process.hrtime.bigint and divides; N is calibrated after a warm-up so a batch takes
 * ≈ batchTargetMs. Mean is total time / total calls; p95 is over the per-batch means.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';

export interface BatchTiming {
  meanNs: number;
  p95Ns: number;
  p50Ns: number;
  minNs: number;
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

class Samples {
  readonly perBatch: number[] = [];
  totalNs = 0n;
  total = 0;
  constructor(
    readonly fn: () => unknown,
    readonly n: number,
  ) {}
  take(): void {
    const { fn, n } = this;
    const t0 = now();
    for (let i = 0; i < n; i++) sink = fn();
    const dt = now() - t0;
    this.totalNs += dt;
    this.total += n;
    this.perBatch.push(Number(dt) / n);
  }
}

export function timeBatched(fn: () => unknown, options: BatchOptions = {}): BatchTiming {
  const samples = new Samples(fn, calibrate(fn, options));
  const budgetNs = BigInt(Math.round((options.budgetMs ?? 150) * 1e6));
  const minSamples = options.minSamples ?? 20;
  const start = now();
  while (samples.perBatch.length < minSamples || now() - start < budgetNs) {
    samples.take();
    if (samples.perBatch.length > 100_000) break;
  }
  return summarize(samples);
}

/**
 * Two functions measured in alternating batches, so load from other processes hits both alike and
 * their ratio stays meaningful on a shared machine (used for CEL vs the hand-written JS baseline).
 */
export function timePaired(
  a: () => unknown,
  b: () => unknown,
  options: BatchOptions = {},
): [BatchTiming, BatchTiming] {
  const sa = new Samples(a, calibrate(a, options));
  const sb = new Samples(b, calibrate(b, options));
  const budgetNs = BigInt(Math.round((options.budgetMs ?? 150) * 1e6));
  const minSamples = options.minSamples ?? 20;
  const start = now();
  while (sa.perBatch.length < minSamples || now() - start < budgetNs) {
    sa.take();
    sb.take();
    if (sa.perBatch.length > 100_000) break;
  }
  return [summarize(sa), summarize(sb)];
}

function summarize(s: Samples): BatchTiming {
  const perBatch = s.perBatch.sort((x, y) => x - y);
  const totalNs = s.totalNs;
  const total = s.total;
  const meanNs = Number(totalNs) / total;
  return {
    meanNs,
    p95Ns: perBatch[Math.min(perBatch.length - 1, Math.floor(perBatch.length * 0.95))]!,
    p50Ns: perBatch[Math.floor(perBatch.length / 2)]!,
    minNs: perBatch[0]!,
    opsPerSec: 1e9 / meanNs,
    iterations: total,
    samples: perBatch.length,
  };
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
