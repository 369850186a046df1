/**
 * Applying the deploy manifests (server-side apply, field manager kubeperf: re-running a deploy
 * updates what it created) and waiting for the run's Job to finish.
 */
import { KubeperfError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { KubeClient } from '../kube/client.js';
import { describeResponse } from '../kube/response.js';
import { sleep } from '../load/sleep.js';
import type { Manifest } from './manifests.js';

export async function applyManifests(client: KubeClient, list: Manifest[], log: Logger): Promise<void> {
  for (const m of list) {
    const mapping = await client.mapper.resolve(m.apiVersion, m.kind);
    const r = await client.patch(
      mapping,
      m.metadata.namespace,
      m.metadata.name,
      JSON.stringify(m),
      'apply',
      'deploy',
    );
    if (!r || r.status >= 300)
      throw new KubeperfError(
        `cannot apply ${m.kind} ${m.metadata.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata.name}: ${r ? describeResponse(r) : 'connection failed'}`,
        {
          hint:
            r?.status === 403
              ? 'your credentials must be allowed to create these objects, and to grant the Role/ClusterRole rules (RBAC escalation)'
              : 'check the namespace exists and the cluster is reachable',
        },
      );
    log.info(`applied ${m.kind} ${m.metadata.name}`);
  }
}

export interface JobOutcome {
  state: 'complete' | 'failed' | 'timeout';
  succeeded: number;
  failed: number;
  message?: string;
}

type JobStatus = {
  spec?: { completions?: number };
  status?: {
    succeeded?: number;
    failed?: number;
    conditions?: { type: string; status: string; message?: string }[];
  };
};

/** Polls the Job until it completes or fails (its conditions), or the timeout passes. */
export async function waitForJob(
  client: KubeClient,
  namespace: string,
  name: string,
  o: { timeoutMs: number; log: Logger; signal?: AbortSignal; pollMs?: number },
): Promise<JobOutcome> {
  const m = await client.mapper.resolve('batch/v1', 'Job');
  const deadline = performance.now() + o.timeoutMs;
  let last = '';
  for (;;) {
    const r = await client.get(m, namespace, name, 'wait');
    if (r?.status === 200) {
      const j = JSON.parse(r.body) as JobStatus;
      const st = j.status ?? {};
      const cond = (t: string) => st.conditions?.find((c) => c.type === t && c.status === 'True');
      const out = { succeeded: st.succeeded ?? 0, failed: st.failed ?? 0 };
      if (cond('Complete')) return { state: 'complete', ...out };
      if (cond('Failed')) return { state: 'failed', ...out, message: cond('Failed')!.message };
      const now = `${out.succeeded}/${j.spec?.completions ?? 1} succeeded, ${out.failed} failed`;
      if (now !== last) o.log.info(`job ${name}: ${now}`);
      last = now;
    } else if (r?.status === 404) {
      throw new KubeperfError(`job ${namespace}/${name} no longer exists`);
    }
    if (performance.now() > deadline || o.signal?.aborted)
      return { state: 'timeout', succeeded: 0, failed: 0 };
    await sleep(o.pollMs ?? 2000, o.signal).catch(() => {});
  }
}
