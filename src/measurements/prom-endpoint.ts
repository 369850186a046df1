/**
 * What the PromQL-based measurements (promQuery, containerUsage) share: options naming the endpoint,
 * choosing it (the entry's `url`, else the run's `metrics.url` or local stack), and waiting until the
 * backend has scraped past a boundary before querying at it.
 */
import { z } from 'zod';
import { DurationString, parseDuration } from '../config/duration.js';
import { sleep } from '../load/sleep.js';
import { PromQueryError, type PromEndpoint } from '../metrics/promql-client.js';
import type { MeasurementEnv } from './types.js';

export const endpointShape = {
  url: z
    .url()
    .optional()
    .describe(
      'Prometheus-compatible base URL (Prometheus, VictoriaMetrics, Thanos); default the run’s metrics.url or local stack.',
    ),
  bearerToken: z.string().min(1).optional().describe('Bearer token sent with each query.'),
  stabilize: DurationString.default('0s').describe(
    'Wait after the phase before the end-of-phase queries (let controllers settle).',
  ),
  timeout: DurationString.default('15s').describe('Timeout of each query.'),
};

export interface EndpointOptions {
  url?: string;
  bearerToken?: string;
  stabilize: string;
  timeout: string;
}

export function chooseEndpoint(o: EndpointOptions, env: MeasurementEnv): PromEndpoint | undefined {
  const timeoutMs = parseDuration(o.timeout);
  if (o.url) {
    return {
      url: o.url,
      headers: o.bearerToken ? { authorization: `Bearer ${o.bearerToken}` } : undefined,
      timeoutMs,
      // The local stack's interval applies when the entry names the same URL.
      scrapeIntervalMs: env.prometheus?.url === o.url ? env.prometheus.scrapeIntervalMs : undefined,
    };
  }
  return env.prometheus ? { ...env.prometheus, timeoutMs } : undefined;
}

export const NO_ENDPOINT =
  'no Prometheus-compatible URL: set the measurement’s url, metrics.url, or metrics.local to start one';

/**
 * The end-of-phase instant and the wait for it: `stabilize` after the phase, plus (when the scrape
 * interval is known) one interval, so the backend's latest sample at that instant was scraped after
 * the phase ended; then one more interval for it to be ingested. Returns the instant, unix ms. An
 * interrupt cuts the wait short (the instant is then now).
 */
export async function settle(endedAtMs: number, o: EndpointOptions, ep: PromEndpoint, signal: AbortSignal) {
  const interval = ep.scrapeIntervalMs ?? 0;
  const at = endedAtMs + parseDuration(o.stabilize)! + interval;
  await sleep(at + (interval ? interval + 250 : 0) - Date.now(), signal).catch(() => {});
  await ep.flush?.().catch(() => {});
  return Math.min(at, Date.now());
}

/** A failed query, in words for results and logs. */
export function describeQueryError(e: unknown, what: string): string {
  if (e instanceof PromQueryError) {
    if (e.kind === 'bad_query') return `${what}: the backend rejected the query: ${e.message}`;
    return `${what}: ${e.message}`;
  }
  return `${what}: ${(e as Error)?.message ?? String(e)}`;
}
