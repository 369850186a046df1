/**
 * `simulate-backends`: the cluster simulator of kgateway's load tests, usable on any target before
 * any phase that needs many backends: a namespace with S Services and S EndpointSlices of E ready
 * endpoints each, no pods. S is given, or derived from a route count with kgateway's formula
 * (sizing.ts: 330 services for 1,000 routes, 2,500 for 5,000). The objects carry the run labels
 * and go with the run's cleanup.
 */
import { z } from 'zod';
import { connect } from '../../kube/connect.js';
import { labelSafe } from '../../kube/labels.js';
import type { PhaseType } from '../types.js';
import { backendsAccess } from './access.js';
import { createBackends } from './backends.js';
import { kgatewaySizing } from './sizing.js';

const dns = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label')
  .max(63);

export const SimulateBackendsOptions = z
  .strictObject({
    /** Namespace of the backends (default kubeperf-sim-<run id>); created with the run labels when absent. */
    namespace: dns.optional(),
    /** Number of Services (each with one EndpointSlice). */
    services: z.number().int().min(1).max(100_000).optional(),
    /** Size for this many routes with kgateway's formula instead (default 1,000 → 330 services). */
    routes: z.number().int().min(1).max(1_000_000).optional(),
    /** Ready endpoints per EndpointSlice (kgateway: 2 "pods" per service). */
    endpointsPerService: z.number().int().min(1).max(1000).default(2),
    /** Parallel creates. */
    concurrency: z.number().int().min(1).max(256).default(16),
  })
  .refine((o) => !(o.services !== undefined && o.routes !== undefined), {
    message: 'give services or routes (kgateway sizing), not both',
    path: ['services'],
  });
export type SimulateBackendsOptions = z.infer<typeof SimulateBackendsOptions>;

export const backendsNamespace = (runId: string): string =>
  `kubeperf-sim-${runId}`.toLowerCase().slice(0, 63);

function resolve(o: SimulateBackendsOptions) {
  if (o.services !== undefined) return { services: o.services, sizing: undefined };
  const sizing = kgatewaySizing(o.routes ?? 1000);
  return { services: sizing.services, sizing };
}

export const simulateBackendsPhase: PhaseType<SimulateBackendsOptions> = {
  type: 'simulate-backends',
  description:
    "kgateway's cluster simulator: a namespace with S Services and EndpointSlices (E ready endpoints each, no pods), S given or sized from a route count.",
  options: SimulateBackendsOptions,
  plan(o) {
    const { services, sizing } = resolve(o);
    return {
      steps: [
        `simulate ${services} backend Services + EndpointSlices (${o.endpointsPerService} endpoints each, no pods)${sizing ? ` sized for ${sizing.routes} routes (${sizing.nodes} nodes × ${sizing.servicesPerNode})` : ''} in ${o.namespace ?? 'kubeperf-sim-<run id>'}`,
      ],
      requests: services * 2 + 2,
      objects: services * 2 + 1,
      needsCluster: true,
    };
  },
  access: (o) => backendsAccess(o.namespace, 'simulate-backends'),
  async run(o, ctx) {
    const { services, sizing } = resolve(o);
    const client = await connect(ctx.target, { connections: Math.max(8, o.concurrency) });
    try {
      ctx.progress.status(`creating ${services} simulated backends`);
      const r = await createBackends(
        client,
        {
          namespace: o.namespace ?? backendsNamespace(ctx.runId),
          services,
          endpointsPerService: o.endpointsPerService,
          concurrency: o.concurrency,
        },
        {
          runId: ctx.runId,
          job: labelSafe(ctx.phaseName).toLowerCase(),
          recorder: ctx.recorder,
          signal: ctx.signal,
        },
      );
      return { data: { backends: { ...r, ...(sizing ? { sizing } : {}) } } };
    } finally {
      await client.close();
    }
  },
};
