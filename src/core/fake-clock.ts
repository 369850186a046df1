/**
 * A virtual clock for tests of pacing and timing logic: time only moves when the test says so, so an
 * assertion such as "the 40th arrival starts at 195 ms" is exact on a busy machine too. Code under
 * test must take its time from this clock (a Clock or TimeSource parameter), never from
 * performance.now() or setTimeout directly.
 */
import type { Clock } from './clock.js';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/** Lets every promise chain that is ready run to its next wait (microtasks drain before setImmediate). */
const settle = () => new Promise<void>((r) => setImmediate(r));

export class FakeClock implements Clock {
  private now: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(
    startMs = 0,
    private readonly wallStartMs = Date.UTC(2026, 0, 1),
  ) {
    this.now = startMs;
  }

  nowMs(): number {
    return this.now;
  }

  nowNs(): bigint {
    return BigInt(Math.round(this.now * 1e6));
  }

  wallIso(): string {
    return new Date(this.wallStartMs + this.now).toISOString();
  }

  /** Timers still waiting. */
  get pending(): number {
    return this.timers.length;
  }

  sleepUntil(atMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
    if (atMs <= this.now) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer: Timer = {
        at: atMs,
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal!.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.sleepUntil(this.now + ms, signal);
  }

  /** Moves time forward by `ms`, firing due timers in order and letting their work run between them. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    await settle();
    for (let t = this.next(); t && t.at <= end; t = this.next()) {
      this.fire(t);
      await settle();
    }
    this.now = end;
  }

  /**
   * Runs `work` to completion: whenever nothing can happen without time passing, jumps to the next
   * timer. Throws when `work` waits on something that is not this clock (it would never finish).
   */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    work.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      await settle();
      if (settled) return work;
      const t = this.next();
      if (!t)
        throw new Error(
          `FakeClock: stuck at ${this.now} ms with no timer pending; the work waits on something else`,
        );
      this.fire(t);
    }
  }

  private next(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers)
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best;
  }

  private fire(t: Timer): void {
    this.timers = this.timers.filter((x) => x !== t);
    if (t.at > this.now) this.now = t.at;
    t.resolve();
  }
}
