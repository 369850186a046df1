/**
 * `controllerMetrics`: a controller's own /metrics (kro, a Gateway API controller, any
 * controller-runtime operator, kubeperf's simulated controllers), scraped before and after the phase
 * and sampled over it: controller-runtime reconcile counts by result and reconcile-time percentiles
 * per controller, client-go workqueue adds/retries/depth/latency per queue, and any listed series.
 * Reached directly (`url`) or through the API server's service or pod proxy with the run's credentials.
 */
import { z } from 'zod';
import { DurationString, parseDuration } from '../config/duration.js';
import {
  bucketQuantile,
  bucketRange,
  counterDiff,
  histogramBuckets,
  parsePromText,
  select,
  sumBy,
  type Labels,
  type Scrape,
} from '../metrics/prom-text.js';
import { missing, type Measurement, type MeasurementContext } from './types.js';

const ProxyTarget = z.strictObject({
  namespace: z.string().min(1),
  name: z.string().min(1),
  port: z.union([z.string().min(1), z.number().int().min(1).max(65535)]).describe('Port name or number.'),
  scheme: z.enum(['http', 'https']).default('http'),
  path: z.string().startsWith('/').default('/metrics'),
});

const Options = z
  .strictObject({
    url: z.url().optional().describe('The metrics URL, e.g. http://127.0.0.1:8080/metrics.'),
    bearerToken: z.string().min(1).optional().describe('Bearer token for `url`.'),
    service: ProxyTarget.optional().describe("Scrape through the API server's service proxy."),
    pod: ProxyTarget.optional().describe("Scrape through the API server's pod proxy."),
    interval: DurationString.default('5s').describe(
      'Sampling interval over the phase (workqueue depth, reconcile rate); 0s: only before and after.',
    ),
    controllers: z
      .array(z.string().min(1))
      .optional()
      .describe('Only these controllers/queues (default all).'),
    series: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'More metric names to record before/after (counters are diffed), e.g. kro or kgateway series.',
      ),
    timeout: DurationString.default('10s'),
  })
  .refine((o) => [o.url, o.service, o.pod].filter(Boolean).length === 1, {
    message: 'give exactly one of url, service or pod',
  });
type Options = z.output<typeof Options>;

export interface ReconcileStats {
  controller: string;
  total: number;
  byResult: Record<string, number>;
  errors: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  p99BucketMs: [number, number | null] | null;
}

export interface QueueStats {
  name: string;
  adds: number;
  retries: number;
  depthBefore: number | null;
  depthAfter: number | null;
  /** Largest depth seen by any sample during the phase. */
  depthMax: number | null;
  queueP99Ms: number | null;
  workP99Ms: number | null;
}

export interface ControllerMetricsData {
  source: string;
  cost: { scrapes: number; bytes: number };
  reconcile: ReconcileStats[];
  workqueue: QueueStats[];
  /** Samples over the phase: t seconds since the phase start, total depth and reconciles so far. */
  samples: { t: number; depth: number; reconciles: number }[];
  series: { name: string; labels: Labels; before: number | null; after: number | null; delta?: number }[];
}

const FAMILIES = ['controller_runtime_reconcile_', 'workqueue_'];

/** The API server proxy path of a service or pod. */
export function proxyPath(kind: 'services' | 'pods', t: z.output<typeof ProxyTarget>): string {
  const scheme = t.scheme === 'https' ? 'https:' : '';
  return `/api/v1/namespaces/${encodeURIComponent(t.namespace)}/${kind}/${scheme}${encodeURIComponent(t.name)}:${t.port}/proxy${t.path}`;
}

