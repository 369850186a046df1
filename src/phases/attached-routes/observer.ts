/**
 * What the phase sees through its watches, opened before the Gateway is created: every Gateway status
 * change (time, resourceVersion, listeners[0].attachedRoutes, Programmed), every HTTPRoute status
 * change, and per route the time its parent status first said Accepted=True for our Gateway.
 * Waiters resolve on the first event that satisfies them (millisecond precision, from the time the
 * chunk carrying the event arrived), so no number depends on a poll interval.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  conditionOf,
  GATEWAY_GROUP,
  gatewayMapping,
  httpRouteMapping,
  isTrue,
  type Gateway,
  type HTTPRoute,
  type RouteParentStatus,
} from '../../gateway-api/resources.js';
import type { KubeClient } from '../../kube/client.js';
import { watch, type Watcher } from '../../kube/watch.js';
import type { Recorder } from '../../metrics/recorder.js';

export interface GatewaySample {
  /** Monotonic ms the event arrived. */
  t: number;
  resourceVersion: string;
  /** status.listeners[0].attachedRoutes (undefined before the controller wrote listener status). */
  attachedRoutes?: number;
  programmed: boolean;
}

interface RouteState {
  sentMs?: number;
  acceptedMs?: number;
  /** Last Accepted condition seen for our Gateway (reason, message), for error messages. */
  accepted?: { status: string; reason?: string; message?: string };
}

const parentKey = (p: RouteParentStatus) =>
  `${p.controllerName}|${p.parentRef.group ?? GATEWAY_GROUP}|${p.parentRef.kind ?? 'Gateway'}|${p.parentRef.namespace ?? ''}|${p.parentRef.name}|${p.parentRef.sectionName ?? ''}|${p.parentRef.port ?? ''}`;

interface Waiter {
  pred: (s: GatewaySample) => boolean;
  resolve: (s: GatewaySample | undefined) => void;
  timer: NodeJS.Timeout;
}

export class Observer {
  readonly gatewaySamples: GatewaySample[] = [];
  /** Monotonic ms of every Gateway / HTTPRoute status change (distinct resourceVersions). */
  readonly gatewayChanges: number[] = [];
  readonly routeChanges: number[] = [];
  readonly routes = new Map<string, RouteState>();
  /** Spec violations seen (duplicate status.parents entries). */
  readonly violations = new Set<string>();
  lost: string | undefined;
  private last: Gateway | undefined;
  private readonly lastRouteStatus = new Map<string, unknown>();
  private waiters: Waiter[] = [];
  private watchers: Watcher[] = [];

  constructor(
    private readonly client: KubeClient,
    private readonly o: { namespace: string; gateway: string; labelSelector: string; recorder: Recorder },
  ) {}

  async start(): Promise<void> {
    const onLost = (what: string) => (reason: string) => {
      this.lost ??= `the ${what} watch was lost: ${reason}`;
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.resolve(undefined);
      }
    };
    this.watchers = await Promise.all([
      watch(this.client, gatewayMapping, {
        namespace: this.o.namespace,
        labelSelector: this.o.labelSelector,
        onEvent: (e) => {
          if (e.type !== 'DELETED' && e.object.metadata.name === this.o.gateway)
            this.onGateway(e.object as Gateway, e.receivedMs);
        },
        onLost: onLost('Gateway'),
      }),
      watch(this.client, httpRouteMapping, {
        namespace: this.o.namespace,
        labelSelector: this.o.labelSelector,
        onEvent: (e) => {
          if (e.type !== 'DELETED') this.onRoute(e.object as HTTPRoute, e.type, e.receivedMs);
          else this.lastRouteStatus.delete(e.object.metadata.name!);
        },
        onLost: onLost('HTTPRoute'),
      }),
    ]);
  }

  async stop(): Promise<void> {
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.resolve(undefined);
    }
    await Promise.all(this.watchers.map((w) => w.stop()));
  }

  get current(): GatewaySample | undefined {
    return this.gatewaySamples[this.gatewaySamples.length - 1];
  }

  private onGateway(gw: Gateway, t: number): void {
    const changed = !isDeepStrictEqual(gw.status, this.last?.status);
    if (this.last && changed) this.gatewayChanges.push(t);
    this.last = gw;
    if (!changed) return;
    const s: GatewaySample = {
      t,
      resourceVersion: gw.metadata.resourceVersion!,
      attachedRoutes: gw.status?.listeners?.[0]?.attachedRoutes,
      programmed:
        isTrue(gw.status?.conditions, 'Programmed') ||
        (gw.status?.listeners ?? []).some((l) => isTrue(l.conditions, 'Programmed')),
    };
    this.gatewaySamples.push(s);
    if (!this.waiters.length) return;
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(s)) return true;
      clearTimeout(w.timer);
      w.resolve(s);
      return false;
    });
  }

  private onRoute(r: HTTPRoute, type: string, t: number): void {
    const name = r.metadata.name!;
    const prev = this.lastRouteStatus.get(name);
    if (type === 'MODIFIED' && !isDeepStrictEqual(r.status, prev)) this.routeChanges.push(t);
    this.lastRouteStatus.set(name, r.status);
    const parents = r.status?.parents ?? [];
    if (!parents.length) return;
    const keys = parents.map(parentKey);
    if (new Set(keys).size < keys.length)
      this.violations.add(`HTTPRoute ${name} has duplicate status.parents entries`);
    const st = this.routes.get(name);
    if (!st || st.acceptedMs !== undefined) return;
    const mine = parents.filter(
      (p) =>
        p.parentRef.name === this.o.gateway &&
        (p.parentRef.namespace ?? this.o.namespace) === this.o.namespace &&
        (p.parentRef.kind ?? 'Gateway') === 'Gateway',
    );
    const acc = mine.map((p) => conditionOf(p.conditions, 'Accepted')).find((c) => c);
    if (acc) st.accepted = { status: acc.status, reason: acc.reason, message: acc.message };
    if (acc?.status === 'True') {
      st.acceptedMs = t;
      if (st.sentMs !== undefined) this.o.recorder.record('route-accepted', st.sentMs, t);
    }
  }

  /** A route about to be created, from this (intended) send time. */
  tracking(name: string, sentMs: number): void {
    this.routes.set(name, { sentMs });
  }

  forget(name: string): void {
    this.routes.delete(name);
  }

  /** First Gateway sample (the current one included) satisfying `pred`, or undefined after `timeoutMs`. */
  waitFor(
    pred: (s: GatewaySample) => boolean,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<GatewaySample | undefined> {
    const cur = this.current;
    if (cur && pred(cur)) return Promise.resolve(cur);
    if (this.lost || signal?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const w: Waiter = {
        pred,
        resolve,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          resolve(undefined);
        }, timeoutMs),
      };
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(w.timer);
          this.waiters = this.waiters.filter((x) => x !== w);
          resolve(undefined);
        },
        { once: true },
      );
      this.waiters.push(w);
    });
  }

  /** Resolves once no status change was seen for `quietMs` (bounded by `timeoutMs`). */
  async quiet(quietMs: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const end = performance.now() + timeoutMs;
    for (;;) {
      const lastChange = Math.max(this.gatewayChanges.at(-1) ?? 0, this.routeChanges.at(-1) ?? 0);
      const wait = lastChange + quietMs - performance.now();
      if (wait <= 0) return true;
      if (performance.now() + wait > end || signal?.aborted) return false;
      await new Promise((r) => setTimeout(r, Math.min(wait, 250)));
    }
  }
}
