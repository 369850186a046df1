/**
 * Simulated deployment controller, as kube-controller-manager's: a Deployment owns ReplicaSets named
 * `<deployment>-<pod-template-hash>` (which own the pods). A new template gets a new ReplicaSet with
 * the next `deployment.kubernetes.io/revision`; RollingUpdate scales it up within maxSurge and the old
 * ones down as new pods become available (within maxUnavailable), Recreate scales the old ones to
 * zero first. Old ReplicaSets beyond revisionHistoryLimit are deleted. Status (replicas, updated,
 * ready, available, unavailable, observedGeneration, Available/Progressing conditions) and the
 * ScalingReplicaSet events are the real ones.
 */
import type { ApiContext } from '../api/context.js';
import { jsonEqual, nowSeconds } from '../api/objects.js';
import type { KubeObject } from '../store/store.js';
import { create, remove, update } from './controller-kit.js';
import type { EventRecorder } from './events.js';
import {
  activePod,
  controllerManager,
  isTerminating,
  owned,
  ownerController,
  ownerRef,
  scaled,
  templateHash,
  updateStatus,
} from './workloads.js';

type Obj = Record<string, unknown>;
const hashLabel = 'pod-template-hash';
const revisionKey = 'deployment.kubernetes.io/revision';

const replicasOf = (rs: KubeObject): number => Number(((rs.spec as Obj) ?? {}).replicas ?? 0);
const statusNum = (rs: KubeObject, f: string): number => Number(((rs.status as Obj) ?? {})[f] ?? 0);
const annotationsOf = (o: KubeObject): Record<string, string> =>
  (o.metadata.annotations as Record<string, string> | undefined) ?? {};
const revisionOf = (rs: KubeObject): number => Number(annotationsOf(rs)[revisionKey] ?? 0);

function withoutHash(tpl: unknown): unknown {
  const t = structuredClone((tpl ?? {}) as Obj);
  const labels = (t.metadata as Obj | undefined)?.labels as Record<string, string> | undefined;
  if (labels) delete labels[hashLabel];
  return t;
}

