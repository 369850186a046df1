/**
 * Simulated replica set controller: keeps `spec.replicas` pods (named `<rs>-xxxxx`, controlled by the
 * ReplicaSet), deletes the least useful extra ones first (unscheduled, pending, not ready, newest),
 * reports replicas/fullyLabeledReplicas/readyReplicas/availableReplicas/observedGeneration, and records
 * the SuccessfulCreate/SuccessfulDelete events of the real controller.
 */
import type { ApiContext } from '../api/context.js';
import type { KubeObject } from '../store/store.js';
import { remove } from './controller-kit.js';
import type { EventRecorder } from './events.js';
import {
  activePod,
  createPodsFromTemplate,
  hasLabels,
  isReady,
  isTerminating,
  owned,
  ownerController,
  ownerRef,
  podPhase,
  updateStatus,
} from './workloads.js';

type Obj = Record<string, unknown>;

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** controller.ActivePods order: the first are deleted first. */
function deletionOrder(a: KubeObject, b: KubeObject): number {
  const nodeA = (a.spec as Obj | undefined)?.nodeName ? 1 : 0;
  const nodeB = (b.spec as Obj | undefined)?.nodeName ? 1 : 0;
  if (nodeA !== nodeB) return nodeA - nodeB;
  const pa = phaseRank[podPhase(a)] ?? 0;
  const pb = phaseRank[podPhase(b)] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isReady(a) ? 1 : 0;
  const rb = isReady(b) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  return String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp));
}

export function startReplicaSetController(
  ctx: ApiContext,
  events: EventRecorder,
  syncDelayMs: () => number,
): () => void {
  const rsRt = ctx.registry.get('apps/v1', 'replicasets')!;
  const podRt = ctx.registry.get('v1', 'pods')!;
  const involved = (rs: KubeObject) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', obj: rs });

  const sync = (key: string): void => {
    const s = ctx.store.get('replicasets.apps', key);
    if (!s) return;
    const rs = s.obj;
    if (isTerminating(rs)) return;
    const meta = rs.metadata as Obj;
    const uid = meta.uid as string;
    const spec = (rs.spec as Obj) ?? {};
    const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
    const tpl = spec.template as Obj | undefined;
    let pods = owned(ctx, 'pods', s.ns, uid).filter(activePod);
    if (pods.length < replicas) {
      pods.push(
        ...createPodsFromTemplate(
          ctx,
          events,
          {
            ns: s.ns,
            name: s.name,
            template: tpl,
            owner: ownerRef(rs, 'apps/v1', 'ReplicaSet'),
            involved: involved(rs),
            component: 'replicaset-controller',
          },
          replicas - pods.length,
        ),
      );
    } else if (pods.length > replicas) {
      const extra = [...pods].sort(deletionOrder).slice(0, pods.length - replicas);
      for (const p of extra) {
        remove(ctx, podRt, s.ns, p.metadata.name);
        events.event(
          { component: 'replicaset-controller' },
          involved(rs),
          'Normal',
          'SuccessfulDelete',
          `Deleted pod: ${p.metadata.name}`,
        );
      }
      const gone = new Set(extra);
      pods = pods.filter((p) => !gone.has(p));
    }
    const tplLabels =
      ((tpl?.metadata as Obj | undefined)?.labels as Record<string, string> | undefined) ?? {};
    const labelled = pods.filter((p) => hasLabels(p.metadata.labels, tplLabels)).length;
    const ready = pods.filter(isReady).length;
    updateStatus(ctx, rsRt, s.ns, s.name, (o) => {
      const status: Obj = { replicas: pods.length };
      if (labelled) status.fullyLabeledReplicas = labelled;
      if (ready) status.readyReplicas = ready;
      if (ready) status.availableReplicas = ready;
      status.observedGeneration = meta.generation;
      o.status = status;
    });
  };

  return ownerController(ctx, 'replicasets.apps', sync, { syncDelayMs });
}
