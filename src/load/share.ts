/**
 * A worker's share of a distributed run (`kubeperf run --worker I/N`, or one pod of an Indexed Job):
 * which items it owns and what part of the rate it drives. Every split is deterministic, so the N
 * shares are disjoint and their union is exactly the single-process plan; no coordinator is needed.
 */
import type { LoadModelOptions } from './model.js';

export interface WorkerShare {
  /** 0-based worker index (JOB_COMPLETION_INDEX in an Indexed Job). */
  index: number;
  /** Number of workers. */
  count: number;
}

/** Label carried by every object a worker of a distributed run creates (its index). */
export const LABEL_WORKER = 'kubeperf.io/worker';

/** `I/N` → share; undefined with a reason when malformed. */
export function parseShare(text: string): WorkerShare | { error: string } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return { error: `"${text}" is not I/N (e.g. 0/4)` };
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) return { error: `the worker count must be at least 1 (got ${count})` };
  if (index >= count)
    return { error: `the worker index must be below the count (0…${count - 1}, got ${index})` };
  return { index, count };
}

/** The contiguous range [start, end) of `total` items this worker owns (sizes differ by at most 1). */
export function shareRange(total: number, s: WorkerShare | undefined): { start: number; end: number } {
  if (!s || s.count === 1) return { start: 0, end: total };
  return {
    start: Math.floor((total * s.index) / s.count),
    end: Math.floor((total * (s.index + 1)) / s.count),
  };
}

/** This worker's part of an integer amount (sum over workers = amount). */
export function shareCount(amount: number, s: WorkerShare | undefined): number {
  const r = shareRange(amount, s);
  return r.end - r.start;
}

/**
 * This worker's part of the load model: rates (qps, arrivalRate, ramp and step rates) divided by N,
 * so the workers together drive the configured rate; concurrency and burst split like item counts
 * (at least 1 each, so a worker always makes progress).
 */
export function shareLoad<T extends LoadModelOptions>(o: T, s: WorkerShare | undefined): T {
  if (!s || s.count === 1) return o;
  const n = s.count;
  const out: T = { ...o };
  if (o.qps) out.qps = o.qps / n;
  if (o.burst) out.burst = Math.max(1, shareCount(o.burst, s));
  if (o.concurrency) out.concurrency = Math.max(1, shareCount(o.concurrency, s));
  if (o.arrivalRate) out.arrivalRate = o.arrivalRate / n;
  if (o.ramp) out.ramp = { ...o.ramp, from: o.ramp.from / n, to: o.ramp.to / n };
  if (o.steps) out.steps = o.steps.map((st) => ({ ...st, rate: st.rate / n }));
  if (o.maxInFlight) out.maxInFlight = Math.max(1, shareCount(o.maxInFlight, s));
  // Distinct Poisson streams per worker: the same seed would make N identical arrival patterns.
  if (o.seed !== undefined) out.seed = o.seed * n + s.index;
  return out;
}

/**
 * Whether an existing object belongs to this worker: the worker that created it (its worker label),
 * else a stable hash of namespace/name. Both are independent of when each worker lists, so shares
 * never overlap even though workers do not wait for each other between phases.
 */
export function ownedBy(
  obj: { metadata: { name?: string; namespace?: string; labels?: Record<string, string> } },
  s: WorkerShare | undefined,
): boolean {
  if (!s || s.count === 1) return true;
  const w = obj.metadata.labels?.[LABEL_WORKER];
  if (w !== undefined && /^\d+$/.test(w) && Number(w) < s.count) return Number(w) === s.index;
  return fnv1a(`${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`) % s.count === s.index;
}

/** 32-bit FNV-1a: a stable, well-spread hash of a short string. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
