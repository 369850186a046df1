/**
 * The reconcile of one instance, following kro's instance controller (pkg/controller/instance on
 * main, see docs/kro.md for what is and is not modelled):
 *   GET the instance → deletion path when it is terminating → ensure finalizer + labels (SSA,
 *   kro.run/labeller) → walk the graph in topological order (includeWhen with contagious skip,
 *   dependencies ready, `${}` rendered by CEL against their observed state; GET each resource, LIST
 *   each collection, GET/LIST external refs) → patch the ApplySet inventory on the instance → apply
 *   every resolvable object at once (SSA, kro.run/applyset, force) → prune children no longer desired
 *   when nothing was pending → node states → status (conditions, state, projected fields; written
 *   only when it changed) → requeue after 3 s while anything is pending or the cluster changed.
 * Deletion deletes children in apply-order waves, highest first, one wave per reconcile, and removes
 * the finalizer last. Children carry kro's labels and the apply-order annotation.
 */
import type { Logger } from '../../core/logger.js';
import type { KubeObject } from '../../kube/client.js';
import type { ResourceMapping } from '../../kube/discovery.js';
import { isConflict, type ControllerClient } from '../runtime/client.js';
import type { ReconcileResult } from '../runtime/controller.js';
import { matchesSelector, selectorString, type LabelSelector } from '../runtime/label-selector.js';
import { hasFinalizer, hasLabels, withoutFinalizer, type Condition } from '../runtime/objects.js';
import { applySetId, inventoryOf, parentMetadata, union, type Inventory } from './applyset.js';
import {
  ANNOTATION_APPLY_ORDER,
  ANNOTATION_RECONCILE,
  FIELD_MANAGER_APPLYSET,
  FIELD_MANAGER_LABELLER,
  FIELD_MANAGER_PARENT,
  FINALIZER,
  InstanceState,
  KRO_VERSION,
  LABEL_APPLYSET_PART_OF,
  LABEL_COLLECTION_INDEX,
  LABEL_COLLECTION_SIZE,
  LABEL_INSTANCE_GROUP,
  LABEL_INSTANCE_ID,
  LABEL_INSTANCE_KIND,
  LABEL_INSTANCE_NAME,
  LABEL_INSTANCE_NAMESPACE,
  LABEL_INSTANCE_VERSION,
  LABEL_KRO_VERSION,
  LABEL_MANAGED_BY,
  LABEL_NODE_ID,
  LABEL_OWNED,
  LABEL_RGD_ID,
  LABEL_RGD_NAME,
} from './constants.js';
import type { Coordinator } from './coordinator.js';
import { apiVersionOf, groupKind, type Graph } from './graph.js';
import type { KroMetrics } from './metrics.js';
import type { KroControllerOptions } from './options.js';
import { DataPending, GraphRuntime } from './runtime.js';
import { ConditionSet, instanceState } from './status.js';

type NodeState = 'SYNCED' | 'SKIPPED' | 'WAITING_FOR_READINESS' | 'IN_PROGRESS' | 'ERROR' | 'DELETING';

interface Queued {
  id: string;
  mapping: ResourceMapping;
  obj: KubeObject;
  current?: KubeObject;
  /** Position in a collection (undefined for a single resource). */
  item?: number;
}

interface Applied {
  q: Queued;
  observed?: KubeObject;
  changed: boolean;
  error?: string;
}

export interface InstanceDeps {
  client: ControllerClient;
  options: KroControllerOptions;
  metrics: KroMetrics;
  coordinator: Coordinator;
  log: Logger;
}

class ResourceDeleting extends Error {}

/** Deterministic JSON (sorted keys), to compare a status with the stored one like kro's DeepEqual. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

/** The kro.run/reconcile annotation suspends reconciliation (`suspended`, legacy `disabled`). */
export const isSuspended = (inst: KubeObject) => {
  const v = String(
    (inst.metadata.annotations as Record<string, string> | undefined)?.[ANNOTATION_RECONCILE] ?? '',
  );
  return /^(suspended|disabled)$/i.test(v);
};

export class InstanceReconciler {
  private readonly byGroupKind: Map<string, ResourceMapping>;

  constructor(
    readonly graph: Graph,
    private readonly d: InstanceDeps,
  ) {
    this.byGroupKind = new Map([...graph.mappings.values()].map((m) => [groupKind(m), m]));
  }

  private get requeue(): ReconcileResult | void {
    return this.d.options.requeueAfterMs > 0 ? { requeueAfterMs: this.d.options.requeueAfterMs } : undefined;
  }