function fetcher(o: Options, ctx: MeasurementContext): { source: string; get: () => Promise<string> } {
  const timeoutMs = parseDuration(o.timeout)!;
  if (o.url) {
    const headers = o.bearerToken ? { authorization: `Bearer ${o.bearerToken}` } : undefined;
    return {
      source: o.url,
      get: async () => {
        const r = await fetch(o.url!, { headers, signal: AbortSignal.timeout(timeoutMs) }).catch(
          (e: Error) => {
            const cause = (e as { cause?: { code?: string } }).cause;
            throw new Error(`${o.url} is unreachable (${cause?.code ?? e.message})`);
          },
        );
        if (!r.ok) throw new Error(`GET ${o.url}: HTTP ${r.status}`);
        return r.text();
      },
    };
  }
  const path = o.service ? proxyPath('services', o.service) : proxyPath('pods', o.pod!);
  return {
    source: `API server proxy ${path}`,
    get: async () => {
      if (!ctx.apiGet) throw new Error('the run has no API server to proxy through');
      const r = await ctx.apiGet(path, { timeoutMs });
      if (r.status !== 200) throw new Error(`GET ${path}: HTTP ${r.status}`);
      return r.body;
    },
  };
}

const ms = (s: number | undefined) => (s === undefined ? null : Math.round(s * 1e6) / 1e3);

/** Reconcile and workqueue figures of a phase from two scrapes (pure; tested on text). */
export function diffControllerScrapes(
  before: Scrape,
  after: Scrape,
  keep: (name: string) => boolean = () => true,
): Pick<ControllerMetricsData, 'reconcile' | 'workqueue'> {
  const totals = counterDiff(before, after, 'controller_runtime_reconcile_total', ['controller', 'result']);
  const times = histogramBuckets(
    after,
    'controller_runtime_reconcile_time_seconds',
    ['controller'],
    {},
    before,
  );
  const names = new Set<string>();
  for (const [, x] of totals) names.add(x.labels.controller!);
  for (const s of select(after, 'controller_runtime_reconcile_total')) names.add(s.labels.controller ?? '');
  const reconcile = [...names]
    .filter((n) => n && keep(n))
    .sort()
    .map((controller): ReconcileStats => {
      const byResult: Record<string, number> = {};
      for (const [, x] of totals)
        if (x.labels.controller === controller) byResult[x.labels.result!] = x.value;
      const h = times.get(`controller=${controller}`)?.buckets;
      const range = h ? bucketRange(0.99, h) : undefined;
      return {
        controller,
        total: Object.values(byResult).reduce((a, b) => a + b, 0),
        byResult,
        errors: byResult.error ?? 0,
        p50Ms: h ? ms(bucketQuantile(0.5, h)) : null,
        p90Ms: h ? ms(bucketQuantile(0.9, h)) : null,
        p99Ms: h ? ms(bucketQuantile(0.99, h)) : null,
        p99BucketMs: range ? [ms(range[0])!, Number.isFinite(range[1]) ? ms(range[1]) : null] : null,
      };
    });
  const gauge = (s: Scrape, name: string) => {
    const v = sumBy(s, 'workqueue_depth', ['name']).get(`name=${name}`);
    return v ? v.value : null;
  };
  const adds = counterDiff(before, after, 'workqueue_adds_total', ['name']);
  const retries = counterDiff(before, after, 'workqueue_retries_total', ['name']);
  const qd = histogramBuckets(after, 'workqueue_queue_duration_seconds', ['name'], {}, before);
  const wd = histogramBuckets(after, 'workqueue_work_duration_seconds', ['name'], {}, before);
  const queues = new Set(select(after, 'workqueue_depth').map((s) => s.labels.name ?? ''));
  for (const [, x] of adds) queues.add(x.labels.name!);
  const p99 = (m: typeof qd, name: string) => {
    const b = m.get(`name=${name}`)?.buckets;
    return b ? ms(bucketQuantile(0.99, b)) : null;
  };
  const workqueue = [...queues]
    .filter((n) => n && keep(n))
    .sort()
    .map((name) => ({
      name,
      adds: adds.get(`name=${name}`)?.value ?? 0,
      retries: retries.get(`name=${name}`)?.value ?? 0,
      depthBefore: gauge(before, name),
      depthAfter: gauge(after, name),
      depthMax: null,
      queueP99Ms: p99(qd, name),
      workP99Ms: p99(wd, name),
    }));
  return { reconcile, workqueue };
}

