/**
 * Time for the controller runtime: a monotonic clock and one-shot timers behind one interface, so the
 * work queue and its rate limiters run on real time in a controller and on a hand-advanced clock in
 * unit tests (no test of queue semantics waits on the wall clock).
 */
import type { TimeSource } from '../../core/clock.js';

export interface Timers {
  /** Monotonic milliseconds. */
  now(): number;
  /** Runs fn once after ms; returns a cancel function. */
  after(ms: number, fn: () => void): () => void;
}

/** The same time as a TimeSource (what src/load's token bucket paces with). */
export function timeSourceOf(timers: Timers): TimeSource {
  return {
    nowMs: () => timers.now(),
    sleepUntil: (atMs, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
        const onAbort = () => {
          cancel();
          reject(signal!.reason ?? new Error('aborted'));
        };
        const cancel = timers.after(atMs - timers.now(), () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

export const realTimers: Timers = {
  now: () => performance.now(),
  after(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(t);
  },
};

/** A clock that moves only when advance() is called; due timers fire in time order. */
export class ManualTimers implements Timers {
  private t = 0;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.t;
  }

  after(ms: number, fn: () => void): () => void {
    const id = this.seq++;
    this.pending.set(id, { at: this.t + Math.max(0, ms), fn });
    return () => this.pending.delete(id);
  }

  /** Moves time forward by ms, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.pending) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.pending.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
  }

  get timers(): number {
    return this.pending.size;
  }
}
