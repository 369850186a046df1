/**
 * The apiextensions controllers, collapsed: accepts names and establishes a new CRD (conditions
 * NamesAccepted then Established, as watchers of the real server see them), serves its versions,
 * and on deletion removes all its custom resources before the CRD goes away.
 */
import type { ApiContext, ApiRequest } from '../api/context.js';
import { removeNow, writeUpdate } from '../api/handlers.js';
import { clone, nowSeconds } from '../api/objects.js';
import type { ResourceType } from '../api/resources.js';
import type { KubeObject, Stored, StoreEvent } from '../store/store.js';
import { crdResourceTypes, type CrdSpec } from './definition.js';

const crdKey = 'customresourcedefinitions.apiextensions.k8s.io';
export const crdCleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';

type Obj = Record<string, unknown>;
interface Condition {
  type: string;
  status: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

function conditions(o: KubeObject): Condition[] {
  const st = o.status as Obj | undefined;
  return (Array.isArray(st?.conditions) ? st.conditions : []) as Condition[];
}

function isEstablished(o: KubeObject): boolean {
  return conditions(o).some((c) => c.type === 'Established' && c.status === 'True');
}

export function startCrdController(ctx: ApiContext): () => void {
  const crdType = ctx.registry.get('apiextensions.k8s.io/v1', 'customresourcedefinitions')!;
  /** CRD name -> served types, so versions that stop being served are removed. */
  const served = new Map<string, ResourceType[]>();
  let stopped = false;

  const req = (sub?: string): ApiRequest => ({
    method: 'PUT',
    rt: crdType,
    ns: '',
    subresource: sub,
    query: new URLSearchParams({ fieldManager: 'kube-apiserver' }),
  });

  const current = (name: string): Stored | undefined => ctx.store.get(crdKey, name);

  const writeStatus = (name: string, mutate: (status: Obj, obj: KubeObject) => void): void => {
    const cur = current(name);
    if (!cur) return;
    const next = clone(cur.obj);
    const status = ((next.status as Obj | undefined) ?? {}) as Obj;
    mutate(status, next);
    next.status = status;
    writeUpdate(ctx, { ...req('status'), name }, cur, next, { manager: 'kube-apiserver' });
  };

  const serve = (obj: KubeObject): void => {
    const name = obj.metadata.name;
    const types = crdResourceTypes(obj);
    for (const old of served.get(name) ?? []) {
      if (!types.some((t) => t.groupVersion === old.groupVersion))
        ctx.registry.remove(old.groupVersion, old.plural);
    }
    for (const t of types) ctx.registry.add(t);
    served.set(name, types);
  };

  const unserve = (name: string): void => {
    for (const t of served.get(name) ?? []) ctx.registry.remove(t.groupVersion, t.plural);
    served.delete(name);
  };

  const establish = (name: string): void => {
    const cur = current(name);
    if (!cur || stopped) return;
    const spec = cur.obj.spec as unknown as CrdSpec;
    const now = nowSeconds();
    const accepted = { ...spec.names };
    // Step 1: names accepted, not yet established (what a watcher of the real server sees first).
    writeStatus(name, (st) => {
      st.conditions = [
        {
          type: 'NamesAccepted',
          status: 'True',
          lastTransitionTime: now,
          reason: 'NoConflicts',
          message: 'no conflicts found',
        },
        {
          type: 'Established',
          status: 'False',
          lastTransitionTime: now,
          reason: 'Installing',
          message: 'the initial names have been accepted',
        },
      ];
      st.acceptedNames = accepted;
    });
    setImmediate(() => {
      const c = current(name);
      if (!c || stopped || (c.obj.metadata as Obj).deletionTimestamp) return;
      serve(c.obj);
      writeStatus(name, (st) => {
        const conds = (st.conditions as Condition[]).filter((x) => x.type !== 'Established');
        conds.push({
          type: 'Established',
          status: 'True',
          lastTransitionTime: nowSeconds(),
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
        });
        st.conditions = conds;
      });
    });
  };

  const cleanup = (name: string): void => {
    const cur = current(name);
    if (!cur || stopped) return;
    const storageKey = `${(cur.obj.spec as unknown as CrdSpec).names.plural}.${(cur.obj.spec as unknown as CrdSpec).group}`;
    const types = served.get(name) ?? crdResourceTypes(cur.obj);
    const rt = types[0];
    if (rt) {
      for (const key of [...ctx.store.sortedKeys(storageKey)]) {
        const s = ctx.store.get(storageKey, key);
        if (s) removeNow(ctx, rt, s);
      }
    }
    unserve(name);
    ctx.store.dropCollection(storageKey);
    const c = current(name);
    if (!c) return;
    const next = clone(c.obj);
    const fin = (((next.metadata as Obj).finalizers as string[] | undefined) ?? []).filter(
      (f) => f !== crdCleanupFinalizer,
    );
    (next.metadata as Obj).finalizers = fin.length ? fin : undefined;
    writeUpdate(ctx, { ...req(), name }, c, next, { manager: 'kube-apiserver' });
  };

  const onEvent = (e: StoreEvent): void => {
    const name = e.cur.name;
    const obj = e.cur.obj;
    if (e.type === 'DELETED') {
      unserve(name);
      return;
    }
    const meta = obj.metadata as Obj;
    if (meta.deletionTimestamp) {
      if (((meta.finalizers as string[] | undefined) ?? []).includes(crdCleanupFinalizer))
        setImmediate(() => cleanup(name));
      else unserve(name);
      return;
    }
    if (!conditions(obj).length) {
      setImmediate(() => establish(name));
      return;
    }
    if (isEstablished(obj)) {
      // Spec changes (versions, names) take effect at once.
      const prev = e.prev?.obj;
      if (!served.has(name) || (prev && JSON.stringify(prev.spec) !== JSON.stringify(obj.spec))) serve(obj);
    }
  };

  const unsubscribe = ctx.store.subscribe(crdKey, onEvent);
  return () => {
    stopped = true;
    unsubscribe();
  };
}
