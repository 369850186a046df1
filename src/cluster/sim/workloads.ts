/**
 * What the simulated workload controllers share: controller references, pods owned by an object,
 * readiness, pods from a template, their status writes, kube-controller-manager's pod-template-hash,
 * and the owner-controller loop (resync on spec changes and on owned objects' changes).
 */
import type { ApiContext } from '../api/context.js';
import type { ResourceType } from '../api/resources.js';
import type { KubeObject, StoreEvent } from '../store/store.js';
import type { ControllerMeter } from '../../metrics/controller-runtime.js';
import { create, specChanged, stopper, update, WorkQueue } from './controller-kit.js';
import type { EventRecorder, Involved } from './events.js';

type Obj = Record<string, unknown>;

export const controllerManager = 'kube-controller-manager';
export const revisionLabel = 'controller-revision-hash';

export function controllerUid(o: KubeObject): string | undefined {
  const refs = (o.metadata as Obj).ownerReferences as Obj[] | undefined;
  return refs?.find((r) => r.controller === true)?.uid as string | undefined;
}

export function ownerRef(owner: KubeObject, apiVersion: string, kind: string): Obj {
  return {
    apiVersion,
    kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Whether the object's status has condition `type` with status True. */
export function conditionTrue(o: KubeObject, type: string): boolean {
  const conds = ((o.status as Obj | undefined)?.conditions as Obj[] | undefined) ?? [];
  return conds.some((c) => c.type === type && c.status === 'True');
}

export const isReady = (pod: KubeObject): boolean => conditionTrue(pod, 'Ready');

/** Whether `labels` carry every key and value of `want` (a map selector: an empty one matches all). */
export const hasLabels = (
  labels: Record<string, string> | undefined,
  want: Record<string, string>,
): boolean => Object.entries(want).every(([k, v]) => labels?.[k] === v);

export const isTerminating = (o: KubeObject): boolean => !!(o.metadata as Obj).deletionTimestamp;

export const podPhase = (pod: KubeObject): string =>
  String((pod.status as Obj | undefined)?.phase ?? 'Pending');

/** Neither terminating nor finished: a pod that counts towards its controller's replicas. */
export const activePod = (p: KubeObject): boolean =>
  !isTerminating(p) && podPhase(p) !== 'Succeeded' && podPhase(p) !== 'Failed';

/** kube-controller-manager's write of an object's status subresource; false when it is gone. */
export function updateStatus(
  ctx: ApiContext,
  rt: ResourceType,
  ns: string,
  name: string,
  mutate: (o: KubeObject) => void,
): boolean {
  return update(ctx, rt, ns, name, controllerManager, mutate, 'status');
}

/** Objects of a collection in `ns` controlled by `uid`, in key order. */
export function owned(ctx: ApiContext, storageKey: string, ns: string, uid: string): KubeObject[] {
  const out: KubeObject[] = [];
  const prefix = `${ns}/`;
  const objects = ctx.store.objects(storageKey);
  for (const k of ctx.store.sortedKeys(storageKey)) {
    if (!k.startsWith(prefix)) continue;
    const o = objects.get(k)!.obj;
    if (controllerUid(o) === uid) out.push(o);
  }
  return out;
}

/** A pod from a template, controlled by `owner`. */
export function podFromTemplate(
  template: Obj | undefined,
  owner: Obj,
  name: { name?: string; generateName?: string },
  extraLabels: Record<string, string> = {},
  extraSpec: Obj = {},
): KubeObject {
  const meta = (template?.metadata as Obj | undefined) ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: name.name ?? '',
      ...(name.generateName ? { generateName: name.generateName } : {}),
      labels: { ...((meta.labels as Record<string, string>) ?? {}), ...extraLabels },
      ...(meta.annotations ? { annotations: structuredClone(meta.annotations) } : {}),
      ...(Array.isArray(meta.finalizers) ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [owner],
    },
    spec: { ...structuredClone((template?.spec as Obj | undefined) ?? { containers: [] }), ...extraSpec },
  };
}

/**
 * Creates `count` pods `<name>-xxxxx` from the template, each with the controller's SuccessfulCreate
 * event; stops at the first create the server refuses. Returns the pods created.
 */
export function createPodsFromTemplate(
  ctx: ApiContext,
  events: EventRecorder,
  o: {
    ns: string;
    name: string;
    template: Obj | undefined;
    owner: Obj;
    involved: Involved;
    component: string;
  },
  count: number,
): KubeObject[] {
  const podRt = ctx.registry.get('v1', 'pods')!;
  const out: KubeObject[] = [];
  for (let i = 0; i < count; i++) {
    const pod = create(
      ctx,
      podRt,
      o.ns,
      controllerManager,
      podFromTemplate(o.template, o.owner, { generateName: `${o.name}-` }),
    );
    if (!pod) break;
    out.push(pod);
    events.event(
      { component: o.component },
      o.involved,
      'Normal',
      'SuccessfulCreate',
      `Created pod: ${pod.metadata.name}`,
    );
  }
  return out;
}

const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** controller.ComputeHash: FNV-32a of the template, printed with rand.SafeEncodeString. */
export function templateHash(template: unknown, collisionCount = 0): string {
  let h = 0x811c9dc5;
  const text = JSON.stringify(template ?? {}) + (collisionCount ? String(collisionCount) : '');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h)].map((c) => safeAlphabet[c.charCodeAt(0) % safeAlphabet.length]).join('');
}

