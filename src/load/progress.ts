/**
 * Progress counts from the request loop, passed on at most every `intervalMs`: a terminal bar
 * redrawn per request would cost the load generator CPU for nothing the eye can see.
 */
import type { ProgressReporter } from '../core/progress.js';

export function coalescedProgress(
  inner: ProgressReporter,
  intervalMs = 100,
  now: () => number = () => performance.now(),
): ProgressReporter {
  let done = 0;
  let errors = 0;
  let last = 0;
  const flush = () => {
    if (done || errors) inner.advance(done, errors);
    done = 0;
    errors = 0;
    last = now();
  };
  return {
    start(total, unit) {
      flush();
      inner.start(total, unit);
    },
    advance(n = 1, e = 0) {
      done += n;
      errors += e;
      if (now() - last >= intervalMs) flush();
    },
    status(text) {
      flush();
      inner.status(text);
    },
    finish() {
      flush();
      inner.finish();
    },
  };
}
