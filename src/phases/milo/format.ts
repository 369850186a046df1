/**
 * The milo phase's numbers in words for the terminal summary: the runner's figure beside kubeperf's
 * watch-measured one, the objects, and the snapshots (numbers straight from the phase data).
 */
import type { MiloData, RunnerMetrics, SnapshotName } from './data.js';

const cores = (v: number | null) => (v === null ? '–' : v.toFixed(3));
const mb = (v: number | null) => (v === null ? '–' : (v / 1e6).toFixed(1));
const metrics = (m: RunnerMetrics) => {
  const etcd =
    m.etcd_cpu_cores === null && m.etcd_mem_bytes === null
      ? 'etcd: no series matched'
      : `etcd ${cores(m.etcd_cpu_cores)} cores ${mb(m.etcd_mem_bytes)} MB`;
  return `apiserver ${cores(m.apiserver_cpu_cores)} cores ${mb(m.apiserver_mem_bytes)} MB, ${etcd}`;
};

export function formatMilo(data: Record<string, unknown> | undefined): string {
  const d = data?.milo as MiloData | undefined;
  if (!d || typeof d.testId !== 'string') return '';
  const out = [`test ${d.testId}, organization ${d.orgName}`];
  const p = d.projects;
  if (p) {
    const runner =
      p.readySeconds !== undefined
        ? `projects_ready_seconds ${p.readySeconds.toFixed(2)} s (the runner's figure)`
        : '';
    const watch =
      p.watchReadySeconds !== undefined ? `${p.watchReadySeconds.toFixed(2)} s from the watch` : '';
    out.push(`projects: ${p.ready}/${p.requested} Ready; ${[runner, watch].filter(Boolean).join(', ')}`);
    if (p.timedOut?.length) out.push(`projects never Ready: ${p.timedOut.join(', ')}`);
  }
  const o = d.objects;
  if (o) {
    const listed = o.listed
      ? `; listed afterwards: ${o.listed.secrets} secrets, ${o.listed.configmaps} configmaps in ${o.listed.projectsChecked} projects`
      : '';
    out.push(`objects: ${o.secrets.created} secrets, ${o.configmaps.created} configmaps created${listed}`);
  }
  if (d.metrics?.skipped) out.push(`snapshots skipped: ${d.metrics.skipped}`);
  for (const name of ['baseline', 'after_projects', 'after_secrets'] as SnapshotName[]) {
    const s = d.snapshots?.[name];
    if (!s) continue;
    out.push(`snapshot ${name}: ${s.status === 'ok' ? metrics(s.values) : `missing (${s.reason})`}`);
  }
  if (d.cleanup) {
    const c = d.cleanup.deleted;
    out.push(
      `cleanup of test ${d.cleanup.testId}: ${c.projects} projects, ${c.secrets} secrets, ${c.configmaps} configmaps deleted${d.cleanup.errors.length ? `; ${d.cleanup.errors.length} error(s)` : ''}`,
    );
  }
  return out.join('\n');
}
