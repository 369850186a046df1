/**
 * client-go's rate-limiting work queue (util/workqueue: Type + delaying + rate-limiting), for string
 * keys. The semantics controllers depend on:
 * - an item is queued at most once (dirty set): adds while it waits are merged;
 * - an item is processed by one worker at a time: adds while it is processed mark it dirty, and it is
 *   queued again when the worker calls done();
 * - addAfter keeps only the earliest pending time per item; addRateLimited = addAfter(limiter.when);
 * - FIFO order otherwise.
 * Metrics follow client-go's names (see metrics.ts).
 */
import type { WorkqueueMetrics } from './metrics.js';
import { controllerRateLimiter, type WorkqueueRateLimiter } from './rate-limiter.js';
import { realTimers, type Timers } from './timers.js';

export class WorkQueue {
  private readonly queue: string[] = [];
  /** Head index into `queue` (shift() on a long array is O(n)). */
  private head = 0;
  private readonly dirty = new Set<string>();
  /** Items being processed → when get() handed them out (ms). */
  private readonly processing = new Map<string, number>();
  /** When each queued item was added (ms), for the queue-duration histogram. */
  private readonly addedAt = new Map<string, number>();
  /** Delayed items → their ready time and the timer that will add them. */
  private readonly waiting = new Map<string, { at: number; cancel: () => void }>();
  private readonly getters: ((item: string | undefined) => void)[] = [];
  private shuttingDown = false;

  constructor(
    readonly name: string,
    readonly limiter: WorkqueueRateLimiter = controllerRateLimiter(),
    private readonly metrics?: WorkqueueMetrics,
    private readonly timers: Timers = realTimers,
  ) {
    metrics?.trackInFlight(
      () => this.processing.values(),
      () => timers.now(),
    );
  }

  /** Items waiting to be processed (client-go Len). */
  get length(): number {
    return this.queue.length - this.head;
  }

  /** Items waiting for their delay to pass. */
  get delayed(): number {
    return this.waiting.size;
  }

  get inFlight(): number {
    return this.processing.size;
  }

  add(item: string): void {
    if (this.shuttingDown || this.dirty.has(item)) return;
    this.metrics?.add();
    this.addedAt.set(item, this.timers.now());
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.push(item);
  }

  private push(item: string): void {
    const getter = this.getters.shift();
    if (getter) this.handOut(item, getter);
    else this.queue.push(item);
  }

  private handOut(item: string, to: (item: string) => void): void {
    const now = this.timers.now();
    this.metrics?.got((now - (this.addedAt.get(item) ?? now)) / 1000);
    this.addedAt.delete(item);
    this.processing.set(item, now);
    this.dirty.delete(item);
    to(item);
  }

  /** Next item; resolves undefined once the queue shuts down. */
  get(): Promise<string | undefined> {
    // client-go hands out what is still queued after ShutDown; a simulated controller stops at once.
    if (this.shuttingDown) return Promise.resolve(undefined);
    if (this.head < this.queue.length) {
      const item = this.queue[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      return new Promise((resolve) => this.handOut(item, resolve));
    }
    return new Promise((resolve) => this.getters.push(resolve as (item: string | undefined) => void));
  }

  /** The worker finished the item; it is queued again if it was added meanwhile. */
  done(item: string): void {
    const started = this.processing.get(item);
    if (started === undefined) return;
    this.metrics?.done((this.timers.now() - started) / 1000);
    this.processing.delete(item);
    if (this.dirty.has(item) && !this.shuttingDown) this.push(item);
  }

  addAfter(item: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(item);
      return;
    }
    const at = this.timers.now() + ms;
    const prev = this.waiting.get(item);
    if (prev && prev.at <= at) return;
    prev?.cancel();
    const cancel = this.timers.after(ms, () => {
      this.waiting.delete(item);
      this.add(item);
    });
    this.waiting.set(item, { at, cancel });
  }

  addRateLimited(item: string): void {
    this.metrics?.retry();
    this.addAfter(item, this.limiter.when(item));
  }

  forget(item: string): void {
    this.limiter.forget(item);
  }

  numRequeues(item: string): number {
    return this.limiter.numRequeues(item);
  }

  /** Stops handing out items (queued ones included); waiting getters resolve undefined; delayed adds are dropped. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const w of this.waiting.values()) w.cancel();
    this.waiting.clear();
    for (const g of this.getters.splice(0)) g(undefined);
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }
}
