/**
 * The simulated Gateway API controller's machinery. Informers feed a change set (Gateways, routes,
 * and a full resync when classes, ReferenceGrants or namespace labels change); one translator takes
 * the changes that arrived within `statusBatchWindowMs` of the first, computes every affected route's
 * attachment and parent status and every affected Gateway's listener status (attachedRoutes), waits
 * `translationDelayMs` (the time a real translation into proxy config takes), and publishes. A new or
 * changed Gateway is programmed at once, apart from that (program()). Status
 * writes are queued on client-go work queues (Gateways and classes on one worker, routes on
 * `workers`) and written through the rate-limited client, each only if it changes the object.
 * Status-only updates (our own writes coming back) do not trigger translation.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '../../core/logger.js';
import { sleep } from '../../load/sleep.js';
import {
  gatewayClassMapping,
  gatewayMapping,
  httpRouteMapping,
  referenceGrantMapping,
  serviceMapping,
  type Gateway,
  type GatewayClass,
  type HTTPRoute,
  type ParentReference,
  type ReferenceGrant,
} from '../../gateway-api/resources.js';
import type { KubeObject } from '../../kube/client.js';
import type { ResourceMapping } from '../../kube/discovery.js';
import { namespaceMapping } from '../../kube/namespaces.js';
import { isConflict, isNotFound, type ControllerClient } from '../runtime/client.js';
import { ControllerLoop } from '../runtime/controller.js';
import { Informer, keyOf } from '../runtime/informer.js';
import type { ControllerMetrics } from '../runtime/metrics.js';
import { controllerRateLimiter } from '../runtime/rate-limiter.js';
import { WorkQueue } from '../runtime/workqueue.js';
import {
  attachParent,
  parentGatewayKey,
  resolveRefs,
  routeBackendKeys,
  routeGatewayKeys,
  type ParentAttachment,
  type RefsResolution,
} from './attachment.js';
import { gatewayMetrics, type GatewayMetrics } from './metrics.js';
import type { GatewayControllerOptions } from './options.js';
import { gatewayClassStatus, gatewayStatus, routeParents } from './status.js';

interface RouteDesired {
  ours: { ref: ParentReference; attachment: ParentAttachment }[];
  refs: RefsResolution;
}

/** Adds `v` to the set under `k`. */
function addTo(index: Map<string, Set<string>>, k: string, v: string): void {
  let s = index.get(k);
  if (!s) index.set(k, (s = new Set()));
  s.add(v);
}

function removeFrom(index: Map<string, Set<string>>, k: string, v: string): void {
  const s = index.get(k);
  if (!s) return;
  s.delete(v);
  if (!s.size) index.delete(k);
}

/**
 * Gives `key` the values `after` in a two-way index (forward: key → values, reverse: value → keys);
 * returns the values it had before.
 */
function reindex(
  forward: Map<string, Set<string>>,
  reverse: Map<string, Set<string>>,
  key: string,
  after: Set<string>,
): Set<string> {
  const before = forward.get(key) ?? new Set<string>();
  for (const v of before) if (!after.has(v)) removeFrom(reverse, v, key);
  for (const v of after) addTo(reverse, v, key);
  if (after.size) forward.set(key, after);
  else forward.delete(key);
  return before;
}

const split = (key: string): [string, string] => {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
};

export class GatewayController {
  private readonly classes: Informer<GatewayClass>;
  private readonly gateways: Informer<Gateway>;
  private readonly routes: Informer<HTTPRoute>;
  private readonly grants: Informer<ReferenceGrant>;
  private readonly namespaces: Informer;
  private readonly services: Informer | undefined;
  private readonly gm: GatewayMetrics;

  // Indexes kept from the routes' specs.
  private readonly routesByGateway = new Map<string, Set<string>>();
  private readonly gatewaysOfRoute = new Map<string, Set<string>>();
  private readonly routesByBackend = new Map<string, Set<string>>();
  private readonly backendsOfRoute = new Map<string, Set<string>>();
  /** Listener names each route is attached to, per Gateway, as of the last translation. */
  private readonly attachments = new Map<string, Map<string, string[]>>();

