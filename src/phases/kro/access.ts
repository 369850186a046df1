/**
 * The API access of a `kro` phase, for `kubeperf deploy`'s least-privilege RBAC: the RGDs it
 * applies and deletes, the instances of each round (their kind is the CRD kro generates from the
 * RGD, so it resolves from the RGD's schema before it exists), their namespaces, the children it
 * counts by kro's labels, kro's /metrics through a service proxy, and — with `controller: simulated`
 * — what kubeperf's kro controller does with the same credentials (kro's own ClusterRole, narrowed
 * to the kinds of the study's RGDs).
 */
import { cleanupVerbs, namespaceAccess, type ApiAccess } from '../../kube/access.js';
import type { KroOptions } from './options.js';
import type { RgdSource } from './rgd-source.js';

const RGD_API = 'kro.run/v1alpha1';
const RGD_KIND = 'ResourceGraphDefinition';
const rgdDefines: ApiAccess['defines'] = {
  group: 'kro.run',
  versions: ['v1alpha1'],
  kind: RGD_KIND,
  plural: 'resourcegraphdefinitions',
  namespaced: false,
};

/** An API-server path to a service's or pod's proxy (`controllerMetricsUrl`): get on that subresource. */
function proxyAccess(urlOrPath: string | undefined, phase: string): ApiAccess[] {
  const m = urlOrPath?.match(/^\/api\/v1\/namespaces\/([^/]+)\/(services|pods)\/[^/]+\/proxy(\/|$)/);
  if (!m) return [];
  return [
    {
      apiVersion: 'v1',
      kind: m[2]!,
      subresource: 'proxy',
      verbs: ['get'],
      namespace: m[1]!,
      reason: `kro ${phase}: the controller's /metrics through the API server (${urlOrPath})`,
    },
  ];
}

export function kroAccess(o: KroOptions, sources: RgdSource[], phase: string): ApiAccess[] {
  const simulated = o.controller === 'simulated';
  const out: ApiAccess[] = [
    {
      apiVersion: RGD_API,
      kind: RGD_KIND,
      verbs: ['get', 'list', 'create', 'update', 'delete'],
      namespace: '*',
      reason: `kro ${phase}: its RGDs, applied and waited for, deleted after (or by the run's cleanup)`,
      defines: rgdDefines,
    },
  ];
  const ns = o.namespaces > 1 ? '*' : o.namespace;
  const children = new Map<string, { apiVersion: string; kind: string }>();
  let namespaced: { apiVersion: string; kind: string } | undefined;
  for (const src of sources) {
    const s = src.compiled.schema;
    const instance = { apiVersion: `${s.group}/${s.apiVersion}`, kind: s.kind };
    if (s.scope !== 'Cluster') namespaced ??= instance;
    out.push({
      ...instance,
      verbs: ['list', 'watch', 'create', ...(o.update ? ['patch'] : []), ...cleanupVerbs],
      namespace: ns,
      reason: `kro ${phase}: ${s.kind} instances created and watched to ACTIVE${o.update ? ', updated' : ''}, deleted${o.delete ? ' (timed)' : ''}`,
      defines: {
        group: s.group,
        versions: [s.apiVersion],
        kind: s.kind,
        plural: s.crdName.slice(0, s.crdName.indexOf('.')),
        namespaced: s.scope !== 'Cluster',
      },
    });
    for (const r of src.compiled.resources)
      if (!r.external) children.set(`${r.apiVersion}/${r.kind}`, { apiVersion: r.apiVersion, kind: r.kind });
  }
  // Generated resources of kinds the target does not serve become ConfigMaps (rgd-source.ts).
  if (!o.rgd) children.set('v1/ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap' });
  if (namespaced)
    out.push(
      namespaceAccess(
        `kro ${phase}: namespace${o.namespaces > 1 ? `s ${o.namespace}-0…${o.namespaces - 1}` : ` ${o.namespace}`}`,
        namespaced,
      ),
    );
  for (const c of children.values())
    out.push({
      ...c,
      verbs: simulated ? ['get', 'list', 'watch', 'create', 'patch', 'delete'] : ['list'],
      namespace: '*',
      reason: simulated
        ? `kro ${phase}: children the simulated kro controller applies (server-side apply), watches and prunes`
        : `kro ${phase}: children counted by kro's labels`,
    });
  out.push(...proxyAccess(o.controllerMetricsUrl, phase));
  if (!simulated) return out;

  // kubeperf's kro controller runs in the pod with the pod's credentials.
  const why = `kro ${phase}: the simulated kro controller`;
  out.push(
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'],
      namespace: '*',
      reason: `${why} installs the RGD CRD and generates each RGD's instance CRD`,
    },
    {
      apiVersion: RGD_API,
      kind: RGD_KIND,
      verbs: ['get', 'list', 'watch', 'patch'],
      namespace: '*',
      reason: `${why} watches RGDs (finalizer)`,
    },
    {
      apiVersion: RGD_API,
      kind: RGD_KIND,
      subresource: 'status',
      verbs: ['update'],
      namespace: '*',
      reason: `${why} writes RGD status`,
    },
  );
  for (const src of sources) {
    const s = src.compiled.schema;
    const instance = { apiVersion: `${s.group}/${s.apiVersion}`, kind: s.kind };
    out.push(
      {
        ...instance,
        verbs: ['get', 'list', 'watch', 'patch'],
        namespace: '*',
        reason: `${why} reconciles ${s.kind} instances (finalizer)`,
      },
      {
        ...instance,
        subresource: 'status',
        verbs: ['update'],
        namespace: '*',
        reason: `${why} writes ${s.kind} status`,
      },
    );
  }
  return out;
}
