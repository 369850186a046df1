/**
 * Simulated deployment controller: keeps `spec.replicas` pods of the current template (owned by
 * the Deployment, labelled with pod-template-hash; ReplicaSets are not simulated), replaces pods of
 * an old template once new ones are ready, and reports status (replicas, updated, ready, available,
 * observedGeneration, Available/Progressing conditions) as real status updates.
 */
import { createHash } from 'node:crypto';
import type { ApiContext } from '../api/context.js';
import { nowSeconds } from '../api/objects.js';
import type { KubeObject, StoreEvent } from '../store/store.js';
import { create, remove, update, WorkQueue } from './controller-kit.js';

type Obj = Record<string, unknown>;
const manager = 'kube-controller-manager';

function templateHash(tpl: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(tpl ?? {}))
    .digest('hex')
    .slice(0, 10)
    .replace(/[aeiou]/g, 'x');
}

function isReady(pod: KubeObject): boolean {
  const conds = ((pod.status as Obj | undefined)?.conditions as Obj[] | undefined) ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

function ownerUid(pod: KubeObject): string | undefined {
  const refs = (pod.metadata as Obj).ownerReferences as Obj[] | undefined;
  return refs?.find((r) => r.kind === 'Deployment' && r.controller === true)?.uid as string | undefined;
}

export function startDeploymentController(ctx: ApiContext, syncDelayMs: () => number): () => void {
  const deployRt = ctx.registry.get('apps/v1', 'deployments')!;
  const podRt = ctx.registry.get('v1', 'pods')!;
  /** deployment uid → "ns/name". */
  const byUid = new Map<string, string>();

  const sync = (key: string): void => {
    const d = ctx.store.get('deployments.apps', key);
    if (!d) return;
    const meta = d.obj.metadata as Obj;
    if (meta.deletionTimestamp) return;
    const spec = (d.obj.spec as Obj) ?? {};
    const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
    const tpl = (spec.template as Obj) ?? {};
    const hash = templateHash(tpl);
    const uid = meta.uid as string;
    byUid.set(uid, key);
    const pods: KubeObject[] = [];
    const prefix = `${d.ns}/`;
    const objects = ctx.store.objects('pods');
    for (const k of ctx.store.sortedKeys('pods')) {
      if (!k.startsWith(prefix)) continue;
      const p = objects.get(k)!.obj;
      if (ownerUid(p) === uid && !(p.metadata as Obj).deletionTimestamp) pods.push(p);
    }
    const current = pods.filter((p) => p.metadata.labels?.['pod-template-hash'] === hash);
    const old = pods.filter((p) => p.metadata.labels?.['pod-template-hash'] !== hash);
    // Scale the current template to the desired count.
    for (let i = current.length; i < replicas; i++) {
      const tplMeta = (tpl.metadata as Obj) ?? {};
      const created = create(ctx, podRt, d.ns, manager, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: '',
          generateName: `${d.name}-${hash}-`,
          namespace: d.ns,
          labels: { ...((tplMeta.labels as Record<string, string>) ?? {}), 'pod-template-hash': hash },
          ...(tplMeta.annotations ? { annotations: tplMeta.annotations } : {}),
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: d.name,
              uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: structuredClone(tpl.spec ?? { containers: [] }),
      });
      if (created) current.push(created);
    }
    if (current.length > replicas) {
      const extra = current
        .filter((p) => !isReady(p))
        .concat(current.filter(isReady))
        .slice(0, current.length - replicas);
      for (const p of extra) remove(ctx, podRt, d.ns, p.metadata.name);
    }
    const readyCurrent = current.filter(isReady).length;
    // Old template pods go once the new ones are ready (roll forward).
    if (old.length && readyCurrent >= Math.min(replicas, current.length)) {
      for (const p of old) remove(ctx, podRt, d.ns, p.metadata.name);
    }
    const all = current.length + (readyCurrent >= replicas ? 0 : old.length);
    const ready = readyCurrent + (readyCurrent >= replicas ? 0 : old.filter(isReady).length);
    const generation = meta.generation as number;
    update(
      ctx,
      deployRt,
      d.ns,
      d.name,
      manager,
      (o) => {
        const now = nowSeconds();
        const prev = (o.status as Obj) ?? {};
        const prevConds = (prev.conditions as Obj[] | undefined) ?? [];
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
        const available = ready >= replicas;
        const status: Obj = {
          observedGeneration: generation,
          replicas: all,
          updatedReplicas: current.length,
          readyReplicas: ready,
          availableReplicas: ready,
          conditions: [
            cond(
              'Available',
              available ? 'True' : 'False',
              available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
              available
                ? 'Deployment has minimum availability.'
                : 'Deployment does not have minimum availability.',
            ),
            cond(
              'Progressing',
              'True',
              readyCurrent >= replicas ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
              readyCurrent >= replicas
                ? `ReplicaSet "${d.name}-${hash}" has successfully progressed.`
                : `ReplicaSet "${d.name}-${hash}" is progressing.`,
            ),
          ],
        };
        if (ready === 0) delete status.readyReplicas;
        if (ready === 0) delete status.availableReplicas;
        if (all - ready > 0) status.unavailableReplicas = all - ready;
        o.status = status;
      },
      'status',
    );
  };

  const queue = new WorkQueue(sync, ctx.controllers?.controller('deployment'));
  const unsubs = [
    ctx.store.subscribe('deployments.apps', (e: StoreEvent) => {
      if (e.type === 'DELETED') {
        byUid.delete(e.cur.obj.metadata.uid as string);
        return;
      }
      // Own status writes do not need a resync.
      if (
        e.type === 'MODIFIED' &&
        e.prev &&
        JSON.stringify(e.prev.obj.spec) === JSON.stringify(e.cur.obj.spec)
      )
        return;
      queue.add(e.cur.key, syncDelayMs());
    }),
    ctx.store.subscribe('pods', (e: StoreEvent) => {
      const uid = ownerUid(e.cur.obj);
      if (!uid) return;
      const key = byUid.get(uid);
      if (key) queue.add(key);
    }),
  ];
  return () => {
    queue.stop();
    for (const u of unsubs) u();
  };
}
