/**
 * The KWOK-like simulation: nodes, scheduler + kubelet (pod lifecycle), the workload controllers
 * (deployments → replica sets → pods, stateful sets, daemon sets, jobs), endpoints and endpoint
 * slices, pod disruption budgets, resource quota usage, and the events these components record. Started by the server;
 * all writes are ordinary API writes.
 */
import type { ApiContext } from '../api/context.js';
import { sampleLatency } from '../http/knobs.js';
import type { ClusterOptions, LatencyModel } from '../options.js';
import { startDeploymentController } from './deployments.js';
import { startDisruptionController } from './disruption.js';
import { startEndpointsController } from './endpoints.js';
import { eventRecorder } from './events.js';
import { startJobController } from './jobs.js';
import { createNodes } from './nodes.js';
import { startPodLifecycle } from './pods.js';
import { startQuotaController } from './quota.js';
import { startReplicaSetController } from './replicasets.js';
import { startDaemonSetController } from './daemonsets.js';
import { startStatefulSetController } from './statefulsets.js';

/** Defaults: quick but visible steps, in the range KWOK's default stages produce. */
export const defaultPodDelays = {
  schedule: { kind: 'fixed', ms: 5 } as LatencyModel,
  running: { kind: 'fixed', ms: 100 } as LatencyModel,
  ready: { kind: 'fixed', ms: 50 } as LatencyModel,
  terminate: { kind: 'fixed', ms: 50 } as LatencyModel,
  complete: { kind: 'fixed', ms: 1000 } as LatencyModel,
};

/** kube-apiserver's default --event-ttl. */
const eventTtlMs = 60 * 60 * 1000;

export function startSimulation(ctx: ApiContext, opts: ClusterOptions): () => void {
  const events = eventRecorder(ctx, { enabled: opts.events, ttlMs: eventTtlMs });
  const nodes = createNodes(ctx, opts.nodes);
  const syncDelay = () => (opts.deployments?.syncDelay ? sampleLatency(opts.deployments.syncDelay) : 0);
  const stops = [
    startPodLifecycle(
      ctx,
      nodes,
      {
        schedule: opts.pods?.scheduleDelay ?? defaultPodDelays.schedule,
        running: opts.pods?.runningDelay ?? defaultPodDelays.running,
        ready: opts.pods?.readyDelay ?? defaultPodDelays.ready,
        terminate: opts.pods?.terminateDelay ?? defaultPodDelays.terminate,
        complete: opts.jobs?.runDuration ?? defaultPodDelays.complete,
      },
      events,
    ),
    startDeploymentController(ctx, events, syncDelay),
    startReplicaSetController(ctx, events, syncDelay),
    startStatefulSetController(ctx, events),
    startDaemonSetController(ctx, events),
    startJobController(ctx, events),
    startEndpointsController(ctx),
    startDisruptionController(ctx),
    startQuotaController(ctx),
  ];
  return () => {
    for (const s of stops) s();
    events.stop();
  };
}
