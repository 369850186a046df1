/**
 * Simulated StatefulSet and DaemonSet controllers.
 *  - StatefulSet: pods `<name>-0 … <name>-N-1` (hostname/subdomain set, controller-revision-hash and
 *    pod-name/pod-index labels); OrderedReady creates one ordinal at a time once the lower ones are
 *    Ready, Parallel all at once; scale-down and rolling updates go from the highest ordinal.
 *  - DaemonSet: one pod per Node matching the template's nodeSelector, pinned with the node-name
 *    affinity the real controller uses (the simulated scheduler honours it); outdated pods are
 *    replaced maxUnavailable at a time.
 * Status fields and events follow kube-controller-manager's.
 */
import type { ApiContext } from '../api/context.js';
import type { KubeObject, StoreEvent } from '../store/store.js';
import { create, remove, update, WorkQueue } from './controller-kit.js';
import type { EventRecorder } from './events.js';
import { activePod } from './replicasets.js';
import {
  controllerManager,
  controllerUid,
  isReady,
  isTerminating,
  owned,
  ownerRef,
  pinnedNode,
  podFromTemplate,
  scaled,
  templateHash,
} from './workloads.js';

type Obj = Record<string, unknown>;
const revisionLabel = 'controller-revision-hash';

/** A controller over one workload kind: resyncs on spec changes and on its pods' changes. */
function podController(
  ctx: ApiContext,
  storageKey: string,
  sync: (key: string) => void,
  also?: (queue: WorkQueue) => () => void,
): () => void {
  const byUid = new Map<string, string>();
  const queue = new WorkQueue((key) => {
    const s = ctx.store.get(storageKey, key);
    if (s) byUid.set(s.obj.metadata.uid as string, key);
    sync(key);
  });
  const unsubs = [
    ctx.store.subscribe(storageKey, (e: StoreEvent) => {
      if (e.type === 'DELETED') {
        byUid.delete(e.cur.obj.metadata.uid as string);
        return;
      }
      if (
        e.type === 'MODIFIED' &&
        e.prev &&
        JSON.stringify(e.prev.obj.spec) === JSON.stringify(e.cur.obj.spec)
      )
        return;
      queue.add(e.cur.key);
    }),
    ctx.store.subscribe('pods', (e: StoreEvent) => {
      const uid = controllerUid(e.cur.obj);
      const key = uid && byUid.get(uid);
      if (key) queue.add(key);
    }),
    ...(also ? [also(queue)] : []),
  ];
  return () => {
    queue.stop();
    for (const u of unsubs) u();
  };
}

export function startStatefulSetController(ctx: ApiContext, events: EventRecorder): () => void {
  const ssRt = ctx.registry.get('apps/v1', 'statefulsets')!;
  const podRt = ctx.registry.get('v1', 'pods')!;
  return podController(ctx, 'statefulsets.apps', (key) => {
    const s = ctx.store.get('statefulsets.apps', key);
    if (!s || isTerminating(s.obj)) return;
    const ss = s.obj;
    const spec = (ss.spec as Obj) ?? {};
    const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
    const parallel = spec.podManagementPolicy === 'Parallel';
    const revision = `${s.name}-${templateHash(spec.template)}`;
    const involved = { apiVersion: 'apps/v1', kind: 'StatefulSet', obj: ss };
    const byName = new Map(
      owned(ctx, 'pods', s.ns, ss.metadata.uid as string)
        .filter(activePod)
        .map((p) => [p.metadata.name, p]),
    );
    const podName = (i: number) => `${s.name}-${i}`;
    const allReady = (below: number) =>
      [...Array(below).keys()].every((i) => byName.has(podName(i)) && isReady(byName.get(podName(i))!));
    const ref = ownerRef(ss, 'apps/v1', 'StatefulSet');
    for (let i = 0; i < replicas; i++) {
      if (byName.has(podName(i))) continue;
      if (!parallel && !allReady(i)) break;
      const pod = create(
        ctx,
        podRt,
        s.ns,
        controllerManager,
        podFromTemplate(
          spec.template as Obj,
          ref,
          { name: podName(i) },
          {
            [revisionLabel]: revision,
            'statefulset.kubernetes.io/pod-name': podName(i),
            'apps.kubernetes.io/pod-index': String(i),
          },
          { hostname: podName(i), ...(spec.serviceName ? { subdomain: spec.serviceName } : {}) },
        ),
      );
      if (!pod) break;
      byName.set(pod.metadata.name, pod);
      events.event(
        { component: 'statefulset-controller' },
        involved,
        'Normal',
        'SuccessfulCreate',
        `create Pod ${pod.metadata.name} in StatefulSet ${s.name} successful`,
      );
      if (!parallel) break;
    }
    const ordinals = [...byName.keys()].map((n) => Number(n.slice(s.name.length + 1))).sort((a, b) => b - a);
    const drop = (name: string) => {
      remove(ctx, podRt, s.ns, name);
      byName.delete(name);
      events.event(
        { component: 'statefulset-controller' },
        involved,
        'Normal',
        'SuccessfulDelete',
        `delete Pod ${name} in StatefulSet ${s.name} successful`,
      );
    };
    for (const i of ordinals) {
      if (i < replicas) break;
      drop(podName(i));
      if (!parallel) break;
    }
    const updateType =
      ((spec.updateStrategy as Obj | undefined)?.type as string | undefined) ?? 'RollingUpdate';
    if (updateType === 'RollingUpdate' && [...byName.values()].every(isReady)) {
      const outdated = ordinals.find(
        (i) => i < replicas && byName.get(podName(i))?.metadata.labels?.[revisionLabel] !== revision,
      );
      if (outdated !== undefined) drop(podName(outdated));
    }
    const pods = [...byName.values()];
    const updated = pods.filter((p) => p.metadata.labels?.[revisionLabel] === revision).length;
    const ready = pods.filter(isReady).length;
    update(
      ctx,
      ssRt,
      s.ns,
      s.name,
      controllerManager,
      (o) => {
        o.status = {
          observedGeneration: ss.metadata.generation,
          replicas: pods.length,
          ...(ready ? { readyReplicas: ready } : {}),
          currentReplicas: updated,
          updatedReplicas: updated,
          currentRevision: revision,
          updateRevision: revision,
          collisionCount: 0,
          availableReplicas: ready,
        };
      },
      'status',
    );
  });
}

