/**
 * CPU and memory snapshots of Milo's apiserver and etcd, as the runner takes them (measure_metrics):
 * four instant queries to `/api/v1/query` with its PromQL, tried per label variant — pod then
 * pod_name, each with then without the container filter — and the first variant whose set has a
 * non-zero value wins (recorded). Unlike the runner, a value with no series is null (missing) rather
 * than 0, an unreachable backend makes the snapshot missing with the reason, and a snapshot is
 * evaluated at an explicit instant after the backend ingested everything before it.
 *
 * Where the numbers come from (first that applies): VM_BASE_URL; the in-cluster VictoriaMetrics
 * service (VM_NAMESPACE/VM_SERVICE_NAME/VM_PORT, when set or when kubeperf runs in a pod); the run's
 * own `metrics.url`/`metrics.local`; a VictoriaMetrics the phase starts itself when Milo serves the
 * cAdvisor endpoint (the embedded control plane); otherwise snapshots are skipped, and said so.
 */
import { usageQueries } from '../../measurements/container-usage.js';
import { instantQuery, PromQueryError, type PromEndpoint } from '../../metrics/promql-client.js';
import { probeCadvisorPath, startLocalStack, type LocalStack } from '../../monitoring/stack.js';
import type { Logger } from '../../core/logger.js';
import type { KubeClient } from '../../kube/client.js';
import { sleep } from '../../load/sleep.js';
import type { PhaseObserve, Target } from '../types.js';
import { METRIC_KEYS, type RunnerMetrics, type Snapshot } from './data.js';
import { VM_DEFAULTS, type MiloOptions } from './options.js';

export interface MetricsSource {
  endpoint?: PromEndpoint;
  /** What chose the endpoint, for results and logs. */
  source: string;
  /** Why there is none. */
  skipped?: string;
  /** The VictoriaMetrics the phase started (stopped with the source). */
  stack?: LocalStack;
  stop(): Promise<void>;
}

const none = async () => {};

export async function resolveMetricsSource(
  o: MiloOptions,
  env: {
    milo: KubeClient;
    miloTarget: Target;
    observe?: PhaseObserve;
    scrapeIntervalMs: number;
    log: Logger;
    /** KUBERNETES_SERVICE_HOST: running in a pod, where the runner's service URL resolves. */
    inCluster: boolean;
  },
): Promise<MetricsSource> {
  if (o.vmBaseUrl) return { endpoint: { url: o.vmBaseUrl }, source: 'VM_BASE_URL', stop: none };
  if (o.vmNamespace || o.vmServiceName || o.vmPort !== '' || env.inCluster) {
    const ns = o.vmNamespace || VM_DEFAULTS.namespace;
    const svc = o.vmServiceName || VM_DEFAULTS.service;
    const port = o.vmPort === '' ? VM_DEFAULTS.port : o.vmPort;
    return {
      endpoint: { url: `http://${svc}.${ns}.svc.cluster.local:${port}` },
      source: 'VM_NAMESPACE/VM_SERVICE_NAME/VM_PORT',
      stop: none,
    };
  }
  if (env.observe?.prometheus)
    return { endpoint: env.observe.prometheus, source: 'the run’s metrics', stop: none };
  const apiGet = async (path: string, opts?: { timeoutMs?: number }) => {
    const r = await env.milo.rest.request({ method: 'GET', path, timeoutMs: opts?.timeoutMs });
    return { status: r.status, body: r.body };
  };
  const cadvisorPath = await probeCadvisorPath(apiGet);
  if (cadvisorPath) {
    const stack = await startLocalStack({
      backend: 'victoriametrics',
      scrapeIntervalMs: env.scrapeIntervalMs,
      target: { target: env.miloTarget, cadvisorPath },
      log: env.log,
    });
    env.log.info(`victoria-metrics ${stack.endpoint.url} scrapes ${env.miloTarget.server}${cadvisorPath}`);
    await firstSamples(stack.endpoint, o, env.scrapeIntervalMs);
    return {
      endpoint: stack.endpoint,
      source: 'victoria-metrics started by the phase (the target serves /metrics/cadvisor)',
      stack,
      stop: () => stack.stop(),
    };
  }
  return {
    source: 'none',
    skipped:
      'no VictoriaMetrics for the CPU/memory snapshots: set VM_BASE_URL (or VM_NAMESPACE/VM_SERVICE_NAME/VM_PORT when kubeperf runs in the cluster), or metrics.url in the study; snapshots were skipped',
    stop: none,
  };
}

