/**
 * The KWOK-like simulation: nodes, scheduler + kubelet (pod lifecycle), deployment and endpoints
 * controllers. Started by the server; all writes are ordinary API writes.
 */
import type { ApiContext } from '../api/context.js';
import { sampleLatency } from '../http/knobs.js';
import type { ClusterOptions, LatencyModel } from '../options.js';
import { startDeploymentController } from './deployments.js';
import { startEndpointsController } from './endpoints.js';
import { createNodes } from './nodes.js';
import { startPodLifecycle } from './pods.js';

/** Defaults: quick but visible steps, in the range KWOK's default stages produce. */
export const defaultPodDelays = {
  schedule: { kind: 'fixed', ms: 5 } as LatencyModel,
  running: { kind: 'fixed', ms: 100 } as LatencyModel,
  ready: { kind: 'fixed', ms: 50 } as LatencyModel,
  terminate: { kind: 'fixed', ms: 50 } as LatencyModel,
};

export function startSimulation(ctx: ApiContext, opts: ClusterOptions): () => void {
  const nodes = createNodes(ctx, opts.nodes);
  const stops = [
    startPodLifecycle(ctx, nodes, {
      schedule: opts.pods?.scheduleDelay ?? defaultPodDelays.schedule,
      running: opts.pods?.runningDelay ?? defaultPodDelays.running,
      ready: opts.pods?.readyDelay ?? defaultPodDelays.ready,
      terminate: opts.pods?.terminateDelay ?? defaultPodDelays.terminate,
    }),
    startDeploymentController(ctx, () =>
      opts.deployments?.syncDelay ? sampleLatency(opts.deployments.syncDelay) : 0,
    ),
    startEndpointsController(ctx),
  ];
  return () => {
    for (const s of stops) s();
  };
}