  // Changes waiting for the translator: Gateways whose spec changed (all their routes are evaluated
  // again), Gateways whose routes changed (counted again), routes that changed.
  private dirtyGateways = new Set<string>();
  private recount = new Set<string>();
  private dirtyRoutes = new Set<string>();
  private full = false;
  private firstDirtyAt: number | undefined;
  private wake: (() => void) | undefined;
  private stopped = false;
  /** Informers have listed: before that, the first translation (not program()) writes status. */
  private synced = false;
  private translator: Promise<void> = Promise.resolve();
  private readonly stopSignal = new AbortController();

  // What the last translation published, written by the status workers.
  private readonly gatewayCounts = new Map<string, Map<string, number>>();
  private readonly routeDesired = new Map<string, RouteDesired>();
  /** Our last write per object: its response, and the resourceVersion it was written over. */
  private readonly written = new Map<string, { over: string; obj: KubeObject }>();

  private readonly statusQueue: WorkQueue;
  private readonly routeQueue: WorkQueue;
  private readonly statusLoop: ControllerLoop;
  private readonly routeLoop: ControllerLoop;
  private readonly translationMetrics;

  constructor(
    private readonly client: ControllerClient,
    private readonly o: GatewayControllerOptions,
    metrics: ControllerMetrics,
    private readonly log: Logger,
  ) {
    this.gm = gatewayMetrics(metrics);
    this.translationMetrics = metrics.reconciler('gateway-translation', 1);
    const limiter = () => controllerRateLimiter();
    this.statusQueue = new WorkQueue('gateway-status', limiter(), metrics.workqueue('gateway-status'));
    this.routeQueue = new WorkQueue('httproute-status', limiter(), metrics.workqueue('httproute-status'));
    this.statusLoop = new ControllerLoop({
      name: 'gateway-status',
      queue: this.statusQueue,
      workers: 1,
      reconcile: (k) => this.writeGatewayOrClass(k),
      metrics: metrics.reconciler('gateway-status', 1),
      log,
    });
    this.routeLoop = new ControllerLoop({
      name: 'httproute-status',
      queue: this.routeQueue,
      workers: o.workers,
      reconcile: (k) => this.writeRoute(k),
      metrics: metrics.reconciler('httproute-status', o.workers),
      log,
    });

    const changedSpec = (a: KubeObject, b: KubeObject) => a.metadata.generation !== b.metadata.generation;
    this.classes = new Informer<GatewayClass>(client, gatewayClassMapping, {
      log,
      onAdd: (gc) => this.onClass(gc),
      onUpdate: (a, b) => {
        if (changedSpec(a, b)) this.onClass(b, a);
      },
      onDelete: (gc) => this.onClass(gc, gc),
    });
    this.gateways = new Informer<Gateway>(client, gatewayMapping, {
      log,
      onAdd: (gw) => this.markGateway(keyOf(gw)),
      onUpdate: (a, b) => {
        if (changedSpec(a, b)) this.markGateway(keyOf(b));
      },
      onDelete: (gw) => this.markGateway(keyOf(gw)),
    });
    this.routes = new Informer<HTTPRoute>(client, httpRouteMapping, {
      log,
      onAdd: (r) => this.onRoute(r),
      onUpdate: (a, b) => {
        if (changedSpec(a, b)) this.onRoute(b);
      },
      onDelete: (r) => this.onRoute(r, true),
    });
    this.grants = new Informer<ReferenceGrant>(client, referenceGrantMapping, {
      log,
      onAdd: () => this.markFull(),
      onUpdate: () => this.markFull(),
      onDelete: () => this.markFull(),
    });
    this.namespaces = new Informer(client, namespaceMapping, {
      log,
      onUpdate: (a, b) => {
        if (!isDeepStrictEqual(a.metadata.labels ?? {}, b.metadata.labels ?? {})) this.markFull();
      },
    });
    this.services = o.resolveBackends
      ? new Informer(client, serviceMapping, {
          log,
          onAdd: (s) => this.markBackend(keyOf(s)),
          onDelete: (s) => this.markBackend(keyOf(s)),
        })
      : undefined;
  }

