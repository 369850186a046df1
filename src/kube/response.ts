/**
 * What a request to the API server ended as, and how to classify it: a Kubernetes Status reason for
 * HTTP errors (NotFound, Conflict, TooManyRequests…), or a client-side class for transport errors
 * (ECONNRESET, ECONNREFUSED, Timeout…). Every request maps to exactly one of these.
 */
import type { ErrorOutcome } from '../metrics/recorder.js';
import type { AttemptVerdict } from '../load/retry.js';

export interface KubeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body text (JSON for API objects and Status, plain text for some 404/429s). */
  body: string;
}

/** Reason used when the body is not a Status object (real 429s and plain-text 404s are not). */
const reasonByCode: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export interface StatusInfo {
  reason: string;
  message: string;
  code: number;
  retryAfterSeconds?: number;
}

/** Parse a Status body when there is one; fall back to the HTTP code's usual reason. */
export function statusOf(r: KubeResponse): StatusInfo {
  let reason = reasonByCode[r.status] ?? `HTTP${r.status}`;
  let message = r.body.trim().slice(0, 500);
  let retryAfterSeconds: number | undefined;
  if (r.body.startsWith('{')) {
    try {
      const s = JSON.parse(r.body) as {
        kind?: string;
        reason?: string;
        message?: string;
        details?: { retryAfterSeconds?: number };
      };
      if (s.kind === 'Status') {
        if (s.reason) reason = s.reason;
        if (s.message) message = s.message;
        retryAfterSeconds = s.details?.retryAfterSeconds;
      }
    } catch {
      // not JSON after all: keep the code's reason and the raw text
    }
  }
  return { reason, message, code: r.status, retryAfterSeconds };
}

export function isSuccess(r: KubeResponse): boolean {
  return r.status >= 200 && r.status < 300;
}

export function outcomeOfResponse(r: KubeResponse): ErrorOutcome | undefined {
  if (isSuccess(r)) return undefined;
  const s = statusOf(r);
  return { reason: s.reason, code: r.status };
}

/** Class of a transport-level failure (no HTTP response). */
export function outcomeOfError(e: unknown): ErrorOutcome {
  const err = e as { code?: string; name?: string; cause?: { code?: string } };
  const code = err?.code ?? err?.cause?.code;
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return { reason: 'Timeout', code: 0 };
    case 'UND_ERR_SOCKET':
    case 'ECONNRESET':
    case 'EPIPE':
      return { reason: 'ECONNRESET', code: 0 };
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      return { reason: 'ClientClosed', code: 0 };
    case 'UND_ERR_ABORTED':
    case 'ABORT_ERR':
      return { reason: 'Aborted', code: 0 };
    case undefined:
      return { reason: err?.name === 'AbortError' ? 'Aborted' : 'ClientError', code: 0 };
    default:
      return { reason: code, code: 0 };
  }
}

function retryAfterMs(r: KubeResponse, s?: StatusInfo): number | undefined {
  const h = r.headers['retry-after'];
  const v = Array.isArray(h) ? h[0] : h;
  if (v !== undefined) {
    const secs = Number(v);
    if (Number.isFinite(secs)) return secs * 1000;
    const date = Date.parse(v);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  return s?.retryAfterSeconds !== undefined ? s.retryAfterSeconds * 1000 : undefined;
}

/**
 * Which outcomes are worth retrying: 429, 5xx except 501, and connection resets/refusals/timeouts.
 * 4xx other than 429 are the caller's mistake or a real conflict and are returned as they are.
 */
export function judgeAttempt(r: KubeResponse | undefined, e: unknown): AttemptVerdict {
  if (r) {
    if (r.status === 429 || (r.status >= 500 && r.status !== 501)) {
      return {
        retryable: true,
        retryAfterMs: retryAfterMs(r, r.body.startsWith('{') ? statusOf(r) : undefined),
      };
    }
    return { retryable: false };
  }
  const o = outcomeOfError(e);
  return {
    retryable: ['ECONNRESET', 'ECONNREFUSED', 'Timeout', 'EAI_AGAIN', 'ENOTFOUND'].includes(o.reason),
  };
}

/** Human message for an unexpected response, e.g. `404 NotFound: configmaps "x" not found`. */
export function describeResponse(r: KubeResponse): string {
  const s = statusOf(r);
  return `${r.status} ${s.reason}: ${s.message}`;
}
