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

/** Sleep until a monotonic deadline (performance.now() ms). */
export function sleepUntil(atMs: number, signal?: AbortSignal): Promise<void> {
  return sleep(atMs - performance.now(), signal);
}