  async start(): Promise<void> {
    // Classes and namespaces first, so the first translation knows which Gateways are ours.
    await Promise.all([
      this.classes.start(),
      this.namespaces.start(),
      this.grants.start(),
      this.services?.start(),
    ]);
    await Promise.all([this.gateways.start(), this.routes.start()]);
    this.synced = true;
    this.statusLoop.start();
    this.routeLoop.start();
    this.translator = this.translateLoop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSignal.abort();
    this.wake?.();
    await this.translator;
    await Promise.all([this.statusLoop.stop(), this.routeLoop.stop()]);
    await Promise.all(
      [this.classes, this.gateways, this.routes, this.grants, this.namespaces, this.services].map((i) =>
        i?.stop(),
      ),
    );
  }

  // ---- change tracking ----

  private touch(): void {
    this.firstDirtyAt ??= performance.now();
    this.gm.pending(this.dirtyGateways.size + this.dirtyRoutes.size);
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private markGateway(key: string): void {
    this.dirtyGateways.add(key);
    this.program(key);
    this.touch();
  }

  private markFull(): void {
    this.full = true;
    this.touch();
  }

  private markBackend(key: string): void {
    const rs = this.routesByBackend.get(key);
    if (!rs?.size) return;
    for (const r of rs) this.dirtyRoutes.add(r);
    this.touch();
  }

  private ourClass(name: string): boolean {
    return this.classes.get(undefined, name)?.spec?.controllerName === this.o.controllerName;
  }

  private ours(gw: Gateway | undefined): gw is Gateway {
    return !!gw && this.ourClass(gw.spec?.gatewayClassName);
  }

  private onClass(gc: GatewayClass, old?: GatewayClass): void {
    const mine = gc.spec?.controllerName === this.o.controllerName;
    if (mine && this.classes.get(undefined, gc.metadata.name!)) {
      this.statusQueue.add(`gc:${gc.metadata.name}`);
      for (const gw of this.gateways.list())
        if (gw.spec?.gatewayClassName === gc.metadata.name) this.program(keyOf(gw));
    }
    if (mine || old?.spec?.controllerName === this.o.controllerName) this.markFull();
  }

  private onRoute(r: HTTPRoute, deleted = false): void {
    const key = keyOf(r);
    const gateways = deleted ? new Set<string>() : routeGatewayKeys(r);
    for (const g of reindex(this.gatewaysOfRoute, this.routesByGateway, key, gateways)) this.recount.add(g);
    for (const g of gateways) this.recount.add(g);
    reindex(this.backendsOfRoute, this.routesByBackend, key, deleted ? new Set() : routeBackendKeys(r));
    this.dirtyRoutes.add(key);
    this.touch();
  }

  // ---- translation ----

  private async translateLoop(): Promise<void> {
    const signal = this.stopSignal.signal;
    while (!this.stopped) {
      if (this.firstDirtyAt === undefined) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const due = this.firstDirtyAt + this.o.statusBatchWindowMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait, signal).catch(() => {});
      if (this.stopped) return;
      const gws = this.dirtyGateways;
      const recount = this.recount;
      const routes = this.dirtyRoutes;
      const full = this.full;
      this.dirtyGateways = new Set();
      this.recount = new Set();
      this.dirtyRoutes = new Set();
      this.full = false;
      this.firstDirtyAt = undefined;
      this.gm.pending(0);
      const t0 = performance.now();
      this.gm.translating(true);
      try {
        const result = this.compute(gws, recount, routes, full);
        if (this.o.translationDelayMs > 0) await sleep(this.o.translationDelayMs, signal).catch(() => {});
        if (this.stopped) return;
        this.publish(result);
        const s = (performance.now() - t0) / 1000;
        this.gm.translated(s);
        this.translationMetrics.reconciled('success', s);
      } catch (e) {
        this.translationMetrics.reconciled('error', (performance.now() - t0) / 1000);
        this.log.warn(`translation failed: ${(e as Error).message}`);
        this.full = true;
        this.touch();
      } finally {
        this.gm.translating(false);
      }
    }
  }

