/**
 * Namespace controller: once a namespace is Terminating, delete everything in it, wait for objects
 * held by finalizers, then drop the `kubernetes` finalizer from `spec.finalizers` (as the real one
 * does through namespaces/finalize) and remove the namespace once no spec or metadata finalizer is
 * left (other spec finalizers are someone else's to remove through namespaces/finalize).
 */
import type { ApiContext } from '../api/context.js';
import { deleteObject, removeNow } from '../api/handlers.js';
import { ApiError } from '../api/status.js';
import { update } from '../sim/controller-kit.js';
import type { StoreEvent } from '../store/store.js';

export function startNamespaceController(ctx: ApiContext): () => void {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const sweep = (): void => {
    timer = undefined;
    for (const ns of [...pending]) {
      const nsObj = ctx.store.get('namespaces', ns);
      // Gone, or a new namespace of the same name created since (a late event of the old one's
      // finalize write can put the name back in `pending`): nothing to terminate.
      if (!nsObj || !(nsObj.obj.metadata as Record<string, unknown>).deletionTimestamp) {
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
        const specFins = ((nsObj.obj.spec as { finalizers?: string[] } | undefined)?.finalizers ??
          []) as string[];
        if (specFins.includes('kubernetes')) {
          const rest = specFins.filter((f) => f !== 'kubernetes');
          update(
            ctx,
            nsType,
            '',
            ns,
            'kube-controller-manager',
            (next) => {
              next.spec = { ...((next.spec as object) ?? {}), finalizers: rest.length ? rest : undefined };
            },
            'finalize',
          );
          continue;
        }
        const fin =
          ((nsObj.obj.metadata as Record<string, unknown>).finalizers as string[] | undefined) ?? [];
        if (fin.length === 0 && specFins.length === 0) {
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
      // Our own finalize write re-triggers the sweep; removal waits for the next turn.
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