  async reconcile(key: string, namespace: string | undefined, name: string): Promise<ReconcileResult | void> {
    const { client, coordinator } = this.d;
    const g = this.graph;
    let inst = await client.tryGet(g.instance, namespace, name);
    if (!inst) {
      coordinator.forget(key);
      return;
    }
    const uid = inst.metadata.uid as string;
    coordinator.bindUid(uid, key);
    coordinator.reset(key);
    const generation = inst.metadata.generation ?? 1;
    const previous = (inst as { status?: { conditions?: Condition[] } }).status?.conditions;
    const conds = new ConditionSet(previous, generation);

    if (inst.metadata.deletionTimestamp) return this.reconcileDeletion(key, inst, conds);

    inst = await this.ensureManaged(inst);
    conds.set(
      'InstanceManaged',
      'True',
      'Managed',
      'instance is properly managed with finalizers and labels',
    );
    conds.set('GraphResolved', 'True', 'Resolved', 'runtime graph created and all resources resolved');

    if (isSuspended(inst)) {
      conds.set(
        'ResourcesReady',
        'False',
        'ReconciliationSuspended',
        `reconciliation is suspended by the ${ANNOTATION_RECONCILE} annotation`,
      );
      await this.writeStatus(inst, conds, InstanceState.inProgress, {});
      return;
    }

    const rt = new GraphRuntime(g, inst);
    let outcome;
    try {
      outcome = await this.reconcileNodes(key, inst, rt);
    } catch (e) {
      if (e instanceof ResourceDeleting) {
        conds.set('ResourcesReady', 'False', 'ResourceDeleting', e.message);
        await this.writeStatus(inst, conds, InstanceState.inProgress, rt.projectStatus());
        return this.requeue;
      }
      conds.set(
        'ResourcesReady',
        'False',
        'NotReady',
        `resource reconciliation failed: ${(e as Error).message}`,
      );
      await this.writeStatus(inst, conds, InstanceState.error, rt.projectStatus());
      throw e;
    }
    inst = outcome.instance;
    const states = [...outcome.states.values()];
    const state = states.includes('ERROR')
      ? InstanceState.error
      : states.every((s) => s === 'SYNCED' || s === 'SKIPPED')
        ? InstanceState.active
        : InstanceState.inProgress;
    if (state === InstanceState.active) {
      conds.set('ResourcesReady', 'True', 'AllResourcesReady', 'all resources are created and ready');
    } else if (state === InstanceState.error) {
      conds.set('ResourcesReady', 'False', 'NotReady', `resource error: ${outcome.errors.join('; ')}`);
    } else {
      conds.set(
        'ResourcesReady',
        'False',
        'NotReady',
        `awaiting resource readiness: ${outcome.errors.join('; ')}`,
      );
    }
    await this.writeStatus(inst, conds, state, rt.projectStatus());
    if (outcome.pending || outcome.applyErrors || outcome.mutated) return this.requeue;
  }

  /** Finalizer and kro's instance labels in one SSA patch, only when something is missing. */
  private async ensureManaged(inst: KubeObject): Promise<KubeObject> {
    const g = this.graph;
    const want: Record<string, string> = {
      [LABEL_OWNED]: 'true',
      [LABEL_KRO_VERSION]: KRO_VERSION,
      [LABEL_RGD_ID]: g.rgdUid,
      [LABEL_RGD_NAME]: g.rgdName,
    };
    if (hasFinalizer(inst, FINALIZER) && hasLabels(inst, want)) return inst;
    return this.d.client.applyObject(
      g.instance,
      {
        apiVersion: inst.apiVersion,
        kind: inst.kind,
        metadata: {
          name: inst.metadata.name,
          ...(inst.metadata.namespace ? { namespace: inst.metadata.namespace } : {}),
          labels: want,
          finalizers: [FINALIZER],
        },
      },
      FIELD_MANAGER_LABELLER,
    );
  }

