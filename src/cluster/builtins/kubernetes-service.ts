/**
 * The `default/kubernetes` Service, Endpoints and EndpointSlice the API server publishes about
 * itself (its bootstrap controller and endpoint reconciler): the first IP of the service CIDR, port
 * 443 → the server's own port.
 */
import type { ApiContext } from '../api/context.js';
import { insertNew, writeUpdate } from '../api/handlers.js';
import { clone, nowSeconds } from '../api/objects.js';
import { objectKey, type KubeObject } from '../store/store.js';

const manager = 'kube-apiserver';

function req(ctx: ApiContext, groupVersion: string, plural: string) {
  return {
    method: 'POST',
    rt: ctx.registry.get(groupVersion, plural)!,
    ns: 'default',
    query: new URLSearchParams(),
    userAgent: `${manager}/v1.28.7`,
  };
}

/** Creates the Service (port 443 → `targetPort`, updated once the real port is known). */
export function createKubernetesService(ctx: ApiContext, clusterIP: string, targetPort = 443): void {
  insertNew(
    ctx,
    req(ctx, 'v1', 'services'),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: {
        ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort }],
        clusterIP,
        clusterIPs: [clusterIP],
        type: 'ClusterIP',
        sessionAffinity: 'None',
      },
    },
    nowSeconds(),
    'Update',
  );
}

function upsert(ctx: ApiContext, groupVersion: string, plural: string, obj: KubeObject): void {
  const r = req(ctx, groupVersion, plural);
  const cur = ctx.store.get(r.rt.storageKey, objectKey('default', obj.metadata.name));
  if (!cur) {
    insertNew(ctx, r, obj, nowSeconds(), 'Update');
    return;
  }
  const next = { ...clone(cur.obj), ...obj, metadata: cur.obj.metadata };
  writeUpdate(ctx, { ...r, method: 'PUT', name: obj.metadata.name }, cur, next, { manager });
}

/** Points the Service, its Endpoints and EndpointSlice at the address the server listens on. */
export function publishApiServerAddress(ctx: ApiContext, ip: string, port: number): void {
  const svc = ctx.store.get('services', 'default/kubernetes');
  if (svc) {
    const spec = svc.obj.spec as { ports?: { targetPort?: unknown }[] };
    if (spec.ports?.[0]?.targetPort !== port) {
      const next = clone(svc.obj);
      (next.spec as { ports: { targetPort: number }[] }).ports[0]!.targetPort = port;
      writeUpdate(ctx, { ...req(ctx, 'v1', 'services'), method: 'PUT', name: 'kubernetes' }, svc, next, {
        manager,
      });
    }
  }
  const family = ip.includes(':') ? 'IPv6' : 'IPv4';
  upsert(ctx, 'v1', 'endpoints', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip }], ports: [{ name: 'https', port, protocol: 'TCP' }] }],
  });
  upsert(ctx, 'discovery.k8s.io/v1', 'endpointslices', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: family,
    endpoints: [{ addresses: [ip], conditions: { ready: true } }],
    ports: [{ name: 'https', port, protocol: 'TCP' }],
  });
}
