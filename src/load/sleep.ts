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
