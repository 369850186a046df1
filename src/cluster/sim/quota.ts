/**
 * Simulated resource quota controller: `status.hard` mirrors `spec.hard` and `status.used` counts
 * what the namespace holds (pods, object counts, `count/<resource>`, CPU and memory requests and
 * limits of its non-terminal pods). Quotas are not enforced at admission.
 */
import type { ApiContext } from '../api/context.js';
import type { StoreEvent } from '../store/store.js';
import { parseQuantity } from '../validation/quantity.js';
import { specChanged, stopper, WorkQueue } from './controller-kit.js';
import { activePod, updateStatus } from './workloads.js';

type Obj = Record<string, unknown>;

/** Storage keys behind the quota's standard object-count names. */
const countNames: Record<string, string> = {
  pods: 'pods',
  services: 'services',
  secrets: 'secrets',
  configmaps: 'configmaps',
  persistentvolumeclaims: 'persistentvolumeclaims',
  replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas',
};

function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

function formatBytes(bytes: number): string {
  const b = Math.round(bytes);
  for (const [suffix, size] of [
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const)
    if (b !== 0 && b % size === 0) return `${b / size}${suffix}`;
  return String(b);
}

export function startQuotaController(ctx: ApiContext): () => void {
  const rt = ctx.registry.get('v1', 'resourcequotas')!;
  const count = (storageKey: string, ns: string): number =>
    ctx.store.sortedKeys(storageKey).filter((k) => k.startsWith(`${ns}/`)).length;

  const sync = (key: string): void => {
    const s = ctx.store.get('resourcequotas', key);
    if (!s) return;
    const hard = (((s.obj.spec as Obj | undefined)?.hard as Obj | undefined) ?? {}) as Record<
      string,
      unknown
    >;
    const pods = ctx.store
      .sortedKeys('pods')
      .filter((k) => k.startsWith(`${s.ns}/`))
      .map((k) => ctx.store.get('pods', k)!.obj)
      .filter(activePod);
    const sum = (kind: 'requests' | 'limits', res: string): number =>
      pods.reduce((n, p) => {
        for (const c of ((p.spec as Obj | undefined)?.containers as Obj[] | undefined) ?? []) {
          const v = parseQuantity(((c.resources as Obj | undefined)?.[kind] as Obj | undefined)?.[res]);
          if (v !== undefined) n += v;
        }
        return n;
      }, 0);
    const used: Record<string, string> = {};
    for (const name of Object.keys(hard)) {
      if (name === 'pods') used[name] = String(pods.length);
      else if (countNames[name]) used[name] = String(count(countNames[name]!, s.ns));
      else if (name.startsWith('count/')) used[name] = String(count(name.slice(6), s.ns));
      else if (name === 'services.nodeports' || name === 'services.loadbalancers') {
        const type = name === 'services.nodeports' ? 'NodePort' : 'LoadBalancer';
        used[name] = String(
          ctx.store
            .sortedKeys('services')
            .filter(
              (k) =>
                k.startsWith(`${s.ns}/`) && (ctx.store.get('services', k)!.obj.spec as Obj).type === type,
            ).length,
        );
      } else if (/^(requests\.|limits\.)?(cpu|memory)$/.test(name)) {
        const [kind, res] = name.includes('.')
          ? (name.split('.') as ['requests' | 'limits', string])
          : (['requests', name] as const);
        used[name] = res === 'cpu' ? formatCpu(sum(kind, res)) : formatBytes(sum(kind, res));
      } else used[name] = '0';
    }
    updateStatus(ctx, rt, s.ns, s.name, (o) => (o.status = { hard: { ...hard }, used }));
  };

  const queue = new WorkQueue(sync);
  const resyncNamespace = (e: StoreEvent): void => {
    const prefix = `${e.cur.ns}/`;
    for (const k of ctx.store.sortedKeys('resourcequotas')) if (k.startsWith(prefix)) queue.add(k);
  };
  return stopper(queue, [
    ctx.store.subscribe('resourcequotas', (e: StoreEvent) => {
      if (e.type !== 'DELETED' && specChanged(e)) queue.add(e.cur.key);
    }),
    // Pod churn changes usage; other counted objects only on add and delete.
    ctx.store.subscribeAll((e: StoreEvent) => {
      if (
        !e.cur.ns ||
        ctx.store.count('resourcequotas') === 0 ||
        e.storageKey === 'resourcequotas' ||
        e.storageKey === 'events'
      )
        return;
      if (e.storageKey === 'pods' || e.type !== 'MODIFIED') resyncNamespace(e);
    }),
  ]);
}
