/**
 * Opens the target of a run. The safety rule: with neither --kubeconfig nor --context nor `target:`
 * in the study, the run uses the embedded control plane, started for the run in its own process and
 * stopped after; the user's current kube context is never loaded silently.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { StudyPlan } from '../config/plan.js';
import type { Study } from '../config/schema.js';
import { InputError } from '../core/errors.js';
import type { KubeconfigSelection } from '../kube/kubeconfig.js';
import type { Logger } from '../core/logger.js';
import type { EmbeddedCluster } from '../cluster/launch.js';
import {
  metricsSource,
  procfsSource,
  type MetricsFetcher,
  type UsageSource,
} from '../metrics/control-plane-usage.js';
import type { ApiGet } from '../measurements/types.js';
import type { Target } from '../phases/types.js';

export interface OpenTarget {
  target: Target;
  /** Text of the API server's /metrics; undefined when not reachable. */
  metrics?: MetricsFetcher;
  /**
   * Where control-plane CPU and memory are read: /proc of the embedded server process (free), or
   * the API server's /metrics; `maxCores` is the server machine's cores when known (the sanity rule).
   */
  usage?: { source: UsageSource; maxCores?: number };
  /** GET a path on the API server with the run's credentials (measurements: /metrics, proxy paths). */
  apiGet?: ApiGet;
  /** The embedded control plane, when the run started one (registerProcess, scrape credentials). */
  cluster?: EmbeddedCluster;
  /** Deletes what this run created (selected by its run label), for targets that outlive the run. */
  cleanupRun?: (runId: string, log: Logger) => Promise<void>;
  stop(): Promise<void>;
}

export async function openTarget(
  plan: StudyPlan,
  study: Study,
  opts: { baseDir: string; kubeconfigFlag?: string; contextFlag?: string; log: Logger },
): Promise<OpenTarget> {
  if (plan.target.kind === 'none') {
    return { target: { kind: 'none', server: '', version: '' }, stop: async () => {} };
  }
  if (plan.target.kind === 'embedded') {
    const { launchEmbeddedCluster } = await import('../cluster/launch.js');
    const cluster = await launchEmbeddedCluster(study.cluster ?? {});
    opts.log.info(
      `target: embedded control plane ${cluster.server} (pid ${cluster.pid}, ${cluster.version})`,
    );
    // No compression: gzip costs the server more CPU per scrape than it saves on loopback.
    const headers = { authorization: `Bearer ${cluster.token}`, 'accept-encoding': 'identity' };
    const apiGet = sharedMetricsScrape(async (path, o) => {
      const r = await fetch(`${cluster.server}${path}`, {
        headers,
        signal: AbortSignal.timeout(o?.timeoutMs ?? 30_000),
      });
      return { status: r.status, body: await r.text() };
    });
    const metrics = metricsFetcher(apiGet);
    return {
      apiGet,
      cluster,
      target: {
        kind: 'embedded',
        server: cluster.server,
        kubeconfigPath: cluster.kubeconfigPath,
        version: cluster.version,
      },
      metrics,
      // The server runs on this machine: read its process from /proc, which costs it nothing.
      usage: {
        source: existsSync(`/proc/${cluster.pid}/stat`)
          ? procfsSource(cluster.pid, 'embedded API server process (/proc)')
          : metricsSource(metrics, 'embedded API server /metrics'),
        maxCores: availableParallelism(),
      },
      stop: () => cluster.stop(),
    };
  }
  const { resolveKubeconfigTarget } = await import('../kube/target.js');
  const target = await resolveKubeconfigTarget(kubeconfigSelection(study, opts));
  opts.log.info(`target: ${target.server} (context ${target.context ?? '-'}, ${target.version})`);
  const { connect } = await import('../kube/connect.js');
  const { cleanupRun } = await import('../kube/cleanup.js');
  const client = await connect(target, { connections: 1 });
  const apiGet = sharedMetricsScrape(async (path, o) => {
    const r = await client.rest.request({ method: 'GET', path, timeoutMs: o?.timeoutMs ?? 30_000 });
    return { status: r.status, body: r.body };
  });
  const metrics = metricsFetcher(apiGet);
  const host = new URL(target.server).hostname;
  const local = ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host);
  return {
    target,
    apiGet,
    metrics,
    usage: {
      source: metricsSource(metrics, 'API server /metrics'),
      // A server on loopback shares this machine's cores; elsewhere they are unknown.
      ...(local ? { maxCores: availableParallelism() } : {}),
    },
    cleanupRun: async (runId, log) => {
      const r = await cleanupRun(target, { runId, log });
      log.info(`cleanup: deleted ${r.deleted} objects of run ${runId}`);
    },
    stop: () => client.close(),
  };
}

/** The kubeconfig and context a run uses: flags first; a path from the study is relative to the study file. */
export function kubeconfigSelection(
  study: Study,
  opts: { baseDir: string; kubeconfigFlag?: string; contextFlag?: string },
): KubeconfigSelection {
  return {
    kubeconfig:
      opts.kubeconfigFlag ??
      (study.target?.kubeconfig ? resolve(opts.baseDir, study.target.kubeconfig) : undefined),
    context: opts.contextFlag ?? study.target?.context,
  };
}

/**
 * What --dry-run can know about a kubeconfig target without sending a request: the file loads, the
 * context exists and names a cluster and a user. Throws an InputError naming what to fix.
 */
export async function checkKubeconfigTarget(
  sel: KubeconfigSelection,
): Promise<{ kubeconfig: string; context: string; server: string }> {
  const { loadKubeConfig } = await import('../kube/kubeconfig.js');
  const { kc, path } = loadKubeConfig(sel);
  const context = kc.getCurrentContext();
  if (!kc.getCurrentUser()) {
    throw new InputError(`${path}: context "${context}" names a user that is not in the file`, {
      hint: "fix the context's user entry",
    });
  }
  return { kubeconfig: path, context, server: kc.getCurrentCluster()!.server };
}

function metricsFetcher(apiGet: ApiGet): MetricsFetcher {
  return async () => {
    const r = await apiGet('/metrics', { timeoutMs: 5000 });
    if (r.status !== 200) throw new Error(`GET /metrics: ${r.status}`);
    return r.body;
  };
}

/**
 * Concurrent GETs of /metrics share one scrape: at a phase boundary the control-plane usage sampler
 * and the apiserverMetrics measurement both want one, and a megabyte scrape costs the API server CPU
 * during the measurement. A scrape that has completed is never reused: each caller wants "now".
 */
function sharedMetricsScrape(get: ApiGet): ApiGet {
  let inflight: Promise<{ status: number; body: string }> | undefined;
  return (path, o) => {
    if (path !== '/metrics') return get(path, o);
    if (inflight) return inflight;
    const p = get(path, o).finally(() => {
      if (inflight === p) inflight = undefined;
    });
    inflight = p;
    return p;
  };
}
