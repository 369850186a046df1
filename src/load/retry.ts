/**
 * Retries with capped exponential backoff and full jitter, honouring the server's Retry-After
 * (client-go retries 429s after Retry-After seconds; we do the same and also back off on 5xx and
 * connection errors). The caller records the request once with its final outcome and counts each
 * retry, so retries are visible and never replace the first attempt's start time.
 */
import { sleep } from './sleep.js';

export interface RetryPolicy {
  /** Retries after the first attempt (0 = never retry). */
  maxRetries: number;
  /** First backoff step in ms. */
  baseMs: number;
  /** Largest backoff in ms (Retry-After is honoured up to maxRetryAfterMs regardless). */
  capMs: number;
  /** Upper bound for a server-sent Retry-After, so a hostile value cannot stall a run forever. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 5,
  baseMs: 25,
  capMs: 2000,
  maxRetryAfterMs: 30_000,
};

export interface AttemptVerdict {
  retryable: boolean;
  /** From a Retry-After header (or Status details.retryAfterSeconds), in ms. */
  retryAfterMs?: number;
}

/** Delay before retry number `retry` (0-based). */
export function backoffMs(
  retry: number,
  policy: RetryPolicy,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** retry);
  const jittered = exp / 2 + random() * (exp / 2);
  if (retryAfterMs !== undefined && retryAfterMs > 0) {
    // Never earlier than the server asked; a little jitter so a herd of 429s does not return in lockstep.
    const ra = Math.min(retryAfterMs, policy.maxRetryAfterMs);
    return ra + random() * Math.min(ra * 0.1, 100);
  }
  return jittered;
}

/**
 * Run `attempt` until it succeeds, returns a non-retryable outcome, or retries run out. Returns the
 * last outcome (value or thrown error) and how many retries were made.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  judge: (value: T | undefined, error: unknown) => AttemptVerdict,
  options: {
    policy: RetryPolicy;
    onRetry?: () => void;
    signal?: AbortSignal;
    random?: () => number;
    /** Outcome of a first attempt the caller already made (its hot path skips this function). */
    first?: { value?: T; error?: unknown };
  },
): Promise<{ value?: T; error?: unknown; retries: number }> {
  let retries = 0;
  let first = options.first;
  for (;;) {
    let value: T | undefined;
    let error: unknown;
    if (first) {
      ({ value, error } = first);
      first = undefined;
    } else {
      try {
        value = await attempt();
      } catch (e) {
        error = e;
      }
    }
    const v = judge(value, error);
    if (!v.retryable || retries >= options.policy.maxRetries || options.signal?.aborted) {
      return error === undefined ? { value, retries } : { error, retries };
    }
    options.onRetry?.();
    const delay = backoffMs(retries, options.policy, v.retryAfterMs, options.random);
    retries++;
    try {
      await sleep(delay, options.signal);
    } catch {
      return error === undefined ? { value, retries } : { error, retries };
    }
  }
}