const daemonTolerations = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

export function startDaemonSetController(ctx: ApiContext, events: EventRecorder): () => void {
  const dsRt = ctx.registry.get('apps/v1', 'daemonsets')!;
  const podRt = ctx.registry.get('v1', 'pods')!;
  const pinned = (p: KubeObject) => pinnedNode((p.spec as Obj) ?? {}) ?? '';
  return podController(
    ctx,
    'daemonsets.apps',
    (key) => {
      const s = ctx.store.get('daemonsets.apps', key);
      if (!s || isTerminating(s.obj)) return;
      const ds = s.obj;
      const spec = (ds.spec as Obj) ?? {};
      const tpl = (spec.template as Obj) ?? {};
      const selector = (((tpl.spec as Obj | undefined)?.nodeSelector as Record<string, string> | undefined) ??
        {}) as Record<string, string>;
      const nodes = ctx.store
        .sortedKeys('nodes')
        .map((k) => ctx.store.get('nodes', k)!.obj)
        .filter((n) => Object.entries(selector).every(([k, v]) => n.metadata.labels?.[k] === v))
        .map((n) => n.metadata.name);
      const hash = templateHash(tpl);
      const involved = { apiVersion: 'apps/v1', kind: 'DaemonSet', obj: ds };
      const ref = ownerRef(ds, 'apps/v1', 'DaemonSet');
      const pods = owned(ctx, 'pods', s.ns, ds.metadata.uid as string).filter(activePod);
      const byNode = new Map(pods.map((p) => [pinned(p), p]));
      for (const node of nodes) {
        if (byNode.has(node)) continue;
        const tplSpec = (tpl.spec as Obj) ?? {};
        const tolerations = [...((tplSpec.tolerations as Obj[] | undefined) ?? [])];
        for (const t of daemonTolerations)
          if (!tolerations.some((x) => x.key === t.key)) tolerations.push({ ...t });
        const pod = create(
          ctx,
          podRt,
          s.ns,
          controllerManager,
          podFromTemplate(
            tpl,
            ref,
            { generateName: `${s.name}-` },
            { [revisionLabel]: hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) },
            {
              affinity: {
                ...((tplSpec.affinity as Obj | undefined) ?? {}),
                nodeAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [
                      { matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] },
                    ],
                  },
                },
              },
              tolerations,
            },
          ),
        );
        if (!pod) continue;
        byNode.set(node, pod);
        events.event(
          { component: 'daemonset-controller' },
          involved,
          'Normal',
          'SuccessfulCreate',
          `Created pod: ${pod.metadata.name}`,
        );
      }
      // Pods on nodes that no longer qualify, then outdated pods within maxUnavailable.
      for (const [node, p] of byNode)
        if (!nodes.includes(node)) {
          remove(ctx, podRt, s.ns, p.metadata.name);
          byNode.delete(node);
        }
      const ru = ((spec.updateStrategy as Obj | undefined)?.rollingUpdate as Obj | undefined) ?? {};
      if (((spec.updateStrategy as Obj | undefined)?.type ?? 'RollingUpdate') === 'RollingUpdate') {
        let budget =
          Math.max(1, scaled(ru.maxUnavailable ?? 1, nodes.length, false)) -
          [...byNode.values()].filter((p) => !isReady(p)).length;
        for (const [node, p] of byNode) {
          if (budget <= 0) break;
          if (p.metadata.labels?.[revisionLabel] === hash) continue;
          remove(ctx, podRt, s.ns, p.metadata.name);
          events.event(
            { component: 'daemonset-controller' },
            involved,
            'Normal',
            'SuccessfulDelete',
            `Deleted pod: ${p.metadata.name}`,
          );
          byNode.delete(node);
          budget--;
        }
      }
      const current = [...byNode.values()];
      const ready = current.filter(isReady).length;
      const updatedCount = current.filter((p) => p.metadata.labels?.[revisionLabel] === hash).length;
      update(
        ctx,
        dsRt,
        s.ns,
        s.name,
        controllerManager,
        (o) => {
          o.status = {
            currentNumberScheduled: current.length,
            numberMisscheduled: 0,
            desiredNumberScheduled: nodes.length,
            numberReady: ready,
            observedGeneration: ds.metadata.generation,
            ...(updatedCount ? { updatedNumberScheduled: updatedCount } : {}),
            ...(ready ? { numberAvailable: ready } : {}),
            ...(nodes.length - ready > 0 ? { numberUnavailable: nodes.length - ready } : {}),
          };
        },
        'status',
      );
    },
    (queue) =>
      ctx.store.subscribe('nodes', () => {
        for (const k of ctx.store.sortedKeys('daemonsets.apps')) queue.add(k);
      }),
  );
}
