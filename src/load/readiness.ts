/**
 * Readiness latency from watch events: create-sent → first watch event showing the object ready,
 * both on our monotonic clock (ms precision, not 1-second condition timestamps). `expect` is called
 * before the create is sent, so an event can never arrive for an unknown object; objects named by
 * the server (generateName) are matched once the create response names them.
 */
import type { Recorder } from '../metrics/recorder.js';

interface Pending {
  sentMs: number;
  /** The recorder's round when the create was sent: the outcome belongs to it, whenever it arrives. */
  round: number;
  ready: (o: unknown) => boolean;
  /** The first watch event for the object was seen (op `watch` recorded). */
  seen?: boolean;
}

export class ReadinessTracker {
  private readonly pending = new Map<string, Pending>();
  /** Objects seen ready before their expect() (generateName races): key → receive time. */
  private readonly early = new Map<string, number>();
  private readonly waiters = new Set<() => void>();
  readonly latenciesMs: number[] = [];
  ready = 0;

  constructor(
    private readonly recorder: Recorder,
    private readonly op = 'readiness',
    private readonly watchOp = 'watch',
  ) {}

  get outstanding(): number {
    return this.pending.size;
  }

  expect(key: string, sentMs: number, ready: (o: unknown) => boolean): void {
    const round = this.recorder.round;
    const seen = this.early.get(key);
    if (seen !== undefined) {
      this.early.delete(key);
      this.done(sentMs, seen, round);
      return;
    }
    this.pending.set(key, { sentMs, ready, round });
  }

  /** The create failed: nothing will become ready. */
  forget(key: string): void {
    this.pending.delete(key);
    this.notify();
  }

  /** Feed a watch event's object. */
  observe(key: string, object: unknown, receivedMs: number, readyIfUnknown?: (o: unknown) => boolean): void {
    const p = this.pending.get(key);
    if (!p) {
      if (readyIfUnknown?.(object)) this.early.set(key, receivedMs);
      return;
    }
    if (!p.seen) {
      // Watch propagation: create sent → first event for the object on our watch.
      p.seen = true;
      this.recorder.record(this.watchOp, p.sentMs, receivedMs, undefined, p.round);
    }
    if (!p.ready(object)) return;
    this.pending.delete(key);
    this.done(p.sentMs, receivedMs, p.round);
  }

  private done(sentMs: number, receivedMs: number, round: number): void {
    this.ready++;
    this.latenciesMs.push(receivedMs - sentMs);
    this.recorder.record(this.op, sentMs, receivedMs, undefined, round);
    this.notify();
  }

  private notify(): void {
    for (const w of this.waiters) w();
  }

  /** Resolves when nothing is outstanding, or at the deadline; outstanding objects are recorded as Timeout. */
  async waitAll(timeoutMs: number, signal?: AbortSignal): Promise<{ timedOut: number }> {
    if (this.pending.size) {
      await new Promise<void>((resolve) => {
        const check = () => {
          if (this.pending.size === 0 || signal?.aborted) finish();
        };
        const finish = () => {
          clearTimeout(timer);
          this.waiters.delete(check);
          signal?.removeEventListener('abort', finish);
          resolve();
        };
        const timer = setTimeout(finish, timeoutMs);
        signal?.addEventListener('abort', finish, { once: true });
        this.waiters.add(check);
        check();
      });
    }
    const timedOut = this.pending.size;
    const now = performance.now();
    for (const p of this.pending.values())
      this.recorder.record(this.op, p.sentMs, now, { reason: 'Timeout', code: 0 }, p.round);
    this.pending.clear();
    return { timedOut };
  }
}
