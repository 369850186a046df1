/**
 * Setup of every test file (vitest.config.ts setupFiles), inside the worker process.
 *
 * vitest 3 gives each worker→runner RPC call a fixed 60 s to be acknowledged, and runs a timer check
 * before it reads the reply: a worker whose event loop was busy or starved for a minute (a synchronous
 * wait, or a machine loaded far beyond its cores) reports `[vitest-worker]: Timeout calling
 * "onTaskUpdate"` as an unhandled error and fails a run in which every test passed. The update itself
 * was already delivered; only its acknowledgement was late. vitest 4 waits for it without a timeout
 * (vitest-dev/vitest#8297); until this project moves to vitest 4, a late acknowledgement of onTaskUpdate
 * is not an error here. Any other RPC failure still is.
 *
 * Tests themselves must not block the loop (src/cli/test-support.ts runs the CLI asynchronously); a
 * test that blocks it for long is named on stderr so it can be fixed.
 */
import { afterEach, beforeEach, expect } from 'vitest';

type Rpc = Record<string | symbol, unknown>;
const patched = Symbol.for('kubeperf.rpc.lateAckTolerated');
const state = (globalThis as { __vitest_worker__?: { rpc?: Rpc; [patched]?: boolean } }).__vitest_worker__;
const rpc = state?.rpc;
if (state && rpc && !state[patched]) {
  state[patched] = true;
  state.rpc = new Proxy(rpc, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== 'onTaskUpdate' || typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        (value as (...a: unknown[]) => Promise<unknown>)(...args).catch((e: unknown) => {
          if (!/Timeout calling "onTaskUpdate"/.test(String((e as Error)?.message))) throw e;
        });
    },
  });
}

const BLOCKED_MS = 20_000;
// The real clock and timers, taken before any test can install fake ones.
const { setInterval, clearInterval } = globalThis;
const now = performance.now.bind(performance);
// The longest gap between ticks of an interval is the longest time the test kept the loop busy.
let ticker: NodeJS.Timeout | undefined;
let last = 0;
let longest = 0;
beforeEach(() => {
  last = now();
  longest = 0;
  ticker = setInterval(() => {
    const t = now();
    longest = Math.max(longest, t - last);
    last = t;
  }, 50);
});
afterEach(() => {
  clearInterval(ticker);
  longest = Math.max(longest, now() - last); // a block that ended the test
  if (longest > BLOCKED_MS)
    console.warn(
      `warning: ${expect.getState().currentTestName} blocked its worker's event loop for ${(longest / 1000).toFixed(1)} s; ` +
        'use asynchronous APIs (vitest needs the loop to answer its RPC within 60 s)',
    );
});
