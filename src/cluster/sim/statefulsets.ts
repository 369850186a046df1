/**
 * Simulated StatefulSet controller: pods `<name>-0 … <name>-N-1` (hostname/subdomain set,
 * controller-revision-hash and pod-name/pod-index labels); OrderedReady creates one ordinal at a
 * time once the lower ones are Ready, Parallel all at once; scale-down and rolling updates go from
 * the highest ordinal. Status fields and events follow kube-controller-manager's.
 */
import type { ApiContext } from '../api/context.js';
import { create, remove } from './controller-kit.js';
import type { EventRecorder } from './events.js';
import {
  activePod,
  controllerManager,
  isReady,
  ownerController,
  isTerminating,
  owned,
  ownerRef,
  podFromTemplate,
  revisionLabel,
  templateHash,
  updateStatus,
} from './workloads.js';

type Obj = Record<string, unknown>;

export function startStatefulSetController(ctx: ApiContext, events: EventRecorder): () => void {
  const ssRt = ctx.registry.get('apps/v1', 'statefulsets')!;
  const podRt = ctx.registry.get('v1', 'pods')!;
  return ownerController(ctx, 'statefulsets.apps', (key) => {
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
    updateStatus(ctx, ssRt, s.ns, s.name, (o) => {
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
    });
  });
}
