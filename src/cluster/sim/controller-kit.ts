/**
 * Helpers for the simulated controllers: writes go through the same handlers as API requests (so
 * watchers see real updates with new resourceVersions), never from inside a store listener.
 */
import type { ApiContext, ApiRequest } from '../api/context.js';
import { deleteObject, insertNew, writeUpdate } from '../api/handlers.js';
import { clone, nowSeconds } from '../api/objects.js';
import type { ResourceType } from '../api/resources.js';
import { ApiError } from '../api/status.js';
import { objectKey, type KubeObject } from '../store/store.js';

export function req(
  rt: ResourceType,
  ns: string,
  manager: string,
  name?: string,
  subresource?: string,
): ApiRequest {
  return { method: 'PUT', rt, ns, name, subresource, query: new URLSearchParams({ fieldManager: manager }) };
}

/** Applies `mutate` to the current object and writes it (status subresource when asked); no-op if gone. */
export function update(
  ctx: ApiContext,
  rt: ResourceType,
  ns: string,
  name: string,
  manager: string,
  mutate: (o: KubeObject) => void,
  subresource?: string,
): boolean {
  const cur = ctx.store.get(rt.storageKey, objectKey(ns, name));
  if (!cur) return false;
  const next = clone(cur.obj);
  mutate(next);
  try {
    writeUpdate(ctx, req(rt, ns, manager, name, subresource), cur, next, { manager });
    return true;
  } catch (e) {
    if (e instanceof ApiError) return false;
    throw e;
  }
}

export function create(
  ctx: ApiContext,
  rt: ResourceType,
  ns: string,
  manager: string,
  obj: KubeObject,
): KubeObject | undefined {
  try {
    const r = insertNew(ctx, { ...req(rt, ns, manager), method: 'POST' }, obj, nowSeconds(), 'Update');
    return JSON.parse(r.body) as KubeObject;
  } catch (e) {
    if (e instanceof ApiError) return undefined;
    throw e;
  }
}

export function remove(
  ctx: ApiContext,
  rt: ResourceType,
  ns: string,
  name: string,
  propagationPolicy = 'Background',
  gracePeriodSeconds?: number,
): void {
  try {
    deleteObject(
      ctx,
      { ...req(rt, ns, 'kube-controller-manager', name), method: 'DELETE' },
      gracePeriodSeconds === undefined ? { propagationPolicy } : { propagationPolicy, gracePeriodSeconds },
    );
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
}

/** A keyed work queue drained on a later turn of the event loop (coalesces bursts). */
export class WorkQueue {
  private keys = new Set<string>();
  private scheduled = false;
  private stopped = false;
  constructor(private readonly work: (key: string) => void) {}

  add(key: string, delayMs = 0): void {
    if (this.stopped) return;
    if (delayMs > 0) {
      const t = setTimeout(() => this.add(key), delayMs);
      t.unref();
      return;
    }
    this.keys.add(key);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
  }

  private drain = (): void => {
    this.scheduled = false;
    const keys = this.keys;
    this.keys = new Set();
    for (const k of keys) if (!this.stopped) this.work(k);
  };

  stop(): void {
    this.stopped = true;
  }
}
