/**
 * A client-go-style informer for one resource: list, then watch from the list's resourceVersion
 * (src/kube/watch.ts resumes dropped streams from the last event), a cache of the current objects,
 * and add/update/delete handlers. When the watch cannot be resumed (410 Expired), it lists again and
 * turns the difference into events, as client-go's reflector does, so handlers never miss a change.
 */
import type { Logger } from '../../core/logger.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import type { ResourceMapping } from '../../kube/discovery.js';
import { Watcher } from '../../kube/watch.js';
import { sleep } from '../../load/sleep.js';

export interface InformerHandlers<T extends KubeObject = KubeObject> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

export interface InformerOptions<T extends KubeObject = KubeObject> extends InformerHandlers<T> {
  namespace?: string;
  labelSelector?: string;
  log?: Logger;
}

export const keyOf = (o: { metadata: { namespace?: string; name?: string } }): string =>
  o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!;

export class Informer<T extends KubeObject = KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private watcher: Watcher | undefined;
  private stopped = false;
  /** Full lists after the first (watch expired). */
  relists = 0;
  events = 0;

  constructor(
    private readonly client: KubeClient,
    readonly mapping: ResourceMapping,
    private readonly o: InformerOptions<T> = {},
  ) {
    if (o.onAdd || o.onUpdate || o.onDelete) this.handlers.push(o);
  }

  addHandlers(h: InformerHandlers<T>): void {
    this.handlers.push(h);
    // Late handlers see the cache as adds, like client-go's AddEventHandler on a synced informer.
    if (h.onAdd) for (const obj of this.cache.values()) h.onAdd(obj);
  }

  /** Lists and starts watching; resolves once the cache holds the list (synced). */
  async start(): Promise<void> {
    await this.listAndWatch();
  }

  private async listAndWatch(): Promise<void> {
    const { items, resourceVersion } = await this.client.listAll<T>(this.mapping, this.o.namespace, {
      labelSelector: this.o.labelSelector,
    });
    if (this.stopped) return;
    const seen = new Set<string>();
    for (const obj of items) {
      const k = keyOf(obj);
      seen.add(k);
      this.upsert(k, obj);
    }
    for (const [k, old] of this.cache) if (!seen.has(k)) this.remove(k, old);
    const w = new Watcher(this.client, this.mapping, {
      namespace: this.o.namespace,
      labelSelector: this.o.labelSelector,
      resourceVersion,
      onEvent: (e) => {
        this.events++;
        const obj = e.object as T;
        const k = keyOf(obj);
        if (e.type === 'DELETED') this.remove(k, this.cache.get(k) ?? obj);
        else this.upsert(k, obj);
      },
      onLost: (reason) => void this.relist(reason),
    });
    this.watcher = w;
    await w.start();
  }

  private async relist(reason: string): Promise<void> {
    if (this.stopped) return;
    this.o.log?.debug(`informer ${this.mapping.resource}: ${reason}; listing again`);
    const old = this.watcher;
    this.watcher = undefined;
    void old?.stop();
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        this.relists++;
        await this.listAndWatch();
        return;
      } catch (e) {
        this.o.log?.warn(`informer ${this.mapping.resource}: relist failed: ${(e as Error).message}`);
        await sleep(Math.min(30_000, 200 * 2 ** attempt)).catch(() => {});
      }
    }
  }

  private upsert(k: string, obj: T): void {
    const old = this.cache.get(k);
    if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) return;
    this.cache.set(k, obj);
    for (const h of this.handlers) {
      if (old) h.onUpdate?.(old, obj);
      else h.onAdd?.(obj);
    }
  }

  private remove(k: string, obj: T): void {
    if (!this.cache.delete(k)) return;
    for (const h of this.handlers) h.onDelete?.(obj);
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): IterableIterator<T> {
    return this.cache.values();
  }

  get size(): number {
    return this.cache.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.watcher?.stop();
  }
}
