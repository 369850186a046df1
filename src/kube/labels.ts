/**
 * The run labels every object kubeperf creates carries. Cleanup and later jobs select on them and on
 * nothing else, so kubeperf never touches an object it did not create.
 */
export const LABEL_RUN_ID = 'kubeperf.io/run-id';
export const LABEL_JOB = 'kubeperf.io/job';
export const LABEL_ITERATION = 'kubeperf.io/iteration';
/** Marks namespaces kubeperf created itself (only those are ever deleted). */
export const LABEL_CREATED_NAMESPACE = 'kubeperf.io/created-namespace';

export function runLabels(runId: string, job: string, iteration: number): Record<string, string> {
  return { [LABEL_RUN_ID]: runId, [LABEL_JOB]: job, [LABEL_ITERATION]: String(iteration) };
}

/** Label values must be ≤ 63 chars of [A-Za-z0-9_.-] starting and ending alphanumeric. */
export function labelSafe(value: string): string {
  const s = value.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 63);
  return s.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '') || 'x';
}

export function selectorFor(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Add labels to an object's metadata (mutates and returns it). */
export function applyLabels<T extends { metadata?: { labels?: Record<string, string> } }>(
  obj: T,
  labels: Record<string, string>,
): T {
  obj.metadata ??= {};
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), ...labels };
  return obj;
}