/** An int-or-percent of `total` (intstr.GetScaledValueFromIntOrPercent). */
export function scaled(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.endsWith('%')) {
    const x = (Number(v.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(x) : Math.floor(x);
  }
  return 0;
}

/** The node a DaemonSet pod is pinned to (nodeAffinity matchFields metadata.name In [node]). */
export function pinnedNode(spec: Obj): string | undefined {
  const required = ((spec.affinity as Obj | undefined)?.nodeAffinity as Obj | undefined)
    ?.requiredDuringSchedulingIgnoredDuringExecution as Obj | undefined;
  for (const t of (required?.nodeSelectorTerms as Obj[] | undefined) ?? []) {
    for (const f of (t.matchFields as Obj[] | undefined) ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && Array.isArray(f.values))
        return String(f.values[0]);
    }
  }
  return undefined;
}

/**
 * A controller over one workload kind: `sync` runs for an object's key when its spec changes (after
 * `syncDelayMs`, when given) and when an object it controls (`owns`, pods by default) changes; `also`
 * adds more triggers. Returns its stop function.
 */
export function ownerController(
  ctx: ApiContext,
  storageKey: string,
  sync: (key: string) => void,
  o: {
    owns?: string;
    meter?: ControllerMeter;
    syncDelayMs?: () => number;
    also?: (queue: WorkQueue) => () => void;
  } = {},
): () => void {
  /** owner uid → "ns/name". */
  const byUid = new Map<string, string>();
  const queue = new WorkQueue((key) => {
    const s = ctx.store.get(storageKey, key);
    if (s) byUid.set(s.obj.metadata.uid as string, key);
    sync(key);
  }, o.meter);
  return stopper(queue, [
    ctx.store.subscribe(storageKey, (e: StoreEvent) => {
      if (e.type === 'DELETED') byUid.delete(e.cur.obj.metadata.uid as string);
      else if (specChanged(e)) queue.add(e.cur.key, o.syncDelayMs?.() ?? 0);
    }),
    ctx.store.subscribe(o.owns ?? 'pods', (e: StoreEvent) => {
      const uid = controllerUid(e.cur.obj);
      const key = uid && byUid.get(uid);
      if (key) queue.add(key);
    }),
    ...(o.also ? [o.also(queue)] : []),
  ]);
}
