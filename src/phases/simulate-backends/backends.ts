/**
 * Simulated backends: S Services `sim-service-<i>` (port 80 → 8080, ClusterIP, no selector) each with
 * one EndpointSlice of E ready endpoints (kgateway's addresses and pod names), and no pods. The
 * Services have no selector so that on a real cluster the EndpointSlice controller leaves the
 * hand-made slices alone (kgateway's simulator gives them a selector and hand-made Endpoints, which a
 * real endpoints controller would empty). Everything carries the run labels; a name that exists
 * without them is reported and never touched.
 */
import type { KubeClient } from '../../kube/client.js';
import { runLabels } from '../../kube/labels.js';
import { ensureNamespace } from '../../kube/namespaces.js';
import { createOwned } from '../../kube/owned.js';
import { runTasks } from '../../load/model.js';
import type { Recorder } from '../../metrics/recorder.js';
import { endpointSliceMapping, serviceMapping } from '../../gateway-api/resources.js';
import { endpointAddress } from './sizing.js';

export const SIM_SERVICE_PREFIX = 'sim-service-';
export const MANAGED_BY = 'simulate-backends.kubeperf.io';

export interface BackendSpec {
  namespace: string;
  services: number;
  endpointsPerService: number;
  concurrency: number;
}

export interface BackendsResult {
  namespace: string;
  /** Whether this run created the namespace (only then does cleanup delete it). */
  createdNamespace: boolean;
  services: number;
  endpointSlices: number;
  endpointsPerService: number;
  setupMs: number;
}

export const simServiceName = (i: number): string => `${SIM_SERVICE_PREFIX}${i}`;

export function simService(name: string, namespace: string, labels: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: { ...labels, 'kubeperf.io/simulated-backend': 'true' } },
    spec: {
      type: 'ClusterIP',
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    },
  };
}

export function simEndpointSlice(
  svc: string,
  index: number,
  namespace: string,
  perService: number,
  labels: Record<string, string>,
) {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: svc,
      namespace,
      labels: {
        ...labels,
        'kubernetes.io/service-name': svc,
        'endpointslice.kubernetes.io/managed-by': MANAGED_BY,
      },
    },
    addressType: 'IPv4',
    endpoints: Array.from({ length: perService }, (_, r) => ({
      addresses: [endpointAddress(index, r, perService)],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', name: `${svc}-pod-${r}`, namespace },
    })),
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
}

/** Creates the backends (namespace first); ops are recorded as backend-service-create / backend-endpointslice-create. */
export async function createBackends(
  client: KubeClient,
  spec: BackendSpec,
  o: { runId: string; job: string; recorder?: Recorder; signal?: AbortSignal },
): Promise<BackendsResult> {
  const t0 = performance.now();
  const createdNamespace = await ensureNamespace(client, spec.namespace, { runId: o.runId, job: o.job });
  const labels = runLabels(o.runId, o.job, 0);
  // The first failure (a name someone else owns, an API error) stops the creates and is thrown.
  let failure: unknown;
  await runTasks(
    { concurrency: spec.concurrency },
    spec.services,
    async (i, intendedMs) => {
      if (failure) return;
      const name = simServiceName(i);
      try {
        await createOwned(
          client,
          serviceMapping,
          spec.namespace,
          simService(name, spec.namespace, labels),
          o.runId,
          'backend-service-create',
          { recorder: o.recorder, intendedMs },
        );
        await createOwned(
          client,
          endpointSliceMapping,
          spec.namespace,
          simEndpointSlice(name, i, spec.namespace, spec.endpointsPerService, labels),
          o.runId,
          'backend-endpointslice-create',
          { recorder: o.recorder },
        );
      } catch (e) {
        failure ??= e;
      }
    },
    { defaultConcurrency: spec.concurrency, signal: o.signal },
  );
  if (failure) throw failure;
  return {
    namespace: spec.namespace,
    createdNamespace,
    services: spec.services,
    endpointSlices: spec.services,
    endpointsPerService: spec.endpointsPerService,
    setupMs: Math.round(performance.now() - t0),
  };
}