export const controllerMetrics: Measurement<Options> = {
  type: 'controllerMetrics',
  description:
    "A controller's /metrics (directly or through the API server's service/pod proxy) before/after and over the phase: controller-runtime reconciles and latency, workqueue depth/adds/latency, listed series.",
  options: Options,
  async start(o, ctx) {
    const src = fetcher(o, ctx);
    const only = [...FAMILIES, ...(o.series ?? [])];
    let bytes = 0;
    let scrapes = 0;
    const scrape = async () => {
      const text = await src.get();
      bytes += Buffer.byteLength(text);
      scrapes++;
      return parsePromText(text, only);
    };
    const keep = (n: string) => !o.controllers || o.controllers.includes(n);
    const before = await scrape().catch((e: Error) => e);
    const samples: ControllerMetricsData['samples'] = [];
    const depthMax = new Map<string, number>();
    const t0 = performance.now();
    const intervalMs = parseDuration(o.interval)!;
    let inflight: Promise<void> | undefined;
    const timer =
      intervalMs > 0 && !(before instanceof Error)
        ? setInterval(() => {
            inflight ??= scrape()
              .then((s) => {
                let depth = 0;
                for (const x of select(s, 'workqueue_depth')) {
                  const n = x.labels.name ?? '';
                  if (!keep(n)) continue;
                  depth += x.value;
                  depthMax.set(n, Math.max(depthMax.get(n) ?? 0, x.value));
                }
                const reconciles = select(s, 'controller_runtime_reconcile_total')
                  .filter((x) => keep(x.labels.controller ?? ''))
                  .reduce((a, x) => a + x.value, 0);
                samples.push({ t: Math.round(performance.now() - t0) / 1000, depth, reconciles });
              })
              // A missed sample only thins the series.
              .catch(() => {})
              .finally(() => (inflight = undefined));
          }, intervalMs)
        : undefined;
    timer?.unref();
    return {
      async gather() {
        clearInterval(timer);
        await inflight;
        if (before instanceof Error) return missing(`scrape before the phase failed: ${before.message}`);
        const after = await scrape().catch((e: Error) => e);
        if (after instanceof Error) return missing(`scrape after the phase failed: ${after.message}`);
        const { reconcile, workqueue } = diffControllerScrapes(before, after, keep);
        for (const q of workqueue) {
          const seen = [q.depthBefore, q.depthAfter, depthMax.get(q.name)].filter(
            (x): x is number => x !== null && x !== undefined,
          );
          q.depthMax = seen.length ? Math.max(...seen) : null;
        }
        const series: ControllerMetricsData['series'] = [];
        for (const name of o.series ?? []) {
          const b = new Map(select(before, name).map((s) => [JSON.stringify(s.labels), s.value]));
          const a = select(after, name);
          const isCounter =
            (after.types.get(name) ?? after.types.get(name.replace(/_total$/, ''))) === 'counter';
          for (const s of a) {
            const prev = b.get(JSON.stringify(s.labels)) ?? null;
            series.push({
              name,
              labels: s.labels,
              before: prev,
              after: s.value,
              ...(isCounter ? { delta: prev === null || s.value < prev ? s.value : s.value - prev } : {}),
            });
          }
        }
        const data: ControllerMetricsData = {
          source: src.source,
          cost: { scrapes, bytes },
          reconcile,
          workqueue,
          samples,
          series,
        };
        if (!reconcile.length && !workqueue.length && !series.length) {
          return missing(`${src.source} has no controller-runtime, workqueue or listed series`, {
            data: { ...data },
          });
        }
        return { status: 'ok', data: { ...data } };
      },
    };
  },
};
