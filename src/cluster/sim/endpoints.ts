/**
 * Simulated endpoints and endpointslice controllers: every Service with a selector gets an Endpoints
 * object listing its matching pods (ready ones as addresses, others as notReadyAddresses) and an
 * EndpointSlice (`<service>-xxxxx`, owned by the Service, with ready/serving/terminating conditions),
 * kept current.
 */
import type { ApiContext } from '../api/context.js';
import { objectKey, type KubeObject, type StoreEvent } from '../store/store.js';
import { create, stopper, update, WorkQueue } from './controller-kit.js';
import { controllerManager, hasLabels, isReady, ownerRef } from './workloads.js';

type Obj = Record<string, unknown>;

export function startEndpointsController(ctx: ApiContext): () => void {
  const epRt = ctx.registry.get('v1', 'endpoints')!;
  const sliceRt = ctx.registry.get('discovery.k8s.io/v1', 'endpointslices')!;
  const sliceManager = 'endpointslice-controller.k8s.io';

  const syncSlice = (
    svc: KubeObject,
    ns: string,
    entries: { ip: string; ready: boolean; pod: KubeObject }[],
    ports: Obj[],
  ): void => {
    const name = svc.metadata.name;
    const prefix = `${ns}/`;
    const slices = ctx.store.objects('endpointslices.discovery.k8s.io');
    let existing: string | undefined;
    for (const k of ctx.store.sortedKeys('endpointslices.discovery.k8s.io')) {
      if (!k.startsWith(prefix)) continue;
      const l = slices.get(k)!.obj.metadata.labels ?? {};
      if (
        l['kubernetes.io/service-name'] === name &&
        l['endpointslice.kubernetes.io/managed-by'] === sliceManager
      ) {
        existing = slices.get(k)!.name;
        break;
      }
    }
    const endpoints = entries.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready, serving: e.ready, terminating: false },
      ...((e.pod.spec as Obj | undefined)?.nodeName ? { nodeName: (e.pod.spec as Obj).nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: ns, name: e.pod.metadata.name, uid: e.pod.metadata.uid },
    }));
    const slicePorts = ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol }));
    if (!existing) {
      create(ctx, sliceRt, ns, sliceManager, {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: '',
          generateName: `${name}-`,
          namespace: ns,
          labels: {
            ...(svc.metadata.labels ?? {}),
            'endpointslice.kubernetes.io/managed-by': sliceManager,
            'kubernetes.io/service-name': name,
          },
          ownerReferences: [ownerRef(svc, 'v1', 'Service')],
        },
        addressType: 'IPv4',
        endpoints,
        ports: slicePorts,
      });
      return;
    }
    update(ctx, sliceRt, ns, existing, sliceManager, (o) => {
      o.endpoints = endpoints;
      o.ports = slicePorts;
    });
  };

  const sync = (key: string): void => {
    const svc = ctx.store.get('services', key);
    if (!svc) return;
    const spec = (svc.obj.spec as Obj) ?? {};
    const selector = spec.selector as Record<string, string> | undefined;
    if (!selector || !Object.keys(selector).length) return;
    const ready: Obj[] = [];
    const notReady: Obj[] = [];
    const entries: { ip: string; ready: boolean; pod: KubeObject }[] = [];
    const prefix = `${svc.ns}/`;
    const objects = ctx.store.objects('pods');
    for (const k of ctx.store.sortedKeys('pods')) {
      if (!k.startsWith(prefix)) continue;
      const p = objects.get(k)!.obj;
      if (!hasLabels(p.metadata.labels, selector)) continue;
      const ip = (p.status as Obj | undefined)?.podIP as string | undefined;
      if (!ip || (p.metadata as Obj).deletionTimestamp) continue;
      const addr = {
        ip,
        nodeName: (p.spec as Obj | undefined)?.nodeName,
        targetRef: {
          kind: 'Pod',
          namespace: p.metadata.namespace,
          name: p.metadata.name,
          uid: p.metadata.uid,
        },
      };
      const up = isReady(p);
      (up ? ready : notReady).push(addr);
      entries.push({ ip, ready: up, pod: p });
    }
    const ports = (((spec.ports as Obj[] | undefined) ?? []) as Obj[]).map((sp) => ({
      ...(sp.name ? { name: sp.name } : {}),
      port: typeof sp.targetPort === 'number' ? sp.targetPort : sp.port,
      protocol: sp.protocol ?? 'TCP',
    }));
    const subsets =
      ready.length || notReady.length
        ? [
            {
              ...(ready.length ? { addresses: ready } : {}),
              ...(notReady.length ? { notReadyAddresses: notReady } : {}),
              ports,
            },
          ]
        : undefined;
    syncSlice(svc.obj, svc.ns, entries, ports);
    const existing = ctx.store.get('endpoints', objectKey(svc.ns, svc.name));
    if (!existing) {
      create(ctx, epRt, svc.ns, controllerManager, {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: svc.name, namespace: svc.ns, labels: { ...(svc.obj.metadata.labels ?? {}) } },
        ...(subsets ? { subsets } : {}),
      });
      return;
    }
    update(ctx, epRt, svc.ns, svc.name, controllerManager, (o) => {
      if (subsets) o.subsets = subsets;
      else delete o.subsets;
    });
  };

  const queue = new WorkQueue(sync, ctx.controllers?.controller('endpoint'));
  return stopper(queue, [
    ctx.store.subscribe('services', (e: StoreEvent) => {
      if (e.type !== 'DELETED') queue.add(e.cur.key);
    }),
    ctx.store.subscribe('pods', (e: StoreEvent) => {
      const labels = e.cur.obj.metadata.labels;
      if (!labels) return;
      const prefix = `${e.cur.ns}/`;
      const services = ctx.store.objects('services');
      for (const k of ctx.store.sortedKeys('services')) {
        if (!k.startsWith(prefix)) continue;
        const sel = ((services.get(k)!.obj.spec as Obj | undefined)?.selector ?? {}) as Record<
          string,
          string
        >;
        const prevLabels = e.prev?.obj.metadata.labels ?? {};
        const matches = (l: Record<string, string>) => Object.keys(sel).length > 0 && hasLabels(l, sel);
        if (matches(labels) || matches(prevLabels)) queue.add(k);
      }
    }),
  ]);
}
