/**
 * Monotonic time for every measured figure, and the one place code waits for time to pass. Wall-clock
 * time (Date) is only used for timestamps that are shown to people (startedAt/endedAt), never for
 * durations. Pacing code takes a Clock (or its TimeSource part) so tests can drive it with FakeClock
 * (src/core/fake-clock.ts) instead of asserting on how long a busy machine took.
 */
export interface Clock {
  /** Monotonic milliseconds with sub-µs resolution (performance.now()). */
  nowMs(): number;
  /** Monotonic nanoseconds as a bigint (process.hrtime.bigint()), for sub-µs benchmarks. */
  nowNs(): bigint;
  /** Wall-clock ISO timestamp, for display only. */
  wallIso(): string;
  /** Resolves once nowMs() ≥ atMs, never before; rejects with the signal's reason when aborted. */
  sleepUntil(atMs: number, signal?: AbortSignal): Promise<void>;
}

/** What pacing needs from a clock: read it, and wait for a moment on it. */
export type TimeSource = Pick<Clock, 'nowMs' | 'sleepUntil'>;

/**
 * An abortable sleep. Timers in Node have ~1 ms granularity, which bounds pacing precision; callers
 * that need the intended time compute it themselves rather than trusting when the timer fired.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason ?? new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Sleep until a monotonic deadline (performance.now() ms), never returning before it. Timers fire on
 * the event loop's cached, whole-millisecond clock and can run up to ~1 ms early; a request sent
 * before its intended time would then be measured from the future (fast requests clamped to 1 µs).
 * The last stretch is waited out with setImmediate, which keeps the loop serving other work.
 */
export async function sleepUntil(atMs: number, signal?: AbortSignal): Promise<void> {
  const ms = atMs - performance.now();
  if (ms > 1) await sleep(ms - 1, signal);
  while (performance.now() < atMs) {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    await new Promise<void>((r) => setImmediate(r));
  }
}

export const systemClock: Clock = {
  nowMs: () => performance.now(),
  nowNs: () => process.hrtime.bigint(),
  wallIso: () => new Date().toISOString(),
  sleepUntil,
};
