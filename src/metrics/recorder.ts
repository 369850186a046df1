/**
 * Records every request outcome of a phase: one HDR histogram per op (µs), errors by reason and
 * HTTP code, retries, and per-window time series. Every request ends as exactly one success or one
 * classified error; retries are counted separately and never replace the first attempt's outcome.
 */
import { createHistogram, encodeHistogram, summarizeUs, type Histogram } from './histogram.js';
import type { OpStats, SeriesPoint } from '../results/types.js';

export interface ErrorOutcome {
  /** Kubernetes Status reason (NotFound, TooManyRequests…) or a client-side class (ECONNRESET, Timeout…). */
  reason: string;
  /** HTTP status code, 0 for a connection-level error. */
  code?: number;
}

interface Window {
  count: number;
  errors: number;
  /** Sum of successful latencies (µs), for the window mean without a full histogram scan. */
  sumUs: number;
  hist: Histogram;
}

/** Per-op totals so far; read-only outside the Recorder. */
export type LiveOp = Readonly<Pick<OpRecord, 'hist' | 'count' | 'errors' | 'retries' | 'errorsByCode'>>;

class OpRecord {
  readonly hist = createHistogram();
  count = 0;
  errors = 0;
  retries = 0;
  readonly errorsByReason: Record<string, number> = {};
  readonly errorsByCode: Record<string, number> = {};
  firstStartMs = Infinity;
  lastEndMs = -Infinity;
  readonly windows: Window[] = [];
}

export class Recorder {
  private readonly ops = new Map<string, OpRecord>();

  /**
   * @param originMs monotonic ms that window 0 starts at (the phase start)
   * @param windowMs width of a time-series window
   */
  constructor(
    readonly originMs: number,
    readonly windowMs = 1000,
  ) {}

  private op(name: string): OpRecord {
    let r = this.ops.get(name);
    if (!r) {
      r = new OpRecord();
      this.ops.set(name, r);
    }
    return r;
  }

  /**
   * One finished request. `startMs` is when it was meant to start (the intended time in open-model
   * load, so queueing delay counts), `endMs` when its outcome was known; both monotonic ms.
   */
  record(op: string, startMs: number, endMs: number, error?: ErrorOutcome): void {
    const r = this.op(op);
    const latencyUs = Math.max(1, Math.round((endMs - startMs) * 1000));
    r.count++;
    if (startMs < r.firstStartMs) r.firstStartMs = startMs;
    if (endMs > r.lastEndMs) r.lastEndMs = endMs;
    const wi = Math.max(0, Math.floor((endMs - this.originMs) / this.windowMs));
    let w = r.windows[wi];
    if (!w) {
      w = { count: 0, errors: 0, sumUs: 0, hist: createHistogram() };
      r.windows[wi] = w;
    }
    w.count++;
    if (error) {
      r.errors++;
      w.errors++;
      r.errorsByReason[error.reason] = (r.errorsByReason[error.reason] ?? 0) + 1;
      const code = String(error.code ?? 0);
      r.errorsByCode[code] = (r.errorsByCode[code] ?? 0) + 1;
      return;
    }
    // Only successes enter the latency histogram: a fast 503 must not make the API look quick.
    r.hist.recordValue(latencyUs);
    w.hist.recordValue(latencyUs);
    w.sumUs += latencyUs;
  }

  /** A retry of a request that is still in flight (its final outcome is recorded once, later). */
  retry(op: string): void {
    this.op(op).retries++;
  }

  /** Live per-op totals for kubeperf's exporter, read on its scrape: nothing is added per request. */
  liveOps(): ReadonlyMap<string, LiveOp> {
    return this.ops;
  }

  opNames(): string[] {
    return [...this.ops.keys()];
  }

  /** Stats of every op recorded so far, in the results.json shape. */
  snapshot(): Record<string, OpStats> {
    const out: Record<string, OpStats> = {};
    for (const [name, r] of this.ops) out[name] = this.stats(r);
    return out;
  }

  private stats(r: OpRecord): OpStats {
    const spanMs = r.lastEndMs - r.firstStartMs;
    const ok = r.count - r.errors;
    const series: SeriesPoint[] = [];
    for (let i = 0; i < r.windows.length; i++) {
      const w = r.windows[i];
      if (!w) continue;
      // Not summarizeUs(): hdr-histogram-js computes mean/stddev by scanning every bucket of an
      // auto-resized histogram (~13 ms per window), which made a 10-minute run's snapshot take ~55 s
      // (bench/client/recorder-heap). Percentiles are cheap; the mean comes from a running sum.
      const okW = w.count - w.errors;
      series.push({
        t: (i * this.windowMs) / 1000,
        count: w.count,
        errors: w.errors,
        throughput: round2((okW * 1000) / this.windowMs),
        p50: okW ? round3(w.hist.getValueAtPercentile(50) / 1000) : 0,
        p99: okW ? round3(w.hist.getValueAtPercentile(99) / 1000) : 0,
        mean: okW ? round3(w.sumUs / okW / 1000) : 0,
      });
    }
    return {
      count: r.count,
      errors: r.errors,
      retries: r.retries,
      errorsByReason: { ...r.errorsByReason },
      errorsByCode: { ...r.errorsByCode },
      throughput: spanMs > 0 ? round2((ok * 1000) / spanMs) : 0,
      durationMs: spanMs > 0 ? round2(spanMs) : 0,
      ...(r.count ? { startOffsetMs: round2(r.firstStartMs - this.originMs) } : {}),
      latencyMs: summarizeUs(r.hist),
      histogram: encodeHistogram(r.hist),
      series,
    };
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
