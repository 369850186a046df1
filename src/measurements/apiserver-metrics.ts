/**
 * `apiserverMetrics`: the API server's own view of a phase, from two scrapes of its /metrics (before
 * and after) and their diff, no Prometheus needed: requests by verb/resource/code, server-side
 * latency percentiles per verb and resource from `apiserver_request_duration_seconds` buckets (the
 * Kubernetes SLO definition), inflight, max-inflight and APF rejections, objects in storage, watches.
 *
 * Observer effect: a real kube-apiserver's /metrics is megabytes, so it is scraped only at the two
 * boundaries (never during the phase), parsed with a prefix filter, and each scrape's bytes and
 * fetch/parse time are recorded in `data.cost`. The before-scrape's own GET /metrics is counted in the
 * after-scrape, as a real apiserver counts it.
 */
import { z } from 'zod';
import { DurationString, parseDuration } from '../config/duration.js';
import {
  bucketQuantile,
  bucketRange,
  counterDiff,
  histogramBuckets,
  parsePromText,
  sumBy,
  type Scrape,
} from '../metrics/prom-text.js';
import { missing, type ApiGet, type Measurement, type MeasurementOutcome } from './types.js';

const Options = z.strictObject({
  path: z
    .string()
    .startsWith('/')
    .default('/metrics')
    .describe('Path of the metrics endpoint on the API server.'),
  timeout: DurationString.default('30s').describe('Timeout of each scrape.'),
});
type Options = z.output<typeof Options>;

/** Families read; everything else in the scrape is skipped by prefix before parsing its labels. */
const FAMILIES = [
  'apiserver_request_total',
  'apiserver_request_duration_seconds_bucket',
  'apiserver_current_inflight_requests',
  'apiserver_request_terminations_total',
  'apiserver_flowcontrol_rejected_requests_total',
  'apiserver_storage_objects',
  'apiserver_longrunning_requests',
  'apiserver_watch_events_total',
];

const REQUEST_KEYS = ['verb', 'group', 'resource', 'subresource', 'scope'] as const;

export interface ApiserverRequestCount {
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  scope: string;
  code: string;
  count: number;
}

export interface ApiserverLatency {
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  scope: string;
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** The histogram bucket p99 lies in, ms: the interpolated p99 is only known to be inside it. */
  p99BucketMs: [number, number | null];
}

export interface ApiserverMetricsData {
  source: string;
  cost: { scrapes: number; bytes: number[]; fetchMs: number[]; parseMs: number[] };
  requests: ApiserverRequestCount[];
  latency: ApiserverLatency[];
  inflight: { before: Record<string, number>; after: Record<string, number> };
  terminations: { verb: string; resource: string; code: string; count: number }[];
  apfRejected: { priorityLevel: string; flowSchema: string; reason: string; count: number }[];
  storageObjects: { resource: string; before: number | null; after: number | null }[];
  watches: {
    openBefore: number;
    openAfter: number;
    events: { group: string; kind: string; count: number }[];
  };
}

interface Scraped {
  scrape: Scrape;
  bytes: number;
  fetchMs: number;
  parseMs: number;
}

