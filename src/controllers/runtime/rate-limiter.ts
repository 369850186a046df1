/**
 * client-go's work-queue rate limiters (k8s.io/client-go/util/workqueue/default_rate_limiters.go):
 * per-item exponential failure backoff, an overall token bucket, and their max. `when(item)` is the
 * delay before an item may be processed again after AddRateLimited; `forget(item)` ends its backoff.
 * DefaultControllerRateLimiter = max(exponential 5 ms → 1000 s, bucket 10/s burst 100); kro uses the
 * same shape with a 200 ms base. Either part can be turned off.
 */
import { TokenBucket } from '../../load/token-bucket.js';
import { realTimers, timeSourceOf, type Timers } from './timers.js';

export interface WorkqueueRateLimiter {
  /** Delay (ms) before the item may be retried; counts a requeue for per-item limiters. */
  when(item: string): number;
  forget(item: string): void;
  numRequeues(item: string): number;
}

/** baseMs · 2^failures, capped at maxMs (client-go ItemExponentialFailureRateLimiter). */
export class ItemExponentialFailureRateLimiter implements WorkqueueRateLimiter {
  private readonly failures = new Map<string, number>();

  constructor(
    readonly baseMs: number,
    readonly maxMs: number,
  ) {}

  when(item: string): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    const backoff = this.baseMs * 2 ** exp;
    return Number.isFinite(backoff) ? Math.min(backoff, this.maxMs) : this.maxMs;
  }

  forget(item: string): void {
    this.failures.delete(item);
  }

  numRequeues(item: string): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * One token bucket for every item (client-go BucketRateLimiter over x/time/rate): each call reserves
 * a token and waits until it matures, so a flood of requeues is spread at qps after the first burst.
 */
export class BucketRateLimiter implements WorkqueueRateLimiter {
  private readonly bucket: TokenBucket;

  constructor(
    readonly qps: number,
    readonly burst: number,
    timers: Timers = realTimers,
  ) {
    this.bucket = new TokenBucket(qps, burst, timeSourceOf(timers));
  }

  when(): number {
    return this.bucket.reserve();
  }

  forget(): void {}

  numRequeues(): number {
    return 0;
  }
}

/** The longest delay of several limiters (client-go MaxOfRateLimiter). */
export class MaxOfRateLimiter implements WorkqueueRateLimiter {
  constructor(readonly limiters: WorkqueueRateLimiter[]) {}

  when(item: string): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.when(item));
    return max;
  }

  forget(item: string): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: string): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.numRequeues(item));
    return max;
  }
}

export interface RateLimiterOptions {
  /** Per-item exponential backoff base, ms (0 = no per-item backoff). */
  backoffBaseMs: number;
  /** Per-item backoff cap, ms. */
  backoffMaxMs: number;
  /** Overall bucket rate, items/s (0 = no bucket). */
  bucketQps: number;
  bucketBurst: number;
}

/** client-go's DefaultControllerRateLimiter parameters. */
export const defaultRateLimiterOptions: RateLimiterOptions = {
  backoffBaseMs: 5,
  backoffMaxMs: 1_000_000,
  bucketQps: 10,
  bucketBurst: 100,
};

export function controllerRateLimiter(
  o: RateLimiterOptions = defaultRateLimiterOptions,
  timers: Timers = realTimers,
): WorkqueueRateLimiter {
  const parts: WorkqueueRateLimiter[] = [];
  if (o.backoffBaseMs > 0) parts.push(new ItemExponentialFailureRateLimiter(o.backoffBaseMs, o.backoffMaxMs));
  if (o.bucketQps > 0) parts.push(new BucketRateLimiter(o.bucketQps, o.bucketBurst, timers));
  return new MaxOfRateLimiter(parts);
}
