/**
 * Simulated scheduler + kubelet. The scheduler binds pods of the default scheduler to a simulated
 * node that fits (node name affinity of DaemonSet pods, nodeSelector) with one pods/binding write,
 * like kube-scheduler; the kubelet moves pods on its nodes Pending → Running → Ready after the
 * configured delays, and pods that do not restart (restartPolicy Never/OnFailure) to Succeeded after
 * `jobs.runDuration`. Every step is a real update that watchers see, with the scheduler's and
 * kubelet's events. Without a fitting node pods stay Pending (Unschedulable).
 */
import type { ApiContext } from '../api/context.js';
import { nowSeconds } from '../api/objects.js';
import { ApiError } from '../api/status.js';
import { bindPod } from '../builtins/subresources.js';
import { sampleLatency } from '../http/knobs.js';
import type { LatencyModel } from '../options.js';
import type { KubeObject, StoreEvent } from '../store/store.js';
import { remove, update } from './controller-kit.js';
import type { EventRecorder } from './events.js';
import { nodeIp } from './nodes.js';
import { hasLabels, pinnedNode } from './workloads.js';

type Obj = Record<string, unknown>;

export interface PodDelays {
  schedule: LatencyModel;
  running: LatencyModel;
  ready: LatencyModel;
  terminate: LatencyModel;
  /** How long a container of a pod that does not restart runs before it exits 0. */
  complete: LatencyModel;
}

const containersOf = (pod: KubeObject): Obj[] =>
  (((pod.spec as Obj | undefined)?.containers as Obj[] | undefined) ?? []).filter(Boolean);

