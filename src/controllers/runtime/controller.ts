/**
 * The worker loop of a controller (controller-runtime's reconcileHandler): N workers take keys from
 * the work queue and reconcile them; the result decides what happens to the key:
 * - thrown error → addRateLimited (per-item backoff and the queue's bucket), unless maxRetries is
 *   reached, then the key is dropped (kro's QueueMaxRetries);
 * - { requeueAfterMs } → forget the backoff, addAfter (0 = add now, like kro's RequeueNeeded);
 * - { requeue: true } → addRateLimited;
 * - otherwise → forget.
 * Each reconcile is timed into controller_runtime_reconcile_* and handed to onReconciled for
 * controller-specific metrics (kro's dynamic_controller_* names).
 */
import type { Logger } from '../../core/logger.js';
import type { ReconcileOutcome, ReconcilerMetrics } from './metrics.js';
import type { WorkQueue } from './workqueue.js';

export interface ReconcileResult {
  /** Reconcile again after this many ms (0 = as soon as a worker is free), without backoff. */
  requeueAfterMs?: number;
  /** Reconcile again through the rate limiter. */
  requeue?: boolean;
}

export type Reconcile = (key: string) => Promise<ReconcileResult | void>;

export interface ControllerLoopOptions {
  name: string;
  queue: WorkQueue;
  reconcile: Reconcile;
  workers: number;
  /** Rate-limited retries of one key before it is dropped (default: unlimited). */
  maxRetries?: number;
  metrics?: ReconcilerMetrics;
  log?: Logger;
  onReconciled?: (key: string, outcome: ReconcileOutcome, seconds: number, error?: unknown) => void;
}

export class ControllerLoop {
  private readonly workers: Promise<void>[] = [];
  private busyMs = 0;
  reconciles = 0;
  errors = 0;

  constructor(private readonly o: ControllerLoopOptions) {}

  start(): void {
    for (let i = 0; i < Math.max(1, this.o.workers); i++) this.workers.push(this.worker());
  }

  /** Summed reconcile time of all workers (ms), for utilisation = busy / (workers × elapsed). */
  get busyMilliseconds(): number {
    return this.busyMs;
  }

  private async worker(): Promise<void> {
    const { queue, metrics } = this.o;
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      metrics?.activeWorkers(1);
      const t0 = performance.now();
      let outcome: ReconcileOutcome = 'success';
      let error: unknown;
      try {
        const r = await this.o.reconcile(key);
        if (r?.requeueAfterMs !== undefined) {
          outcome = 'requeue_after';
          queue.forget(key);
          queue.addAfter(key, r.requeueAfterMs);
        } else if (r?.requeue) {
          outcome = 'requeue';
          queue.addRateLimited(key);
        } else {
          queue.forget(key);
        }
      } catch (e) {
        outcome = 'error';
        error = e;
        this.errors++;
        if (this.o.maxRetries === undefined || queue.numRequeues(key) < this.o.maxRetries) {
          queue.addRateLimited(key);
        } else {
          this.o.log?.warn(
            `${this.o.name}: dropping ${key} after ${this.o.maxRetries} retries: ${describe(e)}`,
          );
          queue.forget(key);
        }
      } finally {
        const ms = performance.now() - t0;
        this.busyMs += ms;
        this.reconciles++;
        metrics?.activeWorkers(-1);
        metrics?.reconciled(outcome, ms / 1000);
        this.o.onReconciled?.(key, outcome, ms / 1000, error);
        queue.done(key);
      }
    }
  }

  /** Shuts the queue down and waits for workers to finish their current item. */
  async stop(): Promise<void> {
    this.o.queue.shutDown();
    await Promise.all(this.workers);
  }
}

export function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
