/**
 * When is an object ready? Built-in rules for common kinds (Pod, Deployment, StatefulSet, ReplicaSet,
 * DaemonSet, Job, Namespace, CRD, PVC), a generic condition type/status, or a CEL expression over the
 * object as `self`. Kinds without a rule are ready once the watch reports them (they exist).
 */
import { parse as parseCel } from '@marcbachmann/cel-js';
import type { KubeObject } from './client.js';

export type ReadyPredicate = (o: KubeObject) => boolean;

type Cond = { type?: string; status?: string };
const conditions = (o: KubeObject): Cond[] =>
  (o.status as { conditions?: Cond[] } | undefined)?.conditions ?? [];
const hasCondition = (o: KubeObject, type: string, status = 'True') =>
  conditions(o).some((c) => c.type === type && c.status === status);
const num = (v: unknown, d = 0) => (typeof v === 'number' ? v : d);
const st = (o: KubeObject) => (o.status ?? {}) as Record<string, unknown>;
const spec = (o: KubeObject) => (o.spec ?? {}) as Record<string, unknown>;
const observed = (o: KubeObject) => num(st(o).observedGeneration, 0) >= num(o.metadata.generation, 0);

export const builtinReadiness: Record<string, ReadyPredicate> = {
  Pod: (o) => hasCondition(o, 'Ready'),
  Deployment: (o) =>
    observed(o) &&
    num(st(o).readyReplicas) >= num(spec(o).replicas, 1) &&
    num(st(o).updatedReplicas) >= num(spec(o).replicas, 1),
  StatefulSet: (o) => observed(o) && num(st(o).readyReplicas) >= num(spec(o).replicas, 1),
  ReplicaSet: (o) => observed(o) && num(st(o).readyReplicas) >= num(spec(o).replicas, 1),
  DaemonSet: (o) => observed(o) && num(st(o).numberReady) >= num(st(o).desiredNumberScheduled, 1),
  Job: (o) => hasCondition(o, 'Complete'),
  Namespace: (o) => st(o).phase === 'Active',
  CustomResourceDefinition: (o) => hasCondition(o, 'Established'),
  PersistentVolumeClaim: (o) => st(o).phase === 'Bound',
};

export interface WaitOptions {
  /** Generic: a status condition of this type… */
  condition?: { type: string; status?: string };
  /** …or a CEL expression over the object as `self`, e.g. `self.status.readyReplicas == self.spec.replicas`. */
  cel?: string;
}

/** Compile a CEL readiness expression; throws with the parser's message on bad syntax. */
export function celPredicate(expr: string): ReadyPredicate {
  const fn = parseCel(expr);
  return (o) => {
    try {
      return fn({ self: o }) === true;
    } catch {
      // Missing fields (status not written yet) mean "not ready yet", not an error.
      return false;
    }
  };
}

export function readinessFor(kind: string, w: WaitOptions = {}): ReadyPredicate {
  if (w.cel) return celPredicate(w.cel);
  if (w.condition) {
    const { type, status = 'True' } = w.condition;
    return (o) => hasCondition(o, type, status);
  }
  return builtinReadiness[kind] ?? (() => true);
}