  /** kro's child labels and the apply-order annotation (applyDecoratorLabels). */
  private decorate(
    inst: KubeObject,
    obj: KubeObject,
    id: string,
    setId: string,
    coll?: { index: number; size: number },
  ) {
    const g = this.graph;
    const labels: Record<string, string> = {
      ...(obj.metadata.labels ?? {}),
      [LABEL_OWNED]: 'true',
      [LABEL_KRO_VERSION]: KRO_VERSION,
      [LABEL_INSTANCE_ID]: inst.metadata.uid as string,
      [LABEL_INSTANCE_NAME]: inst.metadata.name!,
      [LABEL_INSTANCE_GROUP]: g.instance.group,
      [LABEL_INSTANCE_VERSION]: g.instance.version,
      [LABEL_INSTANCE_KIND]: g.instance.kind,
      [LABEL_MANAGED_BY]: 'kro',
      [LABEL_NODE_ID]: id,
      [LABEL_APPLYSET_PART_OF]: setId,
    };
    if (inst.metadata.namespace) labels[LABEL_INSTANCE_NAMESPACE] = inst.metadata.namespace;
    if (coll) {
      labels[LABEL_COLLECTION_INDEX] = String(coll.index);
      labels[LABEL_COLLECTION_SIZE] = String(coll.size);
    }
    obj.metadata.labels = labels;
    obj.metadata.annotations = {
      ...((obj.metadata.annotations as Record<string, string> | undefined) ?? {}),
      [ANNOTATION_APPLY_ORDER]: String(g.rgd.applyOrders[id] ?? 1),
    };
  }

  private async reconcileNodes(key: string, inst: KubeObject, rt: GraphRuntime) {
    const { client, coordinator } = this.d;
    const g = this.graph;
    const ns = inst.metadata.namespace;
    const setId = applySetId(inst, g.instance.kind, g.instance.group);
    const states = new Map<string, NodeState>();
    const errors: string[] = [];
    const queued: Queued[] = [];
    const collections = new Map<string, number>();
    let pending = false;

    for (const id of g.rgd.topologicalOrder) {
      const res = rt.resource(id);
      const m = g.mappings.get(id)!;
      try {
        if (!rt.checkIncluded(id)) {
          rt.ignore(id);
          states.set(id, 'SKIPPED');
          continue;
        }
        rt.checkDependenciesReady(id);
        const desired = rt.desired(id, ns);
        if (res.external) {
          const meta = desired[0]!.metadata as KubeObject['metadata'] & { selector?: LabelSelector };
          if (meta.selector) {
            const sel = meta.selector;
            await coordinator.watchSelector(
              key,
              m,
              (o) =>
                (!meta.namespace || o.metadata.namespace === meta.namespace) &&
                matchesSelector(o.metadata.labels, sel),
            );
            const items = await client.listObjects(m, meta.namespace || undefined, {
              labelSelector: selectorString(sel),
            });
            rt.setObserved(id, items);
            states.set(id, 'SYNCED');
            continue;
          }
          const ens = m.namespaced ? (meta.namespace ?? ns) : undefined;
          await coordinator.watchName(key, m, ens, meta.name!);
          const obj = await client.tryGet(m, ens, meta.name!);
          if (!obj) {
            states.set(id, 'WAITING_FOR_READINESS');
            errors.push(`external reference ${id} (${m.kind} ${ens ? `${ens}/` : ''}${meta.name}) not found`);
            continue;
          }
          rt.setObserved(id, obj);
          if (rt.isReady(id)) states.set(id, 'SYNCED');
          else {
            states.set(id, 'WAITING_FOR_READINESS');
            errors.push(`external reference ${id} is not ready`);
          }
          continue;
        }
        await coordinator.ensureWatch(m);
        if (res.forEach.length > 0) {
          const existing = await client.listObjects(m, undefined, {
            labelSelector: `${LABEL_INSTANCE_ID}=${inst.metadata.uid},${LABEL_NODE_ID}=${id}`,
          });
          const byKey = new Map(existing.map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));
          const keyOf = (o: KubeObject) =>
            `${m.namespaced ? (o.metadata.namespace ?? '') : ''}/${o.metadata.name}`;
          rt.setObserved(
            id,
            desired.map((o) => byKey.get(keyOf(o))).filter((o): o is KubeObject => !!o),
          );
          collections.set(id, desired.length);
          if (desired.length === 0) {
            states.set(id, 'SYNCED');
            continue;
          }
          desired.forEach((o, i) => {
            this.decorate(inst, o, id, setId, { index: i, size: desired.length });
            queued.push({ id, mapping: m, obj: o, current: byKey.get(keyOf(o)), item: i });
          });
          continue;
        }
        const o = desired[0]!;
        const current = await client.tryGet(
          m,
          m.namespaced ? o.metadata.namespace : undefined,
          o.metadata.name!,
        );
        if (current?.metadata.deletionTimestamp) {
          states.set(id, 'DELETING');
          throw new ResourceDeleting(`resource ${id} is being deleted; waiting for deletion to complete`);
        }
        if (current) rt.setObserved(id, current);
        this.decorate(inst, o, id, setId);
        queued.push({ id, mapping: m, obj: o, current });
      } catch (e) {
        if (e instanceof DataPending) {
          states.set(id, 'IN_PROGRESS');
          errors.push(e.message);
          pending = true;
          continue;
        }
        if (!(e instanceof ResourceDeleting)) states.set(id, 'ERROR');
        throw e;
      }
    }