async function scrape(apiGet: ApiGet, o: Options): Promise<Scraped> {
  const t0 = performance.now();
  const r = await apiGet(o.path, { timeoutMs: parseDuration(o.timeout) });
  const t1 = performance.now();
  if (r.status !== 200) throw new Error(`GET ${o.path}: HTTP ${r.status}`);
  const s = parsePromText(r.body, FAMILIES);
  return {
    scrape: s,
    bytes: Buffer.byteLength(r.body),
    fetchMs: round(t1 - t0, 2),
    parseMs: round(performance.now() - t1, 2),
  };
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const ms = (s: number | undefined) => (s === undefined ? 0 : round(s * 1000));

/** Diffs two scrapes into the measurement's record (pure; tested on captured text). */
export function diffApiserverScrapes(
  before: Scrape,
  after: Scrape,
): Omit<ApiserverMetricsData, 'source' | 'cost'> {
  const requests = [...counterDiff(before, after, 'apiserver_request_total', [...REQUEST_KEYS, 'code'])]
    .map(([, x]) => ({ ...(x.labels as Omit<ApiserverRequestCount, 'count'>), count: x.value }))
    .sort((a, b) => b.count - a.count);

  const latency: ApiserverLatency[] = [];
  for (const [, h] of histogramBuckets(
    after,
    'apiserver_request_duration_seconds',
    REQUEST_KEYS,
    {},
    before,
  )) {
    // The SLO excludes long-running requests (watches, proxies); their "latency" is their lifetime.
    if (h.labels.verb === 'WATCH' || h.labels.verb === 'CONNECT') continue;
    const count = h.buckets.counts[h.buckets.counts.length - 1] ?? 0;
    if (!count) continue;
    const range = bucketRange(0.99, h.buckets)!;
    latency.push({
      ...(h.labels as Omit<ApiserverLatency, 'count' | 'p50Ms' | 'p90Ms' | 'p99Ms' | 'p99BucketMs'>),
      count,
      p50Ms: ms(bucketQuantile(0.5, h.buckets)),
      p90Ms: ms(bucketQuantile(0.9, h.buckets)),
      p99Ms: ms(bucketQuantile(0.99, h.buckets)),
      p99BucketMs: [ms(range[0]), Number.isFinite(range[1]) ? ms(range[1]) : null],
    });
  }
  latency.sort((a, b) => b.count - a.count);

  const gauge = (s: Scrape, name: string, by: string) =>
    Object.fromEntries([...sumBy(s, name, [by])].map(([, x]) => [x.labels[by]!, x.value]));

  const storage = (s: Scrape) => gauge(s, 'apiserver_storage_objects', 'resource');
  const sb = storage(before);
  const sa = storage(after);
  const storageObjects = [...new Set([...Object.keys(sb), ...Object.keys(sa)])]
    .sort()
    .map((resource) => ({ resource, before: sb[resource] ?? null, after: sa[resource] ?? null }));

  const openWatches = (s: Scrape) =>
    [...sumBy(s, 'apiserver_longrunning_requests', [], { verb: 'WATCH' })].reduce(
      (a, [, x]) => a + x.value,
      0,
    );

  return {
    requests,
    latency,
    inflight: {
      before: gauge(before, 'apiserver_current_inflight_requests', 'request_kind'),
      after: gauge(after, 'apiserver_current_inflight_requests', 'request_kind'),
    },
    terminations: [
      ...counterDiff(before, after, 'apiserver_request_terminations_total', ['verb', 'resource', 'code']),
    ].map(([, x]) => ({
      verb: x.labels.verb!,
      resource: x.labels.resource!,
      code: x.labels.code!,
      count: x.value,
    })),
    apfRejected: [
      ...counterDiff(before, after, 'apiserver_flowcontrol_rejected_requests_total', [
        'priority_level',
        'flow_schema',
        'reason',
      ]),
    ].map(([, x]) => ({
      priorityLevel: x.labels.priority_level!,
      flowSchema: x.labels.flow_schema!,
      reason: x.labels.reason!,
      count: x.value,
    })),
    storageObjects,
    watches: {
      openBefore: openWatches(before),
      openAfter: openWatches(after),
      events: [...counterDiff(before, after, 'apiserver_watch_events_total', ['group', 'kind'])]
        .map(([, x]) => ({ group: x.labels.group!, kind: x.labels.kind!, count: x.value }))
        .sort((a, b) => b.count - a.count),
    },
  };
}

export const apiserverMetrics: Measurement<Options> = {
  type: 'apiserverMetrics',
  description:
    "The API server's /metrics scraped before and after the phase and diffed: requests, server-side latency percentiles, inflight, rejections, objects in storage, watches.",
  options: Options,
  async start(o, ctx) {
    const apiGet = ctx.apiGet;
    let before: Scraped | Error;
    if (!apiGet) before = new Error('the run has no API server');
    else before = await scrape(apiGet, o).catch((e: Error) => e);
    return {
      async gather(): Promise<MeasurementOutcome> {
        if (before instanceof Error) return missing(`scrape before the phase failed: ${before.message}`);
        const after = await scrape(apiGet!, o).catch((e: Error) => e);
        if (after instanceof Error) return missing(`scrape after the phase failed: ${after.message}`);
        const data: ApiserverMetricsData = {
          source: `GET ${o.path} on ${ctx.target.server}`,
          cost: {
            scrapes: 2,
            bytes: [before.bytes, after.bytes],
            fetchMs: [before.fetchMs, after.fetchMs],
            parseMs: [before.parseMs, after.parseMs],
          },
          ...diffApiserverScrapes(before.scrape, after.scrape),
        };
        if (!data.requests.length && !data.storageObjects.length) {
          return missing(`${o.path} has no apiserver_* series (not a kube-apiserver?)`, {
            data: { ...data },
          });
        }
        return { status: 'ok', data: { ...data } };
      },
    };
  },
};
