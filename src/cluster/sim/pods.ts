/**
 * Simulated scheduler + kubelet: pods get a node (spec.nodeName via a status-less binding write),
 * then move Pending → Running → Ready after the configured delays. Every step is a real update that
 * watchers see. Without simulated nodes pods stay Pending (Unschedulable), like a cluster without
 * nodes.
 */
import type { ApiContext } from '../api/context.js';
import { nowSeconds } from '../api/objects.js';
import { sampleLatency } from '../http/knobs.js';
import type { LatencyModel } from '../options.js';
import type { KubeObject, StoreEvent } from '../store/store.js';
import { remove, update } from './controller-kit.js';
import { nodeIp } from './nodes.js';

type Obj = Record<string, unknown>;

export interface PodDelays {
  schedule: LatencyModel;
  running: LatencyModel;
  ready: LatencyModel;
  terminate: LatencyModel;
}

export function startPodLifecycle(ctx: ApiContext, nodes: string[], delays: PodDelays): () => void {
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

  const containerStatuses = (pod: KubeObject, running: boolean, ready: boolean, startedAt: string): Obj[] => {
    const containers = (((pod.spec as Obj | undefined)?.containers as Obj[] | undefined) ?? []).filter(
      Boolean,
    );
    return containers.map((c) => ({
      name: c.name,
      state: running ? { running: { startedAt } } : { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
      ready,
      restartCount: 0,
      image: c.image,
      imageID: `kubeperf://${String(c.image)}`,
      ...(running
        ? { containerID: `kubeperf://${String(pod.metadata.uid)}/${String(c.name)}`, started: true }
        : { started: false }),
    }));
  };

  const condition = (type: string, status: string, now: string): Obj => ({
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: now,
  });

  /** Flips the pod's Ready and ContainersReady conditions; returns its (mutated) status. */
  const setReadiness = (p: Obj, status: 'True' | 'False', at: string): Obj => {
    const st = (p.status as Obj) ?? {};
    st.conditions = ((st.conditions as Obj[]) ?? []).map((c) =>
      c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status, lastTransitionTime: at } : c,
    );
    p.status = st;
    return st;
  };

  const schedule = (ns: string, name: string): void => {
    if (!nodes.length) {
      update(
        ctx,
        rt,
        ns,
        name,
        'kube-scheduler',
        (p) => {
          const now = nowSeconds();
          p.status = {
            ...((p.status as Obj) ?? {}),
            phase: 'Pending',
            conditions: [
              {
                ...condition('PodScheduled', 'False', now),
                reason: 'Unschedulable',
                message: '0/0 nodes are available: no nodes available to schedule pods.',
              },
            ],
          };
        },
        'status',
      );
      return;
    }
    const node = nodes[nextNode++ % nodes.length]!;
    const nodeIndex = Number(node.slice(node.lastIndexOf('-') + 1));
    // Binding: the scheduler sets spec.nodeName (via pods/binding in the real cluster).
    const bound = update(ctx, rt, ns, name, 'kube-scheduler', (p) => {
      (p.spec as Obj).nodeName = node;
    });
    if (!bound) return;
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
          conditions: [condition('PodScheduled', 'True', nowSeconds())],
        };
      },
      'status',
    );
    start(ns, name, nodeIndex);
  };

  /** Kubelet part: the pod's containers "start" and become ready. */
  const start = (ns: string, name: string, nodeIndex: number): void => {
    const podIp = `10.244.${Math.floor(nextIp / 250) % 250}.${(nextIp++ % 250) + 2}`;
    later(delays.running, () => {
      const now = nowSeconds();
      const ok = update(
        ctx,
        rt,
        ns,
        name,
        'kubelet',
        (p) => {
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
            containerStatuses: containerStatuses(p, true, false, now),
          };
        },
        'status',
      );
      if (!ok) return;
      later(delays.ready, () => {
        update(
          ctx,
          rt,
          ns,
          name,
          'kubelet',
          (p) => {
            const ready = nowSeconds();
            const st = setReadiness(p, 'True', ready);
            st.containerStatuses = containerStatuses(p, true, true, (st.startTime as string) ?? ready);
          },
          'status',
        );
      });
    });
  };

  /** Kubelet: a terminating pod on one of our nodes stops its containers, then is removed. */
  const terminate = (ns: string, name: string): void => {
    const cur = ctx.store.get('pods', `${ns}/${name}`);
    if (!cur) return;
    update(
      ctx,
      rt,
      ns,
      name,
      'kubelet',
      (p) => {
        setReadiness(p, 'False', nowSeconds());
      },
      'status',
    );
    remove(ctx, rt, ns, name, 'Background', 0);
  };

  const unsubscribe = ctx.store.subscribe('pods', (e: StoreEvent) => {
    if (e.type === 'MODIFIED' && !e.prev?.obj.metadata.deletionTimestamp) {
      const meta = e.cur.obj.metadata as Obj;
      const nodeName = (e.cur.obj.spec as Obj | undefined)?.nodeName;
      if (meta.deletionTimestamp && typeof nodeName === 'string' && nodes.includes(nodeName)) {
        const { ns, name } = e.cur;
        later(delays.terminate, () => terminate(ns, name));
      }
      return;
    }
    if (e.type !== 'ADDED') return;
    const spec = e.cur.obj.spec as Obj | undefined;
    const { ns, name } = e.cur;
    if (typeof spec?.nodeName === 'string' && spec.nodeName) {
      // Pre-bound pod: only "run" it when the node is one of ours.
      const i = nodes.indexOf(spec.nodeName);
      if (i >= 0) start(ns, name, i);
      return;
    }
    later(delays.schedule, () => schedule(ns, name));
  });
  return () => {
    stopped = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
  };
}
