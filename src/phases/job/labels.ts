/**
 * Labels of the objects a create job makes: kubeperf's run labels (what cleanup selects on), the
 * worker's index in a distributed run, and optionally kube-burner's own labels, so kube-burner
 * configs whose later jobs select on them run unchanged. Pod templates get the same labels, as
 * kube-burner does, so the Pods that controllers create are selectable too (podLatency, deletes).
 */
import type { KubeObject } from '../../kube/client.js';
import { runLabels } from '../../kube/labels.js';

export interface LabelContext {
  runId: string;
  jobName: string;
  worker?: Record<string, string>;
  kubeBurner: boolean;
}

export function objectLabels(
  c: LabelContext,
  u: { iteration: number; objIndex: number; replica: number },
): Record<string, string> {
  const run = runLabels(c.runId, c.jobName, u.iteration);
  if (!c.worker && !c.kubeBurner) return run;
  return {
    ...(c.kubeBurner ? kubeBurnerLabels(c, u) : {}),
    ...c.worker,
    ...run,
  };
}

/**
 * kube-burner's labels, current (kube-burner.io/…) and pre-v1.10 (kube-burner-…) names; without a
 * unit, the job-level ones (what its namespaces carry).
 */
export function kubeBurnerLabels(
  c: Pick<LabelContext, 'runId' | 'jobName'>,
  u?: { iteration: number; objIndex: number; replica: number },
): Record<string, string> {
  const job = {
    'kube-burner.io/uuid': c.runId,
    'kube-burner.io/runid': c.runId,
    'kube-burner.io/job': c.jobName,
    'kube-burner-uuid': c.runId,
    'kube-burner-runid': c.runId,
    'kube-burner-job': c.jobName,
  };
  if (!u) return job;
  return {
    ...job,
    'kube-burner.io/index': String(u.objIndex),
    'kube-burner.io/job-iteration': String(u.iteration),
    'kube-burner.io/replica': String(u.replica),
    'kube-burner-index': String(u.objIndex),
  };
}

const podTemplatePaths: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Adds `labels` to the pod template of workload kinds (no-op for other kinds). */
export function labelPodTemplate(obj: KubeObject, labels: Record<string, string>): void {
  const path = podTemplatePaths[obj.kind ?? ''];
  if (!path) return;
  let cur: Record<string, unknown> | undefined = obj;
  for (const seg of path) {
    const next: unknown = cur?.[seg];
    if (!next || typeof next !== 'object') return;
    cur = next as Record<string, unknown>;
  }
  const md = (cur.metadata ??= {}) as { labels?: Record<string, string> };
  md.labels = { ...(md.labels ?? {}), ...labels };
}
