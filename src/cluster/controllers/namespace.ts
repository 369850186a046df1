/**
 * Namespace controller: once a namespace is Terminating, delete everything in it, wait for objects
 * held by finalizers, then drop the `kubernetes` finalizer and remove the namespace.
 */
import type { ApiContext } from '../api/context.js';
import { deleteObject, removeNow } from '../api/handlers.js';
import { ApiError } from '../api/status.js';
import type { StoreEvent } from '../store/store.js';

export function startNamespaceController(ctx: ApiContext): () => void {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const sweep = (): void => {
    timer = undefined;
    for (const ns of [...pending]) {
      const nsObj = ctx.store.get('namespaces', ns);
      if (!nsObj) {
        pending.delete(ns);
        continue;
      }
      let remaining = 0;
      for (const rt of ctx.registry.all()) {
        if (!rt.namespaced) continue;
        const prefix = `${ns}/`;
        const keys = ctx.store.sortedKeys(rt.storageKey).filter((k) => k.startsWith(prefix));
        for (const key of keys) {
          const s = ctx.store.get(rt.storageKey, key);
          if (!s) continue;
          remaining++;
          if ((s.obj.metadata as Record<string, unknown>).deletionTimestamp) continue;
          try {
            deleteObject(ctx, { method: 'DELETE', rt, ns, name: s.name, query: new URLSearchParams() });
          } catch (e) {
            if (!(e instanceof ApiError)) throw e;
          }
        }
      }
      if (remaining === 0) {
        const nsType = ctx.registry.get('v1', 'namespaces')!;
        const fin =
          ((nsObj.obj.metadata as Record<string, unknown>).finalizers as string[] | undefined) ?? [];
        if (fin.length === 0) {
          removeNow(ctx, nsType, nsObj);
          pending.delete(ns);
        }
      }
    }
    if (pending.size) schedule(100);
  };

  const schedule = (ms: number): void => {
    if (!timer) {
      timer = setTimeout(sweep, ms);
      timer.unref();
    }
  };

  const onEvent = (e: StoreEvent): void => {
    if (e.type === 'MODIFIED' && (e.cur.obj.metadata as Record<string, unknown>).deletionTimestamp) {
      pending.add(e.cur.name);
      schedule(0);
    }
  };
  const unsubscribe = ctx.store.subscribe('namespaces', onEvent);
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}
