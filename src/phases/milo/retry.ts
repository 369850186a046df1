/**
 * The runner's retry rule for creates (retry_with_backoff + should_retry_api_exception): a 429 or 500,
 * or a body naming a webhook failure, an internal error or an EOF, is tried again, up to 6 attempts,
 * waiting 1, 2, 4, 8, 16 s (doubling, capped at 16 s). A transport error (no response: the EOF case
 * of a dropped connection) is retried the same way. The request is recorded once, from its first
 * attempt to the final answer, with each retry counted (src/metrics/recorder.ts).
 */
import { outcomeOfError, outcomeOfResponse, type KubeResponse } from '../../kube/response.js';
import type { RestClient, RestRequest } from '../../kube/rest.js';
import { sleep as realSleep } from '../../load/sleep.js';
import type { Recorder } from '../../metrics/recorder.js';

export interface CreateRetry {
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export function retryable(r: KubeResponse | undefined): boolean {
  if (!r) return true;
  if (r.status === 429 || r.status === 500) return true;
  if (r.status < 400) return false;
  return (
    r.body.includes('Internal error occurred') ||
    r.body.includes('failed calling webhook') ||
    r.body.includes('EOF')
  );
}

export interface SendResult {
  response?: KubeResponse;
  error?: unknown;
  attempts: number;
  /** First attempt sent → final answer, ms. */
  ms: number;
}

/** One request under the rule (KubeClient's own retries are not used: this rule replaces them). */
export async function sendWithRetry(
  rest: RestClient,
  op: string,
  req: RestRequest,
  o: {
    retry: CreateRetry;
    recorder?: Recorder;
    signal?: AbortSignal;
    onRetry?: (attempt: number, r: KubeResponse | undefined, delayMs: number) => void;
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  },
): Promise<SendResult> {
  const sleep = o.sleep ?? realSleep;
  const start = performance.now();
  let delay = o.retry.firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    let response: KubeResponse | undefined;
    let error: unknown;
    try {
      response = await rest.request(req);
    } catch (e) {
      error = e;
    }
    const last = attempt >= o.retry.attempts || o.signal?.aborted;
    if (!retryable(response) || last) {
      const end = performance.now();
      o.recorder?.record(op, start, end, response ? outcomeOfResponse(response) : outcomeOfError(error));
      return { response, error, attempts: attempt, ms: end - start };
    }
    o.onRetry?.(attempt, response, delay);
    o.recorder?.retry(op);
    try {
      await sleep(delay, o.signal);
    } catch {
      const end = performance.now();
      o.recorder?.record(op, start, end, response ? outcomeOfResponse(response) : outcomeOfError(error));
      return { response, error, attempts: attempt, ms: end - start };
    }
    delay = Math.min(delay * 2, o.retry.maxDelayMs);
  }
}
