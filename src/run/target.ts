/**
 * Opens the target of a run. The safety rule: with neither --kubeconfig nor --context nor `target:`
 * in the study, the run uses the embedded control plane, started for the run in its own process and
 * stopped after; the user's current kube context is never loaded silently.
 */
import { resolve } from 'node:path';
import type { StudyPlan } from '../config/plan.js';
import type { Study } from '../config/schema.js';
import { InputError } from '../core/errors.js';
import type { KubeconfigSelection } from '../kube/kubeconfig.js';
import type { Logger } from '../core/logger.js';
import type { EmbeddedCluster } from '../cluster/launch.js';
import type { MetricsFetcher } from '../metrics/control-plane-usage.js';
import type { ApiGet } from '../measurements/types.js';
import type { Target } from '../phases/types.js';

export interface OpenTarget {
  target: Target;
  /** Text of the API server's /metrics, for control-plane CPU/memory; undefined when not reachable. */
  metrics?: MetricsFetcher;
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
    const headers = { authorization: `Bearer ${cluster.token}` };
    const apiGet: ApiGet = async (path, o) => {
      const r = await fetch(`${cluster.server}${path}`, {
        headers,
        signal: AbortSignal.timeout(o?.timeoutMs ?? 30_000),
      });
      return { status: r.status, body: await r.text() };
    };
    return {
      apiGet,
      cluster,
      target: {
        kind: 'embedded',
        server: cluster.server,
        kubeconfigPath: cluster.kubeconfigPath,
        version: cluster.version,
      },
      metrics: async () => {
        const r = await apiGet('/metrics');
        if (r.status !== 200) throw new Error(`GET /metrics: ${r.status}`);
        return r.body;
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
  return {
    target,
    apiGet: async (path, o) => {
      const r = await client.rest.request({ method: 'GET', path, timeoutMs: o?.timeoutMs ?? 30_000 });
      return { status: r.status, body: r.body };
    },
    metrics: async () => {
      const r = await client.rest.request({ method: 'GET', path: '/metrics', timeoutMs: 5000 });
      if (r.status !== 200) throw new Error(`GET /metrics: ${r.status}`);
      return r.body;
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
