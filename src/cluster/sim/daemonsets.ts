/**
 * Simulated DaemonSet controller: one pod per Node matching the template's nodeSelector, pinned with
 * the node-name affinity the real controller uses (the simulated scheduler honours it); pods on nodes
 * that no longer qualify go, outdated pods are replaced maxUnavailable at a time. Status fields and
 * events follow kube-controller-manager's.
 */
import type { ApiContext } from '../api/context.js';
import type { KubeObject } from '../store/store.js';
import { create, remove } from './controller-kit.js';
import type { EventRecorder } from './events.js';
import {
  activePod,
  controllerManager,
  hasLabels,
  isReady,
  isTerminating,
  owned,
  ownerRef,
  ownerController,
  pinnedNode,
  podFromTemplate,
  revisionLabel,
  scaled,
  templateHash,
  updateStatus,
} from './workloads.js';

type Obj = Record<string, unknown>;

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
  return ownerController(
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
        .filter((n) => hasLabels(n.metadata.labels, selector))
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
      updateStatus(ctx, dsRt, s.ns, s.name, (o) => {
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
      });
    },
    {
      also: (queue) =>
        ctx.store.subscribe('nodes', () => {
          for (const k of ctx.store.sortedKeys('daemonsets.apps')) queue.add(k);
        }),
    },
  );
}
