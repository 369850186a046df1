/**
 * Small helpers every controller needs on the objects it manages: status conditions (Kubernetes
 * metav1.Condition semantics: lastTransitionTime moves only when the status changes), finalizers,
 * owner references and labels. Pure functions on plain objects; writing them is the client's job.
 */
import type { KubeObject } from '../../kube/client.js';
import type { Condition } from '../../kube/meta.js';

export type { Condition };

/** Kubernetes timestamps have second precision (RFC 3339 without fractions). */
export function nowRfc3339(date = new Date()): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * The condition list with `c` set: an existing condition of the same type keeps its
 * lastTransitionTime when its status does not change.
 */
export function setCondition(list: Condition[] | undefined, c: Condition, now = nowRfc3339()): Condition[] {
  const out = [...(list ?? [])];
  const i = out.findIndex((x) => x.type === c.type);
  const prev = i >= 0 ? out[i] : undefined;
  const next: Condition = {
    ...c,
    lastTransitionTime:
      prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : now,
  };
  if (i >= 0) out[i] = next;
  else out.push(next);
  return out;
}

export function findCondition(obj: unknown, type: string): Condition | undefined {
  const conditions = (obj as { status?: { conditions?: Condition[] } })?.status?.conditions;
  return Array.isArray(conditions) ? conditions.find((c) => c.type === type) : undefined;
}

export function hasFinalizer(obj: KubeObject, finalizer: string): boolean {
  const f = obj.metadata.finalizers;
  return Array.isArray(f) && f.includes(finalizer);
}

export function withoutFinalizer(obj: KubeObject, finalizer: string): string[] {
  const f = obj.metadata.finalizers;
  return Array.isArray(f) ? (f as string[]).filter((x) => x !== finalizer) : [];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** An owner reference to `owner` (controller: true marks the managing controller, as controllerutil does). */
export function ownerReference(
  owner: KubeObject,
  o: { controller?: boolean; blockOwnerDeletion?: boolean } = {},
): OwnerReference {
  return {
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata.name!,
    uid: owner.metadata.uid as string,
    ...(o.controller ? { controller: true } : {}),
    ...(o.blockOwnerDeletion ? { blockOwnerDeletion: true } : {}),
  };
}

export function isOwnedBy(obj: KubeObject, owner: KubeObject): boolean {
  const refs = obj.metadata.ownerReferences as OwnerReference[] | undefined;
  return Array.isArray(refs) && refs.some((r) => r.uid === owner.metadata.uid);
}

/** Sets labels on an object's metadata (mutates and returns it). */
export function setLabels<T extends KubeObject>(obj: T, labels: Record<string, string>): T {
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), ...labels };
  return obj;
}

/** Whether every label in `want` is present with the same value. */
export function hasLabels(obj: KubeObject, want: Record<string, string>): boolean {
  const have = obj.metadata.labels ?? {};
  return Object.entries(want).every(([k, v]) => have[k] === v);
}
