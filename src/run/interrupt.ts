/**
 * SIGINT/SIGTERM during a run: the first signal aborts the run's AbortSignal (phases stop issuing load
 * and let in-flight requests finish, bounded), results are written with `interrupted: true`, owned
 * objects are cleaned up unless --keep, and the process exits 130. A second signal skips the cleanup
 * wait and calls `onForce` so results still get written.
 */
import { setMaxListeners } from 'node:events';

export interface InterruptHandle {
  signal: AbortSignal;
  interrupted(): boolean;
  dispose(): void;
}

export function watchInterrupts(onForce: () => void, log: (msg: string) => void): InterruptHandle {
  const controller = new AbortController();
  // Every paced wait, request and watch of a run listens on this one signal, and removes its listener
  // when it ends: dozens at once are normal, not the leak Node's default limit of 10 warns about.
  setMaxListeners(0, controller.signal);
  let count = 0;
  const handler = (sig: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      log(
        `${sig}: stopping load, waiting for in-flight requests, then writing results (press Ctrl-C again to stop now)`,
      );
      controller.abort(new Error(sig));
    } else {
      onForce();
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    interrupted: () => count > 0,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/** Resolves when `p` settles or after `ms`, whichever is first (bounded wait for in-flight work). */
export async function settleWithin<T>(
  p: Promise<T>,
  ms: number,
): Promise<{ done: true; value: T } | { done: false }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ done: false }>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms);
  });
  try {
    return await Promise.race([p.then((value) => ({ done: true as const, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