export function startPodLifecycle(
  ctx: ApiContext,
  nodes: string[],
  delays: PodDelays,
  events: EventRecorder,
): () => void {
  const rt = ctx.registry.get('v1', 'pods')!;
  const timers = new Set<NodeJS.Timeout>();
  let nextNode = 0;
  let nextIp = 0;
  let stopped = false;

  const later = (model: LatencyModel, fn: () => void): void => {
    if (stopped) return;
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) fn();
    }, sampleLatency(model));
    t.unref();
    timers.add(t);
  };

  /** The kubelet's write of a pod's status; false when the pod is gone. */
  const kubeletStatus = (ns: string, name: string, mutate: (p: KubeObject) => void): boolean =>
    update(ctx, rt, ns, name, 'kubelet', mutate, 'status');

  const kubeletEvent = (pod: KubeObject, node: string, reason: string, message: string, container: string) =>
    events.event(
      { component: 'kubelet', host: node },
      { apiVersion: 'v1', kind: 'Pod', obj: pod, fieldPath: `spec.containers{${container}}` },
      'Normal',
      reason,
      message,
    );

  /** Statuses of the pod's containers, running or (a pod that does not restart) exited 0. */
  const containerStatuses = (
    pod: KubeObject,
    state: 'running' | 'terminated',
    ready: boolean,
    startedAt: string,
  ): Obj[] =>
    containersOf(pod).map((c) => {
      const containerID = `kubeperf://${String(pod.metadata.uid)}/${String(c.name)}`;
      return {
        name: c.name,
        state:
          state === 'running'
            ? { running: { startedAt } }
            : {
                terminated: {
                  exitCode: 0,
                  reason: 'Completed',
                  startedAt,
                  finishedAt: nowSeconds(),
                  containerID,
                },
              },
        lastState: {},
        ready,
        restartCount: 0,
        image: c.image,
        imageID: `kubeperf://${String(c.image)}`,
        containerID,
        started: state === 'running',
      };
    });

  const condition = (type: string, status: string, now: string, reason?: string): Obj => ({
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: now,
    ...(reason ? { reason } : {}),
  });

  /** Flips the pod's Ready and ContainersReady conditions; returns its (mutated) status. */
  const setReadiness = (p: Obj, status: 'True' | 'False', at: string, reason?: string): Obj => {
    const st = (p.status as Obj) ?? {};
    st.conditions = ((st.conditions as Obj[]) ?? []).map((c) =>
      c.type === 'Ready' || c.type === 'ContainersReady'
        ? { ...c, status, lastTransitionTime: at, ...(reason ? { reason } : {}) }
        : c,
    );
    p.status = st;
    return st;
  };

  const nodeLabels = (node: string): Record<string, string> =>
    (ctx.store.get('nodes', node)?.obj.metadata.labels as Record<string, string> | undefined) ?? {};

  const unschedulable = (pod: KubeObject, message: string): void => {
    const { namespace: ns = '', name } = pod.metadata;
    update(
      ctx,
      rt,
      ns,
      name,
      'kube-scheduler',
      (p) => {
        p.status = {
          ...((p.status as Obj) ?? {}),
          phase: 'Pending',
          conditions: [{ ...condition('PodScheduled', 'False', nowSeconds(), 'Unschedulable'), message }],
        };
      },
      'status',
    );
    events.eventV1(
      'default-scheduler',
      'default-scheduler-kubeperf',
      { apiVersion: 'v1', kind: 'Pod', obj: pod },
      'Warning',
      'FailedScheduling',
      'Scheduling',
      message,
    );
  };

  const schedule = (ns: string, name: string): void => {
    const cur = ctx.store.get('pods', `${ns}/${name}`);
    if (!cur || cur.obj.metadata.deletionTimestamp) return;
    const spec = (cur.obj.spec as Obj) ?? {};
    if (spec.nodeName) return;
    if (!nodes.length)
      return unschedulable(cur.obj, '0/0 nodes are available: no nodes available to schedule pods.');
    const pinned = pinnedNode(spec);
    const selector = (spec.nodeSelector as Record<string, string> | undefined) ?? {};
    const fits = (n: string) => (pinned === undefined || pinned === n) && hasLabels(nodeLabels(n), selector);
    let node: string | undefined;
    for (let i = 0; i < nodes.length && node === undefined; i++) {
      const n = nodes[(nextNode + i) % nodes.length]!;
      if (fits(n)) node = n;
    }
    if (node === undefined) {
      const n = nodes.length;
      return unschedulable(
        cur.obj,
        `0/${n} nodes are available: ${n} node(s) didn't match Pod's node affinity/selector. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling..`,
      );
    }
    nextNode = (nodes.indexOf(node) + 1) % nodes.length;
    try {
      bindPod(ctx, ns, name, node);
    } catch (e) {
      if (e instanceof ApiError) return;
      throw e;
    }
    events.eventV1(
      'default-scheduler',
      'default-scheduler-kubeperf',
      { apiVersion: 'v1', kind: 'Pod', obj: cur.obj },
      'Normal',
      'Scheduled',
      'Binding',
      `Successfully assigned ${ns}/${name} to ${node}`,
    );
  };

  /** Kubelet part: the pod's containers "start", become ready, and (if they do not restart) finish. */
  const start = (ns: string, name: string, node: string): void => {
    const nodeIndex = Number(node.slice(node.lastIndexOf('-') + 1));
    const podIp = `10.244.${Math.floor(nextIp / 250) % 250}.${(nextIp++ % 250) + 2}`;
    later(delays.running, () => {
      const now = nowSeconds();
      let pod: KubeObject | undefined;
      const ok = kubeletStatus(ns, name, (p) => {
        p.status = {
          ...((p.status as Obj) ?? {}),
          phase: 'Running',
          hostIP: nodeIp(nodeIndex),
          podIP: podIp,
          podIPs: [{ ip: podIp }],
          startTime: now,
          conditions: [
            condition('Initialized', 'True', now),
            condition('Ready', 'False', now),
            condition('ContainersReady', 'False', now),
            condition('PodScheduled', 'True', now),
          ],
          containerStatuses: containerStatuses(p, 'running', false, now),
        };
        pod = p;
      });
      if (!ok) return;
      for (const c of containersOf(pod!)) {
        const cn = String(c.name);
        kubeletEvent(
          pod!,
          node,
          'Pulled',
          `Container image "${String(c.image)}" already present on machine`,
          cn,
        );
        kubeletEvent(pod!, node, 'Created', `Created container ${cn}`, cn);
        kubeletEvent(pod!, node, 'Started', `Started container ${cn}`, cn);
      }
      later(delays.ready, () => {
        let restarts = true;
        kubeletStatus(ns, name, (p) => {
          const ready = nowSeconds();
          const st = setReadiness(p, 'True', ready);
          st.containerStatuses = containerStatuses(p, 'running', true, (st.startTime as string) ?? ready);
          restarts = ((p.spec as Obj | undefined)?.restartPolicy ?? 'Always') === 'Always';
        });
        if (!restarts) later(delays.complete, () => complete(ns, name));
      });
    });
  };

  /** Containers of a pod that does not restart exit 0: the pod Succeeded. */
  const complete = (ns: string, name: string): void => {
    kubeletStatus(ns, name, (p) => {
      if (p.metadata.deletionTimestamp) return;
      const done = nowSeconds();
      const st = setReadiness(p, 'False', done, 'PodCompleted');
      st.phase = 'Succeeded';
      st.containerStatuses = containerStatuses(p, 'terminated', false, (st.startTime as string) ?? done);
    });
  };

  /** Kubelet: a terminating pod on one of our nodes stops its containers, then is removed. */
  const terminate = (ns: string, name: string): void => {
    const cur = ctx.store.get('pods', `${ns}/${name}`);
    if (!cur) return;
    const node = String((cur.obj.spec as Obj).nodeName);
    for (const c of containersOf(cur.obj))
      kubeletEvent(cur.obj, node, 'Killing', `Stopping container ${String(c.name)}`, String(c.name));
    kubeletStatus(ns, name, (p) => {
      setReadiness(p, 'False', nowSeconds());
    });
    remove(ctx, rt, ns, name, 'Background', 0);
  };

  const unsubscribe = ctx.store.subscribe('pods', (e: StoreEvent) => {
    const spec = e.cur.obj.spec as Obj | undefined;
    const nodeName = typeof spec?.nodeName === 'string' ? spec.nodeName : '';
    const { ns, name } = e.cur;
    if (e.type === 'MODIFIED') {
      const prevNode = (e.prev?.obj.spec as Obj | undefined)?.nodeName;
      const meta = e.cur.obj.metadata as Obj;
      if (meta.deletionTimestamp && !e.prev?.obj.metadata.deletionTimestamp && nodes.includes(nodeName))
        later(delays.terminate, () => terminate(ns, name));
      // Bound now (by our scheduler or any client's pods/binding): the node's kubelet takes over.
      else if (!prevNode && nodes.includes(nodeName)) start(ns, name, nodeName);
      return;
    }
    if (e.type !== 'ADDED') return;
    if (nodeName) {
      // Pre-bound pod: only "run" it when the node is one of ours.
      if (nodes.includes(nodeName)) start(ns, name, nodeName);
      return;
    }
    const schedulerName = spec?.schedulerName ?? 'default-scheduler';
    if (schedulerName === 'default-scheduler') later(delays.schedule, () => schedule(ns, name));
  });
  return () => {
    stopped = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
  };
}