    // Inventory first (superset of what was and what will be applied), so nothing applied is untracked.
    const batch: Inventory = { groupKinds: new Set(), namespaces: new Set() };
    for (const q of queued) {
      batch.groupKinds.add(groupKind(q.mapping));
      const ons = q.obj.metadata.namespace;
      if (q.mapping.namespaced && ons && ons !== ns) batch.namespaces.add(ons);
    }
    inst = await this.patchParent(inst, setId, union(inventoryOf(inst), batch));

    const applied = await Promise.all(queued.map((q) => this.applyOne(q, setId)));
    let mutated = applied.some((a) => a.changed);
    const applyErrors = applied.filter((a) => a.error);
    for (const a of applyErrors) {
      states.set(a.q.id, 'ERROR');
      errors.push(a.error!);
    }
    const items = new Map<string, KubeObject[]>();
    for (const a of applied) {
      if (!a.observed) continue;
      if (a.q.item === undefined) rt.setObserved(a.q.id, a.observed);
      else {
        let list = items.get(a.q.id);
        if (!list) items.set(a.q.id, (list = []));
        list[a.q.item] = a.observed;
      }
    }
    for (const [id, list] of items) rt.setObserved(id, list.filter(Boolean));
    for (const id of new Set(queued.map((q) => q.id))) {
      if (states.get(id) === 'ERROR') continue;
      if (rt.isReady(id, collections.get(id))) states.set(id, 'SYNCED');
      else {
        states.set(id, 'WAITING_FOR_READINESS');
        errors.push(`resource ${id} is not ready`);
      }
    }

