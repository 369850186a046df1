/**
 * client-go's client-side rate limiter (flowcontrol.NewTokenBucketRateLimiter over x/time/rate):
 * the bucket starts full with `burst` tokens and refills at `qps` per second. Each request reserves a
 * token and waits until its reservation matures, so waiters are served in FIFO order and a burst of
 * callers is spread out exactly like client-go spreads them.
 */
import { systemClock, type TimeSource } from '../core/clock.js';

export interface RateLimiter {
  /**
   * Reserve one token; resolves at the monotonic ms when the request may be sent (its intended start).
   * Rejects with the signal's reason when aborted.
   */
  take(signal?: AbortSignal): Promise<number>;
}

export class TokenBucket implements RateLimiter {
  private tokens: number;
  private lastMs: number;

  /**
   * @param qps tokens per second; 0 or less means unlimited (as client-go's QPS < 0)
   * @param burst bucket size; client-go treats burst < 1 with qps > 0 as 1
   * @param clock where time is read and waited for (tests pass a FakeClock)
   */
  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly clock: TimeSource = systemClock,
  ) {
    this.burst = Math.max(1, Math.floor(burst));
    this.tokens = this.burst;
    this.lastMs = clock.nowMs();
  }

  get unlimited(): boolean {
    return !(this.qps > 0) || !Number.isFinite(this.qps);
  }

  /** Reserve a token without waiting; returns how many ms the caller must wait before sending. */
  reserve(): number {
    if (this.unlimited) return 0;
    const now = this.clock.nowMs();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastMs) * this.qps) / 1000);
    this.lastMs = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.qps;
  }

  async take(signal?: AbortSignal): Promise<number> {
    const wait = this.reserve();
    const at = this.clock.nowMs() + wait;
    if (wait > 0) await this.clock.sleepUntil(at, signal);
    return at;
  }
}

/** A limiter that never waits. */
export const unlimited: RateLimiter = { take: async () => performance.now() };
