/**
 * Pacing only: these functions schedule closures and never know what a closure does (clusterloader2's
 * tuning sets). A task receives its index and its intended start time (monotonic ms) and records its
 * own outcome against that time.
 */
import { arrivalOffsets, type ArrivalSpec } from './arrivals.js';
import { systemClock, type TimeSource } from '../core/clock.js';
import type { RateLimiter } from './token-bucket.js';

export type Task = (index: number, intendedMs: number) => Promise<void>;

export interface PacingStats {
  /** Tasks started. */
  started: number;
  /** Open model: starts later than `lateAfterMs` behind their intended time (client could not keep up). */
  late: number;
  /** Open model: arrivals that never started (stopped, or the schedule's deadline passed). */
  dropped: number;
  /** Largest start delay behind schedule, ms. */
  maxLagMs: number;
}

/**
 * Closed model: `concurrency` workers each take a token and run the next task until `total` tasks
 * ran. Latency is measured from the token's release time (when the limiter allowed the request).
 */
export async function runClosed(opts: {
  total: number;
  concurrency: number;
  limiter: RateLimiter;
  task: Task;
  signal?: AbortSignal;
}): Promise<PacingStats> {
  let next = 0;
  const stats: PacingStats = { started: 0, late: 0, dropped: 0, maxLagMs: 0 };
  const worker = async () => {
    while (next < opts.total && !opts.signal?.aborted) {
      const i = next++;
      let at: number;
      try {
        at = await opts.limiter.take(opts.signal);
      } catch {
        break;
      }
      stats.started++;
      await opts.task(i, at);
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency, opts.total));
  await Promise.all(Array.from({ length: n }, worker));
  stats.dropped = opts.total - stats.started;
  return stats;
}

/**
 * Open model: starts tasks at the schedule's intended times whether or not earlier ones finished.
 * `maxInFlight` bounds memory; when it is reached, starts queue (and count as late) but keep their
 * intended time, so the wait is part of the measured latency.
 */
export async function runOpen(opts: {
  arrivals: ArrivalSpec;
  /** Stop after this many arrivals (required for unbounded schedules unless durationMs is set). */
  total?: number;
  /** Stop scheduling arrivals after this long. */
  durationMs?: number;
  maxInFlight?: number;
  lateAfterMs?: number;
  task: Task;
  signal?: AbortSignal;
  /** Where time is read and waited for (tests pass a FakeClock). */
  clock?: TimeSource;
}): Promise<PacingStats> {
  const clock = opts.clock ?? systemClock;
  const now = () => clock.nowMs();
  const maxInFlight = opts.maxInFlight ?? 4096;
  const lateAfterMs = opts.lateAfterMs ?? 10;
  const stats: PacingStats = { started: 0, late: 0, dropped: 0, maxLagMs: 0 };
  const inflight = new Set<Promise<void>>();
  const start = now();
  let i = 0;
  for (const offset of arrivalOffsets(opts.arrivals)) {
    if (opts.total !== undefined && i >= opts.total) break;
    if (opts.durationMs !== undefined && offset >= opts.durationMs) break;
    const intended = start + offset;
    if (opts.signal?.aborted) {
      stats.dropped += opts.total !== undefined ? opts.total - i : 1;
      break;
    }
    if (intended > now()) {
      try {
        await clock.sleepUntil(intended, opts.signal);
      } catch {
        continue; // aborted: counted as dropped on the next turn
      }
    }
    while (inflight.size >= maxInFlight) await Promise.race(inflight);
    const lag = now() - intended;
    if (lag > lateAfterMs) stats.late++;
    if (lag > stats.maxLagMs) stats.maxLagMs = lag;
    const index = i++;
    stats.started++;
    const p: Promise<void> = opts.task(index, intended).then(
      () => {
        inflight.delete(p);
      },
      () => {
        inflight.delete(p);
      },
    );
    inflight.add(p);
  }
  await Promise.all(inflight);
  return stats;
}
