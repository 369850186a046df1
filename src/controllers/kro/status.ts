/**
 * Instance status as kro writes it (pkg/controller/instance/status.go, api/v1alpha1/conditions.go):
 * rebuilt every reconcile from kro's conditions (InstanceManaged, GraphResolved, ResourcesReady and
 * the root Ready), the state, and the projected fields. Ready is True only when its three children
 * are; otherwise it copies the worst child (False before Unknown, the latest transition first).
 * Conditions are ordered by lastTransitionTime with Ready last. `state` is ACTIVE only when Ready is
 * True for the current generation.
 */
import { nowRfc3339, setCondition, type Condition } from '../runtime/objects.js';
import { InstanceState } from './constants.js';

export type ConditionType = 'InstanceManaged' | 'GraphResolved' | 'ResourcesReady';
const CHILDREN: ConditionType[] = ['InstanceManaged', 'GraphResolved', 'ResourcesReady'];

export class ConditionSet {
  private list: Condition[];

  constructor(
    previous: Condition[] | undefined,
    private readonly generation: number,
    private readonly now = nowRfc3339(),
  ) {
    this.list = (previous ?? []).filter(
      (c) => CHILDREN.includes(c.type as ConditionType) || c.type === 'Ready',
    );
  }

  set(type: ConditionType, status: Condition['status'], reason: string, message: string): void {
    this.list = setCondition(
      this.list,
      { type, status, reason, message, observedGeneration: this.generation },
      this.now,
    );
  }

  get(type: string): Condition | undefined {
    return this.list.find((c) => c.type === type);
  }

  /** Sets Ready from the children and returns the ordered list. */
  finish(): Condition[] {
    const children = CHILDREN.map((t) => this.get(t)).filter((c): c is Condition => !!c);
    const allTrue = children.length === CHILDREN.length && children.every((c) => c.status === 'True');
    if (allTrue) {
      this.list = setCondition(
        this.list,
        { type: 'Ready', status: 'True', reason: 'Ready', message: '', observedGeneration: this.generation },
        this.now,
      );
    } else {
      const rank = (c: Condition) => (c.status === 'False' ? 0 : c.status === 'Unknown' ? 1 : 2);
      const worst = [...children].sort(
        (a, b) => rank(a) - rank(b) || (b.lastTransitionTime ?? '').localeCompare(a.lastTransitionTime ?? ''),
      )[0];
      this.list = setCondition(
        this.list,
        {
          type: 'Ready',
          status: worst?.status === 'True' || !worst ? 'Unknown' : worst.status,
          reason: worst?.reason ?? 'Pending',
          message: worst?.message ?? '',
          observedGeneration: this.generation,
        },
        this.now,
      );
    }
    const order = (c: Condition) => (c.type === 'Ready' ? 1 : 0);
    return this.list
      .map((c, i) => ({ c, i }))
      .sort(
        (a, b) =>
          order(a.c) - order(b.c) ||
          (a.c.lastTransitionTime ?? '').localeCompare(b.c.lastTransitionTime ?? '') ||
          CHILDREN.indexOf(a.c.type as ConditionType) - CHILDREN.indexOf(b.c.type as ConditionType) ||
          a.i - b.i,
      )
      .map((x) => x.c);
  }
}

/** ACTIVE only when Ready is True for this generation; otherwise the state manager's value. */
export function instanceState(
  conditions: Condition[],
  generation: number,
  fallback: InstanceState,
): InstanceState {
  const ready = conditions.find((c) => c.type === 'Ready');
  if (fallback === InstanceState.deleting) return fallback;
  if (ready?.status === 'True' && ready.observedGeneration === generation) return InstanceState.active;
  return fallback === InstanceState.active ? InstanceState.inProgress : fallback;
}
