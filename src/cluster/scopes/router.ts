/**
 * Path-scoped control planes: a URL path prefix with one `{name}` segment selects a logical control
 * plane on the same API server, as Milo's project control planes
 * (`/apis/resourcemanager.miloapis.com/v1alpha1/projects/<p>/control-plane/api/v1/…`), kcp's
 * workspaces (`/clusters/<ws>/…`) and vcluster-style virtual clusters do. The request continues with
 * the path after the prefix (discovery, /version and resources work as at the root).
 *
 * An `isolated` scope has its own store (its own namespaces, objects and watches), created on first
 * use, with a namespace controller and garbage collector of its own; registry, admission and
 * metrics are the server's. A `root` scope is a view of the root store whose requests carry the
 * scope, so admission and `decorate` can act on it (Milo's organization context). When an `owner`
 * is named, a request through the scope of a missing owner is 404, and deleting the owner drops the
 * isolated store.
 */
import type { ApiContext, ApiRequest } from '../api/context.js';
import { createAsApiServer } from '../api/bootstrap.js';
import { errors, qualified, type ApiError } from '../api/status.js';
import { startGarbageCollector } from '../controllers/gc.js';
import { startNamespaceController } from '../controllers/namespace.js';
import { Store, type StoreEvent } from '../store/store.js';

export interface ScopeKind {
  /** Name of the kind of scope (`project`, `organization`), carried on requests as `scope.kind`. */
  kind: string;
  /** Path prefix with one `{name}` segment, e.g. `/clusters/{name}`. */
  prefix: string;
  storage: 'isolated' | 'root';
  /** Namespaces an isolated scope starts with (default none). */
  namespaces?: string[];
  /** The root object each scope belongs to (`group` '' for core). */
  owner?: { group: string; plural: string };
  /** Adjusts a resource request made through the scope, before it is served. */
  decorate?(req: ApiRequest, name: string): void;
}

export interface ScopeRef {
  kind: string;
  name: string;
}

export interface Resolved {
  ctx: ApiContext;
  /** The path after the scope prefix ('/' for the prefix itself). */
  path: string;
  scope: ScopeRef;
  kind: ScopeKind;
  /** Tracks an open watch of the scope, closed when the scope is dropped; returns the untrack. */
  track(close: () => void): () => void;
  /** The owner is missing: the request is answered with this (after authentication). */
  error?: ApiError;
}

interface Compiled {
  def: ScopeKind;
  before: string;
  after: string;
  ownerKey?: string;
}

interface Isolated {
  ctx: ApiContext;
  watches: Set<() => void>;
  stop: () => void;
}

const noTrack = () => () => {};

export class ScopeRouter {
  private readonly kinds: Compiled[] = [];
  private readonly isolated = new Map<string, Isolated>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly root: ApiContext,
    private readonly watchCacheSize: number,
  ) {}

  add(def: ScopeKind): void {
    const at = def.prefix.indexOf('{name}');
    if (at < 0 || !def.prefix.startsWith('/') || def.prefix.indexOf('{name}', at + 1) >= 0) {
      throw new Error(`scope prefix ${def.prefix} needs exactly one {name} segment and a leading /`);
    }
    const before = def.prefix.slice(0, at);
    const after = def.prefix.slice(at + '{name}'.length).replace(/\/+$/, '');
    if (before === '/' || !before.endsWith('/') || (after && !after.startsWith('/')))
      throw new Error(`scope prefix ${def.prefix}: {name} must be a whole path segment`);
    const ownerKey = def.owner ? qualified(def.owner) : undefined;
    this.kinds.push({ def, before, after, ownerKey });
    if (ownerKey && def.storage === 'isolated') {
      this.unsubscribe.push(
        this.root.store.subscribe(ownerKey, (e: StoreEvent) => {
          if (e.type === 'DELETED') this.drop(def.kind, e.cur.name);
        }),
      );
    }
  }

  get active(): boolean {
    return this.kinds.length > 0;
  }

  /**
   * The scope a path addresses, or undefined for a root path; `error` is the 404 of a missing owner.
   * Creates an isolated scope's store on first use.
   */
  resolve(pathname: string): Resolved | undefined {
    for (const k of this.kinds) {
      if (!pathname.startsWith(k.before)) continue;
      const rest = pathname.slice(k.before.length);
      const slash = rest.indexOf('/');
      const raw = slash < 0 ? rest : rest.slice(0, slash);
      const tail = slash < 0 ? '' : rest.slice(slash);
      if (!raw || !tail.startsWith(k.after)) continue;
      const path = tail.slice(k.after.length);
      if (path && !path.startsWith('/')) continue;
      let name = raw;
      try {
        name = decodeURIComponent(raw);
      } catch {
        /* keep the raw segment */
      }
      const scope = { kind: k.def.kind, name };
      if (k.ownerKey && !this.root.store.get(k.ownerKey, name)) {
        const error = errors.notFound(k.def.owner!, name);
        return { ctx: this.root, path: path || '/', scope, kind: k.def, track: noTrack, error };
      }
      if (k.def.storage === 'root')
        return { ctx: this.root, path: path || '/', scope, kind: k.def, track: noTrack };
      const iso = this.isolatedScope(k.def, name);
      return {
        ctx: iso.ctx,
        path: path || '/',
        scope,
        kind: k.def,
        track: (close) => {
          iso.watches.add(close);
          return () => iso.watches.delete(close);
        },
      };
    }
    return undefined;
  }

  private isolatedScope(def: ScopeKind, name: string): Isolated {
    const key = `${def.kind}/${name}`;
    let iso = this.isolated.get(key);
    if (iso) return iso;
    const ctx: ApiContext = {
      store: new Store(this.watchCacheSize),
      registry: this.root.registry,
      hooks: this.root.hooks,
      controllers: this.root.controllers,
    };
    for (const ns of def.namespaces ?? [])
      createAsApiServer(ctx, 'v1', 'namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
      });
    const stops = [startNamespaceController(ctx), startGarbageCollector(ctx)];
    const watches = new Set<() => void>();
    iso = {
      ctx,
      watches,
      stop: () => {
        for (const s of stops) s();
        for (const close of [...watches]) close();
      },
    };
    this.isolated.set(key, iso);
    return iso;
  }

  /** Forgets an isolated scope's store (its owner was deleted); its watches end. */
  drop(kind: string, name: string): void {
    const key = `${kind}/${name}`;
    const iso = this.isolated.get(key);
    if (!iso) return;
    this.isolated.delete(key);
    iso.stop();
  }

  /** Isolated scopes that exist now, as `kind/name`. */
  names(): string[] {
    return [...this.isolated.keys()];
  }

  /** Objects of a resource in every isolated scope (apiserver_storage_objects counts all storage). */
  count(storageKey: string): number {
    let n = 0;
    for (const iso of this.isolated.values()) n += iso.ctx.store.count(storageKey);
    return n;
  }

  stop(): void {
    for (const u of this.unsubscribe) u();
    for (const iso of this.isolated.values()) iso.stop();
    this.isolated.clear();
  }
}
