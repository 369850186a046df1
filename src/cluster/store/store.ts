/**
 * In-memory storage with one global resourceVersion counter (like etcd's revision), a Map per
 * resource, and a bounded event log used for watch resume and snapshot-consistent paging. Stored
 * objects are immutable once committed and serialized exactly once.
 */
import { toJson } from './json.js';

export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata: Record<string, unknown> & { name: string; namespace?: string; labels?: Record<string, string> };
};

export interface Stored {
  readonly obj: KubeObject;
  /** The object serialized once (full, with kind/apiVersion). */
  readonly json: string;
  readonly rv: number;
  readonly key: string;
  readonly ns: string;
  readonly name: string;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  readonly rv: number;
  readonly type: EventType;
  readonly storageKey: string;
  readonly cur: Stored;
  /** The previous state (MODIFIED, DELETED). */
  readonly prev?: Stored;
}

export type Listener = (e: StoreEvent) => void;

export function objectKey(ns: string, name: string): string {
  return ns ? `${ns}/${name}` : name;
}

export function makeStored(obj: KubeObject, rv: number): Stored {
  const ns = obj.metadata.namespace ?? '';
  const name = obj.metadata.name;
  return { obj, json: toJson(obj), rv, key: objectKey(ns, name), ns, name };
}

class Collection {
  readonly objects = new Map<string, Stored>();
  private sorted: string[] | undefined;
  readonly listeners = new Set<Listener>();
  /** RV of the last event of this collection (bookmark rules). */
  lastRv = 0;

  sortedKeys(): string[] {
    if (!this.sorted) this.sorted = [...this.objects.keys()].sort(compareKeys);
    return this.sorted;
  }

  invalidate(): void {
    this.sorted = undefined;
  }
}

/** etcd key order: byte order of `ns/name`. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class Store {
  private rv: number;
  private collections = new Map<string, Collection>();
  private globalListeners = new Set<Listener>();
  /** Ring buffer of the most recent events, ordered by rv. */
  private log: (StoreEvent | undefined)[];
  private logStart = 0;
  private logCount = 0;
  /** Highest rv dropped from the log: resuming or snapshotting at or below it is 410 Gone. */
  private compactedRv = 0;

  constructor(
    private readonly logCapacity = 100_000,
    startRv = 1,
  ) {
    this.rv = startRv;
    // Grown by appending until full (the ring only wraps at capacity): a store that sees few events
    // (a path-scoped control plane, src/cluster/scopes) does not pay 800 KB for an empty log.
    this.log = [];
  }

  get currentRv(): number {
    return this.rv;
  }

  get oldestResumableRv(): number {
    return this.compactedRv;
  }

  private coll(storageKey: string): Collection {
    let c = this.collections.get(storageKey);
    if (!c) {
      c = new Collection();
      this.collections.set(storageKey, c);
    }
    return c;
  }

  get(storageKey: string, key: string): Stored | undefined {
    return this.collections.get(storageKey)?.objects.get(key);
  }

  count(storageKey: string): number {
    return this.collections.get(storageKey)?.objects.size ?? 0;
  }

  counts(): Map<string, number> {
    const m = new Map<string, number>();
    for (const [k, c] of this.collections) m.set(k, c.objects.size);
    return m;
  }

  lastRvOf(storageKey: string): number {
    return this.collections.get(storageKey)?.lastRv ?? 0;
  }

  /** Allocates the next resourceVersion; the caller stamps it on the object before commit. */
  nextRv(): number {
    return ++this.rv;
  }

  /** Commits a write at `rv` (from nextRv) and notifies listeners synchronously. */
  commit(storageKey: string, type: EventType, cur: Stored, prev?: Stored): StoreEvent {
    const c = this.coll(storageKey);
    if (type === 'DELETED') {
      c.objects.delete(cur.key);
      c.invalidate();
    } else {
      if (type === 'ADDED') c.invalidate();
      c.objects.set(cur.key, cur);
    }
    c.lastRv = cur.rv;
    const e: StoreEvent = prev
      ? { rv: cur.rv, type, storageKey, cur, prev }
      : { rv: cur.rv, type, storageKey, cur };
    this.append(e);
    for (const l of c.listeners) l(e);
    for (const l of this.globalListeners) l(e);
    return e;
  }

  private append(e: StoreEvent): void {
    if (this.logCount === this.logCapacity) {
      const dropped = this.log[this.logStart]!;
      this.compactedRv = dropped.rv;
      this.log[this.logStart] = undefined;
      this.logStart = (this.logStart + 1) % this.logCapacity;
      this.logCount--;
    }
    this.log[(this.logStart + this.logCount) % this.logCapacity] = e;
    this.logCount++;
  }

  /** Index (0..logCount) of the first logged event with rv > afterRv. */
  private firstAfter(afterRv: number): number {
    let lo = 0;
    let hi = this.logCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.log[(this.logStart + mid) % this.logCapacity]!.rv <= afterRv) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Events of one collection with rv > afterRv, oldest first; undefined when afterRv is compacted. */
  eventsSince(storageKey: string, afterRv: number): StoreEvent[] | undefined {
    if (afterRv < this.compactedRv) return undefined;
    const out: StoreEvent[] = [];
    for (let i = this.firstAfter(afterRv); i < this.logCount; i++) {
      const e = this.log[(this.logStart + i) % this.logCapacity]!;
      if (e.storageKey === storageKey) out.push(e);
    }
    return out;
  }

  /** Sorted keys and objects of a collection as they were at `atRv`; undefined when compacted. */
  snapshot(storageKey: string, atRv: number): { keys: string[]; objects: Map<string, Stored> } | undefined {
    const c = this.coll(storageKey);
    if (atRv >= this.rv || c.lastRv <= atRv) return { keys: c.sortedKeys(), objects: c.objects };
    const later = this.eventsSince(storageKey, atRv);
    if (!later) return undefined;
    const objects = new Map(c.objects);
    for (let i = later.length - 1; i >= 0; i--) {
      const e = later[i]!;
      if (e.type === 'ADDED') objects.delete(e.cur.key);
      else objects.set(e.cur.key, e.prev!);
    }
    return { keys: [...objects.keys()].sort(compareKeys), objects };
  }

  /** Current sorted keys (shared array: do not mutate). */
  sortedKeys(storageKey: string): string[] {
    return this.coll(storageKey).sortedKeys();
  }

  objects(storageKey: string): Map<string, Stored> {
    return this.coll(storageKey).objects;
  }

  subscribe(storageKey: string, l: Listener): () => void {
    const c = this.coll(storageKey);
    c.listeners.add(l);
    return () => c.listeners.delete(l);
  }

  /** Listens to every collection (garbage collector). Listeners must not write synchronously. */
  subscribeAll(l: Listener): () => void {
    this.globalListeners.add(l);
    return () => this.globalListeners.delete(l);
  }

  /** Storage keys of all collections that hold objects. */
  storageKeys(): string[] {
    return [...this.collections.keys()];
  }

  /** Drops a whole collection (CRD deletion), without events. */
  dropCollection(storageKey: string): void {
    this.collections.delete(storageKey);
  }
}
