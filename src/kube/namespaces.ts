/**
 * Namespaces for a run: created with the run labels plus kubeperf.io/created-namespace=true (the only
 * namespaces cleanup may delete). An existing namespace is used as it is and never deleted.
 */
import type { KubeClient } from './client.js';
import type { ResourceMapping } from './discovery.js';
import { LABEL_CREATED_NAMESPACE, runLabels } from './labels.js';
import { describeResponse } from './response.js';
import { sleep } from '../load/sleep.js';

export const namespaceMapping: ResourceMapping = {
  group: '',
  version: 'v1',
  resource: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
  verbs: ['create', 'delete', 'get', 'list', 'watch'],
};

/** Ensures the namespace exists; returns true when this call created it. */
export async function ensureNamespace(
  client: KubeClient,
  name: string,
  labels: {
    runId: string;
    job: string;
    iteration?: number;
    /** More labels (a worker's index, a study's namespaceLabels); the run labels win. */
    extra?: Record<string, string>;
    annotations?: Record<string, string>;
  },
): Promise<boolean> {
  let got = await client.get(namespaceMapping, undefined, name, 'setup');
  // A namespace still terminating from an earlier run refuses new objects (403 NamespaceTerminating):
  // wait until it is gone, then create it afresh.
  const deadline = performance.now() + 120_000;
  while (
    got?.status === 200 &&
    (JSON.parse(got.body) as { status?: { phase?: string } }).status?.phase === 'Terminating'
  ) {
    if (performance.now() > deadline) throw new Error(`namespace ${name} is still terminating after 120 s`);
    await sleep(250);
    got = await client.get(namespaceMapping, undefined, name, 'setup');
  }
  if (got?.status === 200) return false;
  const body = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        ...labels.extra,
        ...runLabels(labels.runId, labels.job, labels.iteration ?? 0),
        [LABEL_CREATED_NAMESPACE]: 'true',
      },
      ...(labels.annotations && Object.keys(labels.annotations).length
        ? { annotations: labels.annotations }
        : {}),
    },
  });
  const r = await client.create(namespaceMapping, undefined, body, 'setup');
  if (r?.status === 201 || r?.status === 200) return true;
  if (r?.status === 409) return false; // created concurrently by another worker of this run
  throw new Error(`cannot create namespace ${name}: ${r ? describeResponse(r) : 'connection failed'}`);
}

export async function deleteNamespace(client: KubeClient, name: string): Promise<void> {
  await client.delete(namespaceMapping, undefined, name, 'cleanup');
}