    if (!pending && applyErrors.length === 0) {
      const keep = new Set(applied.map((a) => a.observed?.metadata.uid as string).filter(Boolean));
      const pruned = await this.prune(inst, setId, union(inventoryOf(inst), batch), keep);
      mutated ||= pruned;
      inst = await this.patchParent(inst, setId, batch);
    }
    return { instance: inst, states, errors, pending, applyErrors: applyErrors.length > 0, mutated };
  }

  /** The parent's ApplySet metadata, applied by kro on every pass (SSA makes an unchanged one a no-op). */
  private patchParent(inst: KubeObject, setId: string, inv: Inventory): Promise<KubeObject> {
    return this.d.client.applyObject(
      this.graph.instance,
      {
        apiVersion: inst.apiVersion,
        kind: inst.kind,
        metadata: {
          name: inst.metadata.name,
          ...(inst.metadata.namespace ? { namespace: inst.metadata.namespace } : {}),
          ...parentMetadata(setId, inv),
        },
      },
      FIELD_MANAGER_PARENT,
    );
  }

  private async applyOne(q: Queued, setId: string): Promise<Applied> {
    const partOf = q.current?.metadata.labels?.[LABEL_APPLYSET_PART_OF];
    if (q.current && partOf && partOf !== setId) {
      return { q, changed: false, error: `resource ${q.id}: resource belongs to a different ApplySet` };
    }
    q.obj.apiVersion = apiVersionOf(q.mapping);
    q.obj.kind = q.mapping.kind;
    try {
      const observed = await this.d.client.applyObject(q.mapping, q.obj, FIELD_MANAGER_APPLYSET);
      const changed = !q.current || q.current.metadata.resourceVersion !== observed.metadata.resourceVersion;
      return { q, observed, changed };
    } catch (e) {
      return { q, changed: false, error: `resource ${q.id}: ${(e as Error).message}` };
    }
  }

  /** Children of this ApplySet in the inventory's group-kinds and namespaces (one LIST each). */
  private async children(
    inst: KubeObject,
    setId: string,
    inv: Inventory,
  ): Promise<{ m: ResourceMapping; o: KubeObject }[]> {
    const out: { m: ResourceMapping; o: KubeObject }[] = [];
    const namespaces = [inst.metadata.namespace, ...inv.namespaces].filter((x): x is string => !!x);
    const lists: Promise<void>[] = [];
    for (const gk of inv.groupKinds) {
      const m = this.byGroupKind.get(gk);
      if (!m) continue;
      for (const ns of m.namespaced ? (namespaces.length ? namespaces : [undefined]) : [undefined]) {
        lists.push(
          this.d.client
            .listObjects(m, ns, { labelSelector: `${LABEL_APPLYSET_PART_OF}=${setId}` })
            .then((items) => void out.push(...items.map((o) => ({ m, o })))),
        );
      }
    }
    await Promise.all(lists);
    return out;
  }

  /** Deletes children not applied in this pass, dependents first (descending topological position). */
  private async prune(inst: KubeObject, setId: string, inv: Inventory, keep: Set<string>): Promise<boolean> {
    const orphans = (await this.children(inst, setId, inv)).filter(
      (c) => !keep.has(c.o.metadata.uid as string) && !c.o.metadata.deletionTimestamp,
    );
    if (!orphans.length) return false;
    const pos = (c: { o: KubeObject }) =>
      this.graph.position.get(c.o.metadata.labels?.[LABEL_NODE_ID] ?? '') ?? Infinity;
    const waves = [...new Set(orphans.map(pos))].sort((a, b) => b - a);
    for (const w of waves) {
      await Promise.all(
        orphans
          .filter((c) => pos(c) === w)
          .map((c) =>
            this.d.client.deleteObject(c.m, c.o.metadata.namespace, c.o.metadata.name!, {
              uid: c.o.metadata.uid as string,
            }),
          ),
      );
    }
    return true;
  }

  /**
   * Deletion: children come from the ApplySet inventory only; the highest apply-order wave is deleted
   * (children already terminating are left alone) and the next wave waits until it is gone; the
   * finalizer is removed last, with a resourceVersion precondition.
   */
  private async reconcileDeletion(
    key: string,
    inst: KubeObject,
    conds: ConditionSet,
  ): Promise<ReconcileResult | void> {
    if (!hasFinalizer(inst, FINALIZER)) return;
    const setId = applySetId(inst, this.graph.instance.kind, this.graph.instance.group);
    const children = await this.children(inst, setId, inventoryOf(inst));
    if (children.length > 0) {
      const wave = (c: { o: KubeObject }) => {
        const n = Number(
          (c.o.metadata.annotations as Record<string, string> | undefined)?.[ANNOTATION_APPLY_ORDER],
        );
        return Number.isInteger(n) && n > 0 ? n : 0;
      };
      const top = Math.max(...children.map(wave));
      await Promise.all(
        children
          .filter((c) => wave(c) === top && !c.o.metadata.deletionTimestamp)
          .map((c) =>
            this.d.client.deleteObject(c.m, c.o.metadata.namespace, c.o.metadata.name!, {
              uid: c.o.metadata.uid as string,
            }),
          ),
      );
      conds.set('ResourcesReady', 'Unknown', 'UnderDeletion', `deleting apply-order wave ${top}`);
      await this.writeStatus(inst, conds, InstanceState.deleting, {});
      return this.requeue ?? { requeueAfterMs: 1000 };
    }
    await this.d.client.mergePatch(this.graph.instance, inst.metadata.namespace, inst.metadata.name!, {
      metadata: {
        finalizers: withoutFinalizer(inst, FINALIZER),
        resourceVersion: inst.metadata.resourceVersion,
      },
    });
    this.d.coordinator.forget(key, inst.metadata.uid as string);
  }

  /** Writes status through the status subresource when it differs from the stored one. */
  private async writeStatus(
    inst: KubeObject,
    conds: ConditionSet,
    fallback: InstanceState,
    projected: Record<string, unknown>,
  ): Promise<void> {
    const generation = inst.metadata.generation ?? 1;
    const conditions = conds.finish();
    const state = instanceState(conditions, generation, fallback);
    const status = { ...projected, conditions, state };
    const stored = (inst as { status?: { state?: string } }).status;
    if (canonical(status) === canonical(stored)) return;
    const from = stored?.state ?? 'NONE';
    for (let attempt = 0; ; attempt++) {
      try {
        await this.d.client.updateObject(this.graph.instance, { ...inst, status }, 'status');
        break;
      } catch (e) {
        if (!isConflict(e) || attempt >= 3) throw e;
        const fresh = await this.d.client.tryGet(
          this.graph.instance,
          inst.metadata.namespace,
          inst.metadata.name!,
        );
        if (!fresh) return;
        inst = fresh;
      }
    }
    if (from !== state)
      this.d.metrics.stateTransitions.inc({ gvr: this.graph.gvrString, from_state: from, to_state: state });
  }
}