export function startDeploymentController(
  ctx: ApiContext,
  events: EventRecorder,
  syncDelayMs: () => number,
): () => void {
  const deployRt = ctx.registry.get('apps/v1', 'deployments')!;
  const rsRt = ctx.registry.get('apps/v1', 'replicasets')!;

  const sync = (key: string): void => {
    const s = ctx.store.get('deployments.apps', key);
    if (!s) return;
    const d = s.obj;
    if (isTerminating(d)) return;
    const meta = d.metadata as Obj;
    const uid = meta.uid as string;
    const spec = (d.spec as Obj) ?? {};
    const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
    const tpl = (spec.template as Obj) ?? {};
    const strategy = (spec.strategy as Obj) ?? {};
    const ru = (strategy.rollingUpdate as Obj) ?? {};
    let maxSurge = scaled(ru.maxSurge, replicas, true);
    let maxUnavailable = scaled(ru.maxUnavailable, replicas, false);
    if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    if (strategy.type === 'Recreate') maxSurge = maxUnavailable = 0;
    const involved = { apiVersion: 'apps/v1', kind: 'Deployment', obj: d };
    const record = (message: string) =>
      events.event({ component: 'deployment-controller' }, involved, 'Normal', 'ScalingReplicaSet', message);

    const all = owned(ctx, 'replicasets.apps', s.ns, uid).filter((rs) => !isTerminating(rs));
    const wanted = withoutHash(tpl);
    let newRs = all.find((rs) => jsonEqual(withoutHash((rs.spec as Obj).template), wanted));
    const old = all.filter((rs) => rs !== newRs);
    const maxRevision = all.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
    const oldActive = () =>
      old.some(
        (rs) => replicasOf(rs) > 0 || owned(ctx, 'pods', s.ns, rs.metadata.uid as string).some(activePod),
      );
    let progressing: [string, string] | undefined;

    const scaleRs = (rs: KubeObject, to: number): KubeObject => {
      const from = replicasOf(rs);
      if (from === to) return rs;
      let out = rs;
      update(ctx, rsRt, s.ns, rs.metadata.name, controllerManager, (o) => {
        (o.spec as Obj).replicas = to;
        o.metadata.annotations = {
          ...(o.metadata.annotations ?? {}),
          'deployment.kubernetes.io/desired-replicas': String(replicas),
          'deployment.kubernetes.io/max-replicas': String(replicas + maxSurge),
        };
        out = o;
      });
      record(`Scaled ${from < to ? 'up' : 'down'} replica set ${rs.metadata.name} to ${to} from ${from}`);
      return out;
    };

    if (!newRs) {
      const hash = templateHash(tpl);
      const total = old.reduce((n, rs) => n + replicasOf(rs), 0);
      const start =
        strategy.type === 'Recreate'
          ? oldActive()
            ? 0
            : replicas
          : old.length
            ? Math.max(0, Math.min(replicas, replicas + maxSurge - total))
            : replicas;
      const sel = (spec.selector as Obj) ?? {};
      const tplMeta = (tpl.metadata as Obj) ?? {};
      const labels = { ...((tplMeta.labels as Record<string, string>) ?? {}), [hashLabel]: hash };
      const rsTemplate = { ...structuredClone(tpl), metadata: { ...structuredClone(tplMeta), labels } };
      newRs = create(ctx, rsRt, s.ns, controllerManager, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${s.name}-${hash}`,
          labels,
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(replicas),
            'deployment.kubernetes.io/max-replicas': String(replicas + maxSurge),
            [revisionKey]: String(maxRevision + 1),
          },
          ownerReferences: [ownerRef(d, 'apps/v1', 'Deployment')],
        },
        spec: {
          replicas: start,
          selector: {
            ...structuredClone(sel),
            matchLabels: { ...((sel.matchLabels as Obj) ?? {}), [hashLabel]: hash },
          },
          template: rsTemplate,
        },
      });
      if (!newRs) return;
      if (start > 0) record(`Scaled up replica set ${newRs.metadata.name} to ${start}`);
      progressing = ['NewReplicaSetCreated', `Created new replica set "${newRs.metadata.name}"`];
    } else if (revisionOf(newRs) < maxRevision) {
      // A rollback to an older template: it becomes the newest revision again.
      update(ctx, rsRt, s.ns, newRs.metadata.name, controllerManager, (o) => {
        o.metadata.annotations = {
          ...(o.metadata.annotations ?? {}),
          [revisionKey]: String(maxRevision + 1),
        };
      });
    }

    if (strategy.type === 'Recreate') {
      for (const rs of old) scaleRs(rs, 0);
      if (!oldActive()) newRs = scaleRs(newRs, replicas);
    } else if (!old.some((rs) => replicasOf(rs) > 0)) {
      newRs = scaleRs(newRs, replicas);
    } else {
      const total =
        all.reduce((n, rs) => n + replicasOf(rs), 0) + (all.includes(newRs) ? 0 : replicasOf(newRs));
      if (replicasOf(newRs) < replicas) {
        const room = replicas + maxSurge - total;
        if (room > 0) newRs = scaleRs(newRs, Math.min(replicas, replicasOf(newRs) + room));
      } else if (replicasOf(newRs) > replicas) newRs = scaleRs(newRs, replicas);
      // Old replica sets go down only as far as availability allows.
      const minAvailable = replicas - maxUnavailable;
      const allTotal = old.reduce((n, rs) => n + replicasOf(rs), 0) + replicasOf(newRs);
      const newUnavailable = replicasOf(newRs) - statusNum(newRs, 'availableReplicas');
      let budget = allTotal - minAvailable - newUnavailable;
      for (const rs of [...old].sort((a, b) => revisionOf(a) - revisionOf(b))) {
        if (budget <= 0) break;
        const r = replicasOf(rs);
        if (r === 0) continue;
        const down = Math.min(r, budget);
        scaleRs(rs, r - down);
        budget -= down;
      }
    }

    // Revision history: delete the oldest scaled-down replica sets beyond the limit.
    const limit = typeof spec.revisionHistoryLimit === 'number' ? spec.revisionHistoryLimit : 10;
    const idle = old
      .filter((rs) => replicasOf(rs) === 0 && statusNum(rs, 'replicas') === 0)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit)))
      remove(ctx, rsRt, s.ns, rs.metadata.name);

    const current = owned(ctx, 'replicasets.apps', s.ns, uid).filter((rs) => !isTerminating(rs));
    const latest = current.find((rs) => rs.metadata.uid === newRs!.metadata.uid) ?? newRs;
    const revision = String(revisionOf(latest));
    if (annotationsOf(d)[revisionKey] !== revision)
      update(ctx, deployRt, s.ns, s.name, controllerManager, (o) => {
        o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [revisionKey]: revision };
      });

    const sum = (f: string) => current.reduce((n, rs) => n + statusNum(rs, f), 0);
    const specTotal = current.reduce((n, rs) => n + replicasOf(rs), 0);
    const available = sum('availableReplicas');
    const updated = statusNum(latest, 'replicas');
    const complete =
      updated === replicas &&
      statusNum(latest, 'availableReplicas') >= replicas &&
      sum('replicas') === replicas;
    const rsName = latest.metadata.name;
    progressing ??= complete
      ? ['NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`]
      : ['ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`];
    updateStatus(ctx, deployRt, s.ns, s.name, (o) => {
      const now = nowSeconds();
      const prevConds = (((o.status as Obj) ?? {}).conditions as Obj[] | undefined) ?? [];
      const cond = (type: string, status: string, reason: string, message: string): Obj => {
        const before = prevConds.find((c) => c.type === type);
        const same = before && before.status === status;
        return {
          type,
          status,
          lastUpdateTime: same && before.reason === reason ? before.lastUpdateTime : now,
          lastTransitionTime: same ? before.lastTransitionTime : now,
          reason,
          message,
        };
      };
      const isAvailable = available >= replicas - maxUnavailable;
      const status: Obj = { observedGeneration: meta.generation };
      if (sum('replicas')) status.replicas = sum('replicas');
      if (updated) status.updatedReplicas = updated;
      if (sum('readyReplicas')) status.readyReplicas = sum('readyReplicas');
      if (available) status.availableReplicas = available;
      if (specTotal - available > 0) status.unavailableReplicas = specTotal - available;
      status.conditions = [
        cond(
          'Available',
          isAvailable ? 'True' : 'False',
          isAvailable ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
          isAvailable
            ? 'Deployment has minimum availability.'
            : 'Deployment does not have minimum availability.',
        ),
        cond('Progressing', 'True', progressing![0], progressing![1]),
      ];
      o.status = status;
    });
  };

  // A replica set's changes resync its deployment.
  return ownerController(ctx, 'deployments.apps', sync, {
    owns: 'replicasets.apps',
    meter: ctx.controllers?.controller('deployment'),
    syncDelayMs,
  });
}
