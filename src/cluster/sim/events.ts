/**
 * Events the simulated components record, shaped like the real ones: core/v1 Events from client-go's
 * legacy recorder (kubelet, controllers: `source`, first/last timestamps, count) and from the
 * events.k8s.io recorder the scheduler uses (`eventTime`, `action`, `reportingController`). Names are
 * `<object>.<hex nanoseconds>`. Like kube-apiserver's --event-ttl (1h), events expire.
 */
import type { ApiContext } from '../api/context.js';
import { nowSeconds } from '../api/objects.js';
import type { KubeObject } from '../store/store.js';
import { create, remove } from './controller-kit.js';

export interface EventSource {
  component: string;
  host?: string;
}

export interface Involved {
  apiVersion: string;
  kind: string;
  obj: KubeObject;
  fieldPath?: string;
}

export interface EventRecorder {
  /** client-go's EventRecorder.Eventf (core/v1). */
  event(who: EventSource, on: Involved, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** The events.k8s.io recorder (scheduler): `action` and `reportingController`, no count. */
  eventV1(
    controller: string,
    instance: string,
    on: Involved,
    type: 'Normal' | 'Warning',
    reason: string,
    action: string,
    message: string,
  ): void;
  stop(): void;
}

let lastNanos = 0n;
/** Unique, increasing hex nanoseconds for event names (the recorder's `%v.%x`). */
function nameSuffix(): string {
  let n = BigInt(Date.now()) * 1_000_000n;
  if (n <= lastNanos) n = lastNanos + 1n;
  lastNanos = n;
  return n.toString(16);
}

function microTime(): string {
  const d = new Date();
  return `${d.toISOString().slice(0, 19)}.${String(d.getMilliseconds()).padStart(3, '0')}000Z`;
}

function involvedObject(on: Involved): Record<string, unknown> {
  const m = on.obj.metadata;
  return {
    kind: on.kind,
    ...(m.namespace ? { namespace: m.namespace } : {}),
    name: m.name,
    uid: m.uid,
    apiVersion: on.apiVersion,
    resourceVersion: m.resourceVersion,
    ...(on.fieldPath ? { fieldPath: on.fieldPath } : {}),
  };
}

/** A recorder writing into `ctx`; `enabled: false` records nothing (studies that want no event load). */
export function eventRecorder(ctx: ApiContext, opts: { enabled: boolean; ttlMs: number }): EventRecorder {
  const rt = ctx.registry.get('v1', 'events')!;
  const expiries: { at: number; ns: string; name: string }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const expire = (): void => {
    timer = undefined;
    const now = Date.now();
    while (expiries.length && expiries[0]!.at <= now) {
      const e = expiries.shift()!;
      remove(ctx, rt, e.ns, e.name);
    }
    schedule();
  };
  const schedule = (): void => {
    if (timer || !expiries.length) return;
    timer = setTimeout(expire, Math.max(0, expiries[0]!.at - Date.now()));
    timer.unref();
  };
  const write = (ns: string, body: Record<string, unknown>, manager: string): void => {
    const name = `${String((body.involvedObject as { name: string }).name)}.${nameSuffix()}`;
    const ok = create(ctx, rt, ns, manager, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      ...body,
    } as KubeObject);
    if (ok) {
      expiries.push({ at: Date.now() + opts.ttlMs, ns, name });
      schedule();
    }
  };
  return {
    event(who, on, type, reason, message) {
      if (!opts.enabled) return;
      const now = nowSeconds();
      write(
        on.obj.metadata.namespace ?? 'default',
        {
          involvedObject: involvedObject(on),
          reason,
          message,
          source: { component: who.component, ...(who.host ? { host: who.host } : {}) },
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
          type,
          eventTime: null,
          reportingComponent: who.component,
          reportingInstance: who.host ?? '',
        },
        who.component,
      );
    },
    eventV1(controller, instance, on, type, reason, action, message) {
      if (!opts.enabled) return;
      write(
        on.obj.metadata.namespace ?? 'default',
        {
          involvedObject: involvedObject(on),
          reason,
          message,
          source: {},
          firstTimestamp: null,
          lastTimestamp: null,
          type,
          eventTime: microTime(),
          action,
          reportingComponent: controller,
          reportingInstance: instance,
        },
        controller,
      );
    },
    stop() {
      if (timer) clearTimeout(timer);
    },
  };
}