/**
 * A VictoriaMetrics that just started has one or two samples: rate() of the apiserver's CPU counter
 * (10 ms ticks from /proc) is 0 until the counter moved between two of them. Wait for that (at most
 * 20 intervals), so the baseline is a measurement and not an artefact of a fresh backend.
 */
async function firstSamples(ep: PromEndpoint, o: MiloOptions, intervalMs: number): Promise<void> {
  const q = usageQueries(
    { name: 'apiserver', namespace: o.miloNamespace, pod: o.apiserverPodRegex },
    o.measureWindow,
  )[0]!.cpu;
  for (let i = 0; i < 20; i++) {
    await sleep(intervalMs);
    await ep.flush?.().catch(() => {});
    const v = await instantQuery(ep, q, Date.now() / 1000).catch(() => []);
    if ((v[0]?.value ?? 0) > 0) return;
  }
}

const emptyMetrics = (): RunnerMetrics => ({
  apiserver_cpu_cores: null,
  apiserver_mem_bytes: null,
  etcd_cpu_cores: null,
  etcd_mem_bytes: null,
});

/** An instant query with the runner's retries on a transport error (6 tries, 2·n s apart). */
async function query(ep: PromEndpoint, q: string, timeSec: number, attempts: number, signal?: AbortSignal) {
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await instantQuery(ep, q, timeSec);
      return r.length ? r[0]!.value : null;
    } catch (e) {
      if (
        !(e instanceof PromQueryError) ||
        e.kind !== 'unreachable' ||
        attempt >= attempts ||
        signal?.aborted
      )
        throw e;
      await sleep(2000 * attempt, signal);
    }
  }
}

/** The four queries of one label variant (the runner's run_queries), in its key order. */
function variantQueries(
  o: MiloOptions,
  index: number,
): Record<(typeof METRIC_KEYS)[number], string> & { variant: string } {
  const api = usageQueries(
    { name: 'apiserver', namespace: o.miloNamespace, pod: o.apiserverPodRegex },
    o.measureWindow,
  )[index]!;
  const etcd = usageQueries(
    { name: 'etcd', namespace: o.miloNamespace, pod: o.etcdPodRegex },
    o.measureWindow,
  )[index]!;
  return {
    variant: api.variant,
    apiserver_cpu_cores: api.cpu,
    apiserver_mem_bytes: api.memory,
    etcd_cpu_cores: etcd.cpu,
    etcd_mem_bytes: etcd.memory,
  };
}

/** One snapshot at now; never throws (a failure is a missing snapshot with its reason). */
export async function takeSnapshot(
  src: MetricsSource,
  o: MiloOptions,
  signal?: AbortSignal,
): Promise<Snapshot> {
  const ep = src.endpoint;
  if (!ep) return { time: Date.now() / 1000, status: 'missing', reason: src.skipped, values: emptyMetrics() };
  await ep.flush?.().catch(() => {});
  const time = Date.now() / 1000;
  const q = (text: string) => query(ep, text, time, o.metricsAttempts, signal);
  try {
    const sel = (pod?: string) =>
      `{namespace=${JSON.stringify(o.miloNamespace)}${pod ? `,pod=~${JSON.stringify(pod)}` : ''}}`;
    const [ns, api, etcd] = await Promise.all([
      q(`count(container_cpu_usage_seconds_total${sel()})`),
      q(`count(container_cpu_usage_seconds_total${sel(o.apiserverPodRegex)})`),
      q(`count(container_cpu_usage_seconds_total${sel(o.etcdPodRegex)})`),
    ]);
    const seriesCounts = { namespace: ns, apiserver: api, etcd };
    for (let i = 0; i < 4; i++) {
      const v = variantQueries(o, i);
      const values = emptyMetrics();
      await Promise.all(METRIC_KEYS.map(async (k) => void (values[k] = await q(v[k]))));
      if (METRIC_KEYS.some((k) => values[k] !== null && values[k] !== 0)) {
        const queries = Object.fromEntries(METRIC_KEYS.map((k) => [k, v[k]]));
        return { time, status: 'ok', variant: v.variant, values, queries, seriesCounts };
      }
    }
    return {
      time,
      status: 'missing',
      reason: `every query variant returned 0 or no series (namespace ${o.miloNamespace}, apiserver ${o.apiserverPodRegex}, etcd ${o.etcdPodRegex})`,
      values: emptyMetrics(),
      seriesCounts,
    };
  } catch (e) {
    return { time, status: 'missing', reason: `${ep.url}: ${(e as Error).message}`, values: emptyMetrics() };
  }
}
