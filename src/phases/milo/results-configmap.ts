/**
 * The runner's `perf-results` ConfigMap in NS on the run's target: checkpoints while it runs
 * ({test_id, org_name, phase, …}: init, org-created, projects-ready) and the final results
 * (results.json in the runner's layout, report.html, test_id, org_name, phase) — each write replaces
 * the whole data, as save_results_configmap does. kubeperf labels it with the test's and the run's
 * labels, and never overwrites a `perf-results` it did not create (one without app=milo-perf).
 */
import type { KubeClient } from '../../kube/client.js';
import { describeResponse } from '../../kube/response.js';

export const RESULTS_CONFIGMAP = 'perf-results';

const path = (ns: string, name?: string) =>
  `/api/v1/namespaces/${encodeURIComponent(ns)}/configmaps${name ? `/${encodeURIComponent(name)}` : ''}`;

export interface ResultsConfigMap {
  labels?: Record<string, string>;
  data: Record<string, string>;
}

export async function readResultsConfigMap(c: KubeClient, ns: string): Promise<ResultsConfigMap | undefined> {
  const r = await c.rest.request({ method: 'GET', path: path(ns, RESULTS_CONFIGMAP) });
  if (r.status === 404) return undefined;
  if (r.status !== 200) throw new Error(`get configmap ${ns}/${RESULTS_CONFIGMAP}: ${describeResponse(r)}`);
  const cm = JSON.parse(r.body) as {
    metadata: { labels?: Record<string, string> };
    data?: Record<string, string>;
  };
  return { labels: cm.metadata.labels, data: cm.data ?? {} };
}

/** Creates or replaces perf-results; throws with the reason when it cannot. */
export async function writeResultsConfigMap(
  c: KubeClient,
  ns: string,
  labels: Record<string, string>,
  data: Record<string, string>,
): Promise<void> {
  const r = await c.rest.request({ method: 'GET', path: path(ns, RESULTS_CONFIGMAP) });
  if (r.status === 404) {
    const created = await c.rest.request({
      method: 'POST',
      path: path(ns),
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: RESULTS_CONFIGMAP, labels },
        data,
      }),
    });
    if (created.status >= 300)
      throw new Error(`create configmap ${ns}/${RESULTS_CONFIGMAP}: ${describeResponse(created)}`);
    return;
  }
  if (r.status !== 200) throw new Error(`get configmap ${ns}/${RESULTS_CONFIGMAP}: ${describeResponse(r)}`);
  const existing = JSON.parse(r.body) as { metadata: { labels?: Record<string, string> } };
  if (existing.metadata.labels?.app !== 'milo-perf') {
    throw new Error(
      `configmap ${ns}/${RESULTS_CONFIGMAP} exists and was not created by a kubeperf Milo run (no app=milo-perf label); not overwritten`,
    );
  }
  existing.metadata.labels = { ...existing.metadata.labels, ...labels };
  const replaced = await c.rest.request({
    method: 'PUT',
    path: path(ns, RESULTS_CONFIGMAP),
    body: JSON.stringify({ ...existing, data }),
  });
  if (replaced.status >= 300)
    throw new Error(`replace configmap ${ns}/${RESULTS_CONFIGMAP}: ${describeResponse(replaced)}`);
}

/** Deletes perf-results only when it carries this test's labels; returns whether it did. */
export async function deleteResultsConfigMap(
  c: KubeClient,
  ns: string,
  testId: string,
): Promise<'deleted' | 'absent' | 'not ours'> {
  const cm = await readResultsConfigMap(c, ns);
  if (!cm) return 'absent';
  if (cm.labels?.app !== 'milo-perf' || cm.labels['test-id'] !== testId) return 'not ours';
  const r = await c.rest.request({ method: 'DELETE', path: path(ns, RESULTS_CONFIGMAP) });
  if (r.status === 404) return 'absent';
  if (r.status >= 300) throw new Error(`delete configmap ${ns}/${RESULTS_CONFIGMAP}: ${describeResponse(r)}`);
  return 'deleted';
}
