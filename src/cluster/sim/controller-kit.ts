/**
 * Helpers for the simulated controllers: writes go through the same handlers as API requests (so
 * watchers see real updates with new resourceVersions), never from inside a store listener.
 */
import type { ApiContext, ApiRequest } from '../api/context.js';
import { deleteObject, insertNew, writeUpdate } from '../api/handlers.js';
import { clone, nowSeconds } from '../api/objects.js';
import type { ResourceType } from '../api/resources.js';
import { ApiError } from '../api/status.js';
import { objectKey, type KubeObject, type StoreEvent } from '../store/store.js';
import type { ControllerMeter } from '../../metrics/controller-runtime.js';

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

/**
 * A keyed work queue drained on a later turn of the event loop (coalesces bursts). With a meter it
 * reports client-go's workqueue and controller-runtime's reconcile metrics for its work (/metrics).
 */
export class WorkQueue {
  private keys = new Set<string>();
  private readonly since = new Map<string, number>();
  private scheduled = false;
  private stopped = false;
  constructor(
    private readonly work: (key: string) => void,
    private readonly meter?: ControllerMeter,
  ) {}

  add(key: string, delayMs = 0): void {
    if (this.stopped) return;
    if (delayMs > 0) {
      this.meter?.retried();
      const t = setTimeout(() => this.add(key), delayMs);
      t.unref();
      return;
    }
    if (!this.keys.has(key)) {
      this.keys.add(key);
      if (this.meter) {
        this.since.set(key, performance.now());
        this.meter.added(this.keys.size);
      }
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
  }

  private drain = (): void => {
    this.scheduled = false;
    const keys = this.keys;
    this.keys = new Set();
    const m = this.meter;
    let left = keys.size;
    for (const k of keys) {
      if (this.stopped) continue;
      if (!m) {
        this.work(k);
        continue;
      }
      const t0 = performance.now();
      m.dequeued((t0 - (this.since.get(k) ?? t0)) / 1000, --left + this.keys.size);
      this.since.delete(k);
      let result: 'success' | 'error' = 'error';
      try {
        this.work(k);
        result = 'success';
      } finally {
        m.reconciled((performance.now() - t0) / 1000, result);
      }
    }
  };

  stop(): void {
    this.stopped = true;
  }
}

/** Whether an event changes what a controller acts on: its own status and metadata writes do not. */
export const specChanged = (e: StoreEvent): boolean =>
  e.type !== 'MODIFIED' || !e.prev || JSON.stringify(e.prev.obj.spec) !== JSON.stringify(e.cur.obj.spec);

/** A controller's stop function: its queue stops, then its store subscriptions end. */
export function stopper(queue: WorkQueue, unsubscribe: (() => void)[]): () => void {
  return () => {
    queue.stop();
    for (const u of unsubscribe) u();
  };
}