  private nsLabels = (ns: string): Record<string, string> | undefined =>
    this.namespaces.get(undefined, ns)?.metadata.labels;

  private compute(dirtyGateways: Set<string>, recount: Set<string>, dirtyRoutes: Set<string>, full: boolean) {
    const startedEpoch = Date.now();
    const gateways = new Set([...dirtyGateways, ...recount]);
    const routes = new Set(dirtyRoutes);
    if (full) {
      for (const gw of this.gateways.list()) gateways.add(keyOf(gw));
      for (const k of this.gatewaysOfRoute.keys()) routes.add(k);
    }
    // A Gateway's spec decides its routes' attachment.
    for (const g of dirtyGateways) for (const r of this.routesByGateway.get(g) ?? []) routes.add(r);
    for (const r of routes) for (const g of this.gatewaysOfRoute.get(r) ?? []) gateways.add(g);

    const routeUpdates = new Map<string, RouteDesired | undefined>();
    const attachmentUpdates = new Map<string, Map<string, string[]> | undefined>();
    const grants = () => this.grants.list();
    const serviceExists = this.services
      ? (ns: string, name: string) => this.services!.get(ns, name) !== undefined
      : undefined;
    for (const rk of routes) {
      const [ns, name] = split(rk);
      const route = this.routes.get(ns, name);
      if (!route) {
        attachmentUpdates.set(rk, undefined);
        routeUpdates.set(rk, undefined);
        continue;
      }
      const att = new Map<string, string[]>();
      const ours: RouteDesired['ours'] = [];
      for (const ref of route.spec?.parentRefs ?? []) {
        const gk = parentGatewayKey(ref, ns);
        if (!gk) continue;
        const [gns, gname] = split(gk);
        const gw = this.gateways.get(gns, gname);
        if (!this.ours(gw)) continue;
        const a = attachParent(gw, route, ref, this.nsLabels);
        ours.push({ ref, attachment: a });
        if (a.listeners.length) att.set(gk, [...new Set([...(att.get(gk) ?? []), ...a.listeners])]);
      }
      attachmentUpdates.set(rk, att.size ? att : undefined);
      routeUpdates.set(rk, { ours, refs: resolveRefs(route, { grants, serviceExists }) });
    }

    const gatewayUpdates = new Map<string, Map<string, number> | undefined>();
    for (const gk of gateways) {
      const [ns, name] = split(gk);
      const gw = this.gateways.get(ns, name);
      if (!this.ours(gw)) {
        gatewayUpdates.set(gk, undefined);
        continue;
      }
      gatewayUpdates.set(gk, this.countsOf(gw, gk, attachmentUpdates));
      this.gm.translationStarted(ns, name, startedEpoch);
    }
    return { gatewayUpdates, routeUpdates, attachmentUpdates };
  }

  /** attachedRoutes per listener: a translation's attachments where it has them, the published ones otherwise. */
  private countsOf(gw: Gateway, gk: string, updates?: Map<string, Map<string, string[]> | undefined>) {
    const counts = new Map<string, number>(gw.spec.listeners.map((l) => [l.name, 0]));
    for (const rk of this.routesByGateway.get(gk) ?? []) {
      const att = updates?.has(rk) ? updates.get(rk) : this.attachments.get(rk);
      for (const l of att?.get(gk) ?? []) counts.set(l, (counts.get(l) ?? 0) + 1);
    }
    return counts;
  }

  /**
   * A new or changed Gateway is programmed at once (Accepted, Programmed, listener status) with the
   * attachedRoutes already published: a real controller programs a Gateway's proxy apart from
   * translating its routes, so a translation in progress does not hold it back.
   */
  private program(gk: string): void {
    if (!this.synced) return;
    const [ns, name] = split(gk);
    const gw = this.gateways.get(ns, name);
    if (!this.ours(gw)) return;
    const counts = this.countsOf(gw, gk);
    this.gatewayCounts.set(gk, counts);
    for (const [l, n] of counts) this.gm.attachedRoutes(ns, name, l, n);
    this.statusQueue.add(`gw:${gk}`);
  }

