/**
 * Objects a fresh kube-apiserver v1.28 holds besides its namespaces: the componentstatuses view,
 * the system PriorityClasses and one Local APIService per built-in group/version; and the way the
 * server creates a cluster-scoped object of its own (namespaces, Milo's CRDs).
 */
import { makeStored, type KubeObject } from '../store/store.js';
import type { ApiContext } from './context.js';
import { insertNew } from './handlers.js';
import { canonicalize, newUid, nowSeconds } from './objects.js';
import { builtinGroupVersions } from './resources.js';

/** Creates a cluster-scoped object as kube-apiserver itself does (its user agent, an Update entry). */
export function createAsApiServer(
  ctx: ApiContext,
  groupVersion: string,
  plural: string,
  obj: Record<string, unknown>,
): void {
  insertNew(
    ctx,
    {
      method: 'POST',
      rt: ctx.registry.get(groupVersion, plural)!,
      ns: '',
      query: new URLSearchParams(),
      userAgent: 'kube-apiserver/v1.28.7',
    },
    obj as KubeObject,
    nowSeconds(),
    'Update',
  );
}

/** kube-aggregator's apiVersionPriorities of v1.28: [groupPriorityMinimum, versionPriority]. */
const apiServicePriorities: Record<string, [number, number]> = {
  v1: [18000, 1],
  'apiregistration.k8s.io/v1': [18000, 1],
  'apps/v1': [17800, 15],
  'events.k8s.io/v1': [17750, 15],
  'authentication.k8s.io/v1': [17700, 15],
  'authorization.k8s.io/v1': [17600, 15],
  'autoscaling/v1': [17500, 15],
  'autoscaling/v2': [17500, 30],
  'batch/v1': [17400, 15],
  'certificates.k8s.io/v1': [17300, 15],
  'networking.k8s.io/v1': [17200, 15],
  'policy/v1': [17100, 15],
  'rbac.authorization.k8s.io/v1': [17000, 15],
  'storage.k8s.io/v1': [16800, 15],
  'admissionregistration.k8s.io/v1': [16700, 15],
  'apiextensions.k8s.io/v1': [16700, 15],
  'scheduling.k8s.io/v1': [16600, 15],
  'coordination.k8s.io/v1': [16500, 15],
  'node.k8s.io/v1': [16300, 15],
  'discovery.k8s.io/v1': [16200, 15],
  'flowcontrol.apiserver.k8s.io/v1beta3': [16100, 18],
  'flowcontrol.apiserver.k8s.io/v1beta2': [16100, 15],
};

/** The objects a bare v1.28 control plane has besides namespaces (after bootstrap's namespaces). */
export function bootstrapV128(ctx: ApiContext): void {
  const put = (gv: string, plural: string, obj: Record<string, unknown>): void => {
    const rt = ctx.registry.get(gv, plural)!;
    const rv = ctx.store.nextRv();
    const meta = obj.metadata as Record<string, unknown>;
    if (rt.storageVersion !== null) {
      meta.uid = newUid();
      meta.resourceVersion = String(rv);
      meta.creationTimestamp = nowSeconds();
    }
    ctx.store.commit(rt.storageKey, 'ADDED', makeStored(canonicalize(rt, obj as KubeObject), rv));
  };
  // componentstatuses: the legacy health view (served read-only, never stored in etcd).
  for (const name of ['scheduler', 'controller-manager', 'etcd-0']) {
    put('v1', 'componentstatuses', {
      kind: 'ComponentStatus',
      apiVersion: 'v1',
      metadata: { name, creationTimestamp: null },
      conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }],
    });
  }
  // One Local APIService per built-in group/version, as kube-apiserver's autoregistration makes.
  for (const gv of builtinGroupVersions) {
    if (!ctx.registry.groupVersion(gv)) continue;
    const [group, version] = gv.includes('/') ? (gv.split('/') as [string, string]) : ['', gv];
    const [groupPriorityMinimum, versionPriority] = apiServicePriorities[gv] ?? [1000, 15];
    put('apiregistration.k8s.io/v1', 'apiservices', {
      kind: 'APIService',
      apiVersion: 'apiregistration.k8s.io/v1',
      metadata: {
        name: `${version}.${group}`,
        labels: { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' },
      },
      spec: { group, version, groupPriorityMinimum, versionPriority },
      status: {
        conditions: [
          {
            type: 'Available',
            status: 'True',
            lastTransitionTime: nowSeconds(),
            reason: 'Local',
            message: 'Local APIServices are always available',
          },
        ],
      },
    });
  }
  for (const [name, value] of [
    ['system-node-critical', 2000001000],
    ['system-cluster-critical', 2000000000],
  ] as const) {
    put('scheduling.k8s.io/v1', 'priorityclasses', {
      kind: 'PriorityClass',
      apiVersion: 'scheduling.k8s.io/v1',
      metadata: { name },
      value,
      globalDefault: false,
      description: 'Used for system critical pods that must not be moved from their current node.',
      preemptionPolicy: 'PreemptLowerPriority',
    });
  }
}
