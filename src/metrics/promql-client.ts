/**
 * A client for the Prometheus HTTP query API (`/api/v1/query`, `/api/v1/query_range`), which
 * Prometheus, VictoriaMetrics and Thanos all serve. Errors are classified so callers can tell a query
 * the backend rejected (bad input: name the query) from a backend that is not there (a warning: the
 * measurement is missing, never zero).
 */
import type { Labels } from './prom-text.js';

export interface PromEndpoint {
  /** Base URL, e.g. http://127.0.0.1:9090 (a path prefix such as /select/0/prometheus is kept). */
  url: string;
  headers?: Record<string, string>;
  /** Per-request timeout, ms (default 15 s). */
  timeoutMs?: number;
  /** The scrape interval of the series behind it, when known (the local stack's), ms. */
  scrapeIntervalMs?: number;
  /**
   * Makes what was ingested so far queryable (VictoriaMetrics buffers new series for seconds; its
   * /internal/force_flush ends that); called before querying a boundary that just passed.
   */
  flush?: () => Promise<void>;
}

export type PromErrorKind = 'unreachable' | 'bad_query' | 'server';

export class PromQueryError extends Error {
  constructor(
    readonly kind: PromErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PromQueryError';
  }
}

export interface InstantSample {
  labels: Labels;
  value: number;
}

export interface RangeSeries {
  labels: Labels;
  /** [unix seconds, value] */
  points: [number, number][];
}

/** Prometheus' sample value strings: numbers, "NaN", "+Inf", "-Inf". */
function promValue(s: string): number {
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

interface ApiBody {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType: string; result: unknown };
}

async function call(
  ep: PromEndpoint,
  path: string,
  params: Record<string, string>,
): Promise<ApiBody['data']> {
  const url = ep.url.replace(/\/+$/, '') + path;
  let res: Response;
  try {
    // POST with a form body: long PromQL never hits URL length limits; all three backends accept it.
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...ep.headers },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(ep.timeoutMs ?? 15_000),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (e as Error).message;
    throw new PromQueryError('unreachable', `${url} is unreachable (${why})`);
  }
  const text = await res.text().catch(() => '');
  let body: ApiBody | undefined;
  try {
    body = JSON.parse(text) as ApiBody;
  } catch {
    body = undefined;
  }
  if (res.ok && body?.status === 'success') return body.data;
  const detail = body?.error ?? (text.slice(0, 300).trim() || res.statusText);
  // Prometheus: 400 bad_data for parse errors, 422 execution; VictoriaMetrics: 400/422 with its parser's text.
  if (res.status === 400 || res.status === 422) throw new PromQueryError('bad_query', detail, res.status);
  if (res.status === 404)
    throw new PromQueryError('unreachable', `${url}: 404, not a Prometheus query API`, res.status);
  throw new PromQueryError('server', `${url}: HTTP ${res.status}: ${detail}`, res.status);
}

/** An instant query; a scalar result becomes one sample without labels. */
export async function instantQuery(
  ep: PromEndpoint,
  query: string,
  timeSec?: number,
): Promise<InstantSample[]> {
  const params: Record<string, string> = { query };
  if (timeSec !== undefined) params.time = timeSec.toFixed(3);
  const data = await call(ep, '/api/v1/query', params);
  if (!data) return [];
  if (data.resultType === 'scalar' || data.resultType === 'string') {
    const [, v] = data.result as [number, string];
    return [{ labels: {}, value: promValue(v) }];
  }
  return (data.result as { metric: Labels; value: [number, string] }[]).map((r) => ({
    labels: r.metric,
    value: promValue(r.value[1]),
  }));
}

export async function rangeQuery(
  ep: PromEndpoint,
  query: string,
  startSec: number,
  endSec: number,
  stepSec: number,
): Promise<RangeSeries[]> {
  const data = await call(ep, '/api/v1/query_range', {
    query,
    start: startSec.toFixed(3),
    end: endSec.toFixed(3),
    step: String(Math.max(0.001, Math.round(stepSec * 1000) / 1000)),
  });
  if (!data) return [];
  return (data.result as { metric: Labels; values: [number, string][] }[]).map((r) => ({
    labels: r.metric,
    points: r.values.map(([t, v]) => [t, promValue(v)] as [number, number]),
  }));
}

/** A PromQL duration for a number of milliseconds, whole ms (e.g. 90500 → "90500ms"). */
export function promDuration(ms: number): string {
  const whole = Math.max(1, Math.round(ms));
  return whole % 1000 === 0 ? `${whole / 1000}s` : `${whole}ms`;
}