  private publish(r: ReturnType<GatewayController['compute']>): void {
    for (const [rk, att] of r.attachmentUpdates) {
      if (att) this.attachments.set(rk, att);
      else this.attachments.delete(rk);
    }
    for (const [gk, counts] of r.gatewayUpdates) {
      const [ns, name] = split(gk);
      if (!counts) {
        const prev = this.gatewayCounts.get(gk);
        if (prev) this.gm.forget(ns, name, [...prev.keys()]);
        this.gatewayCounts.delete(gk);
        this.written.delete(`gw:${gk}`);
        continue;
      }
      this.gatewayCounts.set(gk, counts);
      for (const [l, n] of counts) this.gm.attachedRoutes(ns, name, l, n);
      this.statusQueue.add(`gw:${gk}`);
    }
    for (const [rk, d] of r.routeUpdates) {
      if (!d) {
        this.routeDesired.delete(rk);
        this.written.delete(`rt:${rk}`);
        continue;
      }
      this.routeDesired.set(rk, d);
      this.routeQueue.add(rk);
    }
  }

  // ---- status writes ----

  /** The freshest copy we know: our own last write when the cache has not caught up with it yet. */
  private latest<T extends KubeObject>(wkey: string, cached: T): T {
    const w = this.written.get(wkey);
    return w && w.over === cached.metadata.resourceVersion ? (w.obj as T) : cached;
  }

  /** PUT status; on a conflict, read the object again and retry (twice), as controllers do. */
  private async writeStatus<T extends KubeObject>(
    m: ResourceMapping,
    wkey: string,
    kind: string,
    start: T,
    build: (cur: T) => unknown,
    onSend?: () => void,
  ): Promise<void> {
    let cur = start;
    for (let attempt = 0; ; attempt++) {
      const status = build(cur);
      if (isDeepStrictEqual(status, cur.status)) return;
      const body = { ...cur, status } as KubeObject;
      onSend?.();
      try {
        const res = await this.client.updateObject<T>(m, body, 'status');
        this.written.set(wkey, { over: cur.metadata.resourceVersion!, obj: res });
        this.gm.wrote(
          kind,
          res.metadata.resourceVersion === cur.metadata.resourceVersion ? 'unchanged' : 'changed',
        );
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e) || attempt >= 2) {
          this.gm.wrote(kind, isConflict(e) ? 'conflict' : 'error');
          throw e;
        }
        this.gm.wrote(kind, 'conflict');
        const fresh = await this.client.tryGet<T>(m, cur.metadata.namespace, cur.metadata.name!);
        if (!fresh) return;
        cur = fresh;
      }
    }
  }

  private async writeGatewayOrClass(key: string): Promise<void> {
    if (key.startsWith('gc:')) {
      const gc = this.classes.get(undefined, key.slice(3));
      if (!gc || gc.spec?.controllerName !== this.o.controllerName) return;
      await this.writeStatus(
        gatewayClassMapping,
        key,
        'GatewayClass',
        this.latest(key, gc),
        gatewayClassStatus,
      );
      return;
    }
    const gk = key.slice(3);
    const counts = this.gatewayCounts.get(gk);
    const [ns, name] = split(gk);
    const gw = this.gateways.get(ns, name);
    if (!counts || !this.ours(gw)) return;
    await this.writeStatus(
      gatewayMapping,
      key,
      'Gateway',
      this.latest(key, gw),
      (cur) => gatewayStatus(cur, counts, this.o.address),
      () => this.gm.gatewayWriteSent(ns, name, Date.now()),
    );
  }

  private async writeRoute(rk: string): Promise<void> {
    const d = this.routeDesired.get(rk);
    const [ns, name] = split(rk);
    const route = this.routes.get(ns, name);
    if (!d || !route) return;
    const mine = (route.status?.parents ?? []).some((p) => p.controllerName === this.o.controllerName);
    if (!d.ours.length && !mine) return;
    const wkey = `rt:${rk}`;
    await this.writeStatus(httpRouteMapping, wkey, 'HTTPRoute', this.latest(wkey, route), (cur) => ({
      ...(cur.status ?? {}),
      parents: routeParents(cur, d.ours, d.refs, this.o.controllerName),
    }));
  }
}
