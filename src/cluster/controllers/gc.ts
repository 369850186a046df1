/**
 * Garbage collector: dependents (metadata.ownerReferences) of a deleted owner are deleted in the
 * background; an owner deleted with propagationPolicy=Foreground keeps its `foregroundDeletion`
 * finalizer until its dependents are gone; with Orphan the dependents lose the ownerReference and
 * the `orphan` finalizer is removed.
 */
import type { ApiContext } from '../api/context.js';
import type { ResourceType } from '../api/resources.js';
import { WorkQueue, remove, stopper, update } from '../sim/controller-kit.js';
import type { KubeObject, StoreEvent } from '../store/store.js';

type Obj = Record<string, unknown>;
interface Ref {
  storageKey: string;
  key: string;
}

function owners(o: KubeObject): string[] {
  const refs = (o.metadata as Obj).ownerReferences as Obj[] | undefined;
  return Array.isArray(refs) ? refs.map((r) => r.uid as string).filter(Boolean) : [];
}

export function startGarbageCollector(ctx: ApiContext): () => void {
  /** owner uid → dependents. */
  const dependents = new Map<string, Map<string, Ref>>();
  /** uid → where the object lives (to find owners that are terminating). */
  const byUid = new Map<string, Ref>();

  const typeOf = (storageKey: string): ResourceType | undefined =>
    ctx.registry.all().find((t) => t.storageKey === storageKey);

  const track = (e: StoreEvent): void => {
    const uid = e.cur.obj.metadata.uid as string | undefined;
    const ref = { storageKey: e.storageKey, key: e.cur.key };
    const id = `${e.storageKey}|${e.cur.key}`;
    for (const o of e.prev ? owners(e.prev.obj) : []) dependents.get(o)?.delete(id);
    if (e.type === 'DELETED') {
      if (uid) {
        byUid.delete(uid);
        if (dependents.get(uid)?.size) queue.add(`orphaned|${uid}`);
      }
      for (const o of owners(e.cur.obj)) {
        dependents.get(o)?.delete(id);
        const owner = byUid.get(o);
        if (owner) queue.add(`owner|${owner.storageKey}|${owner.key}`);
      }
      return;
    }
    // Only terminating objects need to be found again by uid (foreground owners waiting on their
    // dependents); keeping every object here would cost a map entry per stored object.
    if (uid && (e.cur.obj.metadata as Obj).deletionTimestamp) byUid.set(uid, ref);
    else if (uid) byUid.delete(uid);
    for (const o of owners(e.cur.obj)) {
      let m = dependents.get(o);
      if (!m) dependents.set(o, (m = new Map()));
      m.set(id, ref);
    }
    const meta = e.cur.obj.metadata as Obj;
    if (meta.deletionTimestamp) queue.add(`owner|${e.storageKey}|${e.cur.key}`);
  };

  const deleteDependents = (uid: string, policy: string): void => {
    for (const dep of [...(dependents.get(uid)?.values() ?? [])]) {
      const s = ctx.store.get(dep.storageKey, dep.key);
      const rt = typeOf(dep.storageKey);
      if (!s || !rt) continue;
      if ((s.obj.metadata as Obj).deletionTimestamp) continue;
      remove(ctx, rt, s.ns, s.name, policy);
    }
  };

  const work = (item: string): void => {
    const [kind, a, b] = item.split('|') as [string, string, string?];
    if (kind === 'orphaned') {
      // The owner is gone (Background, or finalizers cleared): delete what it owned.
      deleteDependents(a, 'Background');
      return;
    }
    const s = ctx.store.get(a, b!);
    const rt = typeOf(a);
    if (!s || !rt) return;
    const meta = s.obj.metadata as Obj;
    const fin = (meta.finalizers as string[] | undefined) ?? [];
    const uid = meta.uid as string;
    if (fin.includes('orphan')) {
      for (const dep of [...(dependents.get(uid)?.values() ?? [])]) {
        const d = ctx.store.get(dep.storageKey, dep.key);
        const drt = typeOf(dep.storageKey);
        if (!d || !drt) continue;
        update(ctx, drt, d.ns, d.name, 'kube-controller-manager', (o) => {
          const refs = ((o.metadata as Obj).ownerReferences as Obj[]).filter((r) => r.uid !== uid);
          (o.metadata as Obj).ownerReferences = refs.length ? refs : undefined;
        });
      }
      update(ctx, rt, s.ns, s.name, 'kube-controller-manager', (o) => {
        const f = ((o.metadata as Obj).finalizers as string[]).filter((x) => x !== 'orphan');
        (o.metadata as Obj).finalizers = f.length ? f : undefined;
      });
      return;
    }
    if (fin.includes('foregroundDeletion')) {
      const remaining = dependents.get(uid)?.size ?? 0;
      if (remaining > 0) {
        deleteDependents(uid, 'Foreground');
        return;
      }
      update(ctx, rt, s.ns, s.name, 'kube-controller-manager', (o) => {
        const f = ((o.metadata as Obj).finalizers as string[]).filter((x) => x !== 'foregroundDeletion');
        (o.metadata as Obj).finalizers = f.length ? f : undefined;
      });
    }
  };

  const queue = new WorkQueue(work, ctx.controllers?.controller('garbagecollector'));
  return stopper(queue, [ctx.store.subscribeAll(track)]);
}
