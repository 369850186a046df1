/**
 * Simulated backends: S Services `sim-service-<i>` (port 80 → 8080, ClusterIP, no selector) each with
 * one EndpointSlice of E ready endpoints (kgateway's addresses and pod names), and no pods. The
 * Services have no selector so that on a real cluster the EndpointSlice controller leaves the
 * hand-made slices alone (kgateway's simulator gives them a selector and hand-made Endpoints, which a
 * real endpoints controller would empty). Everything carries the run labels; a name that exists
 * without them is reported and never touched.
 */
import { InputError, KubeperfError } from '../../core/errors.js';
import type { KubeClient } from '../../kube/client.js';
import { LABEL_RUN_ID, runLabels } from '../../kube/labels.js';
import { ensureNamespace } from '../../kube/namespaces.js';
import { describeResponse, isSuccess } from '../../kube/response.js';
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
  let failure: string | undefined;
  let foreign: string | undefined;
  const create = async (
    m: typeof serviceMapping,
    body: { metadata: { name: string } },
    op: string,
    intendedMs: number,
  ): Promise<boolean> => {
    const r = await client.create(m, spec.namespace, JSON.stringify(body), op, {
      recorder: o.recorder,
      intendedMs,
    });
    if (r && isSuccess(r)) return true;
    if (r?.status === 409) {
      const got = await client.get(m, spec.namespace, body.metadata.name, 'setup');
      const cur =
        got?.status === 200
          ? (JSON.parse(got.body) as { metadata: { labels?: Record<string, string> } })
          : undefined;
      if (cur?.metadata.labels?.[LABEL_RUN_ID] !== o.runId)
        foreign ??= `${m.kind} ${spec.namespace}/${body.metadata.name} already exists and was not created by this run`;
      return !foreign;
    }
    failure ??= `create ${m.kind} ${spec.namespace}/${body.metadata.name}: ${r ? describeResponse(r) : 'connection failed'}`;
    return false;
  };
  await runTasks(
    { concurrency: spec.concurrency },
    spec.services,
    async (i, intendedMs) => {
      if (failure || foreign) return;
      const name = simServiceName(i);
      const svc = simService(name, spec.namespace, labels);
      if (!(await create(serviceMapping, svc, 'backend-service-create', intendedMs))) return;
      await create(
        endpointSliceMapping,
        simEndpointSlice(name, i, spec.namespace, spec.endpointsPerService, labels),
        'backend-endpointslice-create',
        performance.now(),
      );
    },
    { defaultConcurrency: spec.concurrency, signal: o.signal },
  );
  if (foreign)
    throw new InputError(foreign, {
      hint: 'kubeperf never changes objects it did not create: choose another backends namespace',
    });
  if (failure) throw new KubeperfError(`simulated backends: ${failure}`);
  return {
    namespace: spec.namespace,
    createdNamespace,
    services: spec.services,
    endpointSlices: spec.services,
    endpointsPerService: spec.endpointsPerService,
    setupMs: Math.round(performance.now() - t0),
  };
}
