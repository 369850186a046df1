/**
 * What a kro round reads from /metrics endpoints, by kro's and client-go's metric names, so the same
 * code reads the simulated controller and a real kro: reconcile count and duration histogram,
 * requeues, the work queue's depth and rate-limited retries, client requests and client-side
 * throttling, process CPU and memory; and from the API server, request and watch-event counters.
 * Everything is a diff between a scrape before the round's first create and one after it settled.
 */
import type { MetricsFetch } from '../../kube/metrics-fetch.js';
import {
  bucketQuantile,
  counterDiff,
  histogramBuckets,
  parsePromText,
  sumOf,
  type Scrape,
} from '../../metrics/prom-text.js';

const QUEUE = { name: 'dynamic-controller-queue' };
const CONTROLLER_PREFIXES = ['dynamic_controller_', 'workqueue_', 'rest_client_', 'process_', 'instance_'];

export async function scrapeController(fetch: MetricsFetch): Promise<Scrape> {
  return parsePromText(await fetch(), CONTROLLER_PREFIXES);
}

export async function scrapeApiServer(fetch: MetricsFetch): Promise<Scrape> {
  return parsePromText(await fetch(), ['apiserver_request_total', 'apiserver_watch_events_total']);
}

export interface ControllerRound {
  reconciles: number;
  reconcileSeconds: {
    sum: number;
    p50?: number;
    p90?: number;
    p99?: number;
    buckets: { le: number; count: number }[];
  };
  /** Requeues by type (requeue_after, rate_limited, …). */
  requeues: Record<string, number>;
  /** Items re-added through the rate limiter (workqueue_retries_total). */
  queueRetries?: number;
  /** Requests the controller sent (rest_client_requests_total). */
  requests?: number;
  /** Seconds requests waited on the client-side limiter (rest_client_rate_limiter_duration_seconds_sum). */
  limiterWaitSeconds?: number;
  cpuSeconds?: number;
  rssBytes?: number;
}

/** A summed counter's growth between two scrapes (never negative); undefined when `after` lacks it. */
const growth = (before: Scrape, after: Scrape, name: string, match: Record<string, string> = {}) => {
  const a = sumOf(after, name, match);
  return a === undefined ? undefined : Math.max(0, a - (sumOf(before, name, match) ?? 0));
};

export function controllerRound(before: Scrape, after: Scrape): ControllerRound {
  const h = histogramBuckets(after, 'dynamic_controller_reconcile_duration_seconds', [], {}, before)
    .values()
    .next().value;
  const buckets = h?.buckets ?? { bounds: [], counts: [] };
  const q = (p: number) => {
    const v = bucketQuantile(p, buckets);
    return v === undefined ? undefined : round(v, 4);
  };
  const requeues: Record<string, number> = {};
  for (const { labels, value } of counterDiff(before, after, 'dynamic_controller_requeue_total', [
    'type',
  ]).values())
    requeues[labels.type!] = value;
  return {
    reconciles: growth(before, after, 'dynamic_controller_reconcile_total') ?? 0,
    reconcileSeconds: {
      sum: round(growth(before, after, 'dynamic_controller_reconcile_duration_seconds_sum') ?? 0, 4),
      p50: q(0.5),
      p90: q(0.9),
      p99: q(0.99),
      buckets: buckets.bounds.map((le, i) => ({ le, count: buckets.counts[i]! })),
    },
    requeues,
    queueRetries: growth(before, after, 'workqueue_retries_total', QUEUE),
    requests: growth(before, after, 'rest_client_requests_total'),
    limiterWaitSeconds: growth(before, after, 'rest_client_rate_limiter_duration_seconds_sum'),
    cpuSeconds: growth(before, after, 'process_cpu_seconds_total'),
    rssBytes: sumOf(after, 'process_resident_memory_bytes'),
  };
}

export interface ApiServerRound {
  requests: number;
  /** Requests by verb (LIST, GET, PATCH, …). */
  byVerb: Record<string, number>;
  watchEvents?: number;
}

export function apiServerRound(before: Scrape, after: Scrape): ApiServerRound {
  const byVerb: Record<string, number> = {};
  let requests = 0;
  for (const { labels, value } of counterDiff(before, after, 'apiserver_request_total', ['verb']).values()) {
    // WATCH requests are counted when they end; the round's own watches are still open.
    byVerb[labels.verb!] = value;
    requests += value;
  }
  return {
    requests,
    byVerb,
    watchEvents: growth(before, after, 'apiserver_watch_events_total'),
  };
}

export interface QueueSample {
  /** Seconds since the round started. */
  t: number;
  depth: number;
  rssBytes?: number;
}

/** Samples the controller's queue depth (and RSS) while a round runs. */
export class QueueSampler {
  readonly samples: QueueSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly fetch: MetricsFetch,
    private readonly originMs: number,
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    const tick = async () => {
      if (this.busy) return;
      this.busy = true;
      try {
        const s = parsePromText(await this.fetch(), [
          'workqueue_depth',
          'dynamic_controller_queue_length',
          'process_resident',
        ]);
        const depth = sumOf(s, 'workqueue_depth', QUEUE) ?? sumOf(s, 'dynamic_controller_queue_length');
        if (depth !== undefined) {
          this.samples.push({
            t: round((performance.now() - this.originMs) / 1000, 2),
            depth,
            rssBytes: sumOf(s, 'process_resident_memory_bytes'),
          });
        }
      } catch {
        // a missed sample is a gap in the chart, not a failure
      } finally {
        this.busy = false;
      }
    };
    void tick();
    this.timer = setInterval(() => void tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): QueueSample[] {
    clearInterval(this.timer);
    return this.samples;
  }
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
