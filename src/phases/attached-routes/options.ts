/**
 * Options of the `attached-routes` phase (and the flags of `kubeperf bench attached-routes`), with
 * kgateway's and gateway-api-bench's values as defaults: the test namespace, `loadtest-backend`,
 * Gateway `test-gateway` with one HTTP listener on port 80, routes `<gw>-route-<i>` created in
 * batches of 100 (500 from 5,000 routes on) with a 100 ms grace period, kgateway's timeouts (60 s for
 * the Gateway and each stopwatch step, 5 min for the baseline translation) and its scale-aware
 * thresholds (thresholds.ts). Presets: `baseline` (1,000 routes), `production` (5,000).
 */
import { z } from 'zod';
import { DurationString, parseDuration } from '../../config/duration.js';
import { GatewayControllerOptions } from '../../controllers/gateway/options.js';

const dns = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label')
  .max(63);
const duration = z.union([DurationString, z.number().min(0)]);

export const PRESETS = { baseline: 1000, production: 5000 } as const;
/** kgateway's ProductionRoutes: from this many routes on, batches of 500. */
export const PRODUCTION_ROUTES = 5000;

const ListenerSchema = z.strictObject({
  name: dns,
  protocol: z.string().min(1).default('HTTP'),
  port: z.number().int().min(1).max(65535),
  hostname: z.string().min(1).optional(),
  allowedRoutes: z
    .strictObject({
      namespaces: z
        .strictObject({
          from: z.enum(['All', 'Same', 'Selector']).optional(),
          selector: z.record(z.string(), z.unknown()).optional(),
        })
        .optional(),
      kinds: z.array(z.strictObject({ group: z.string().optional(), kind: z.string().min(1) })).optional(),
    })
    .optional(),
});

const ThresholdLimit = z.union([duration, z.literal(false)]);

export const AttachedRoutesOptions = z
  .strictObject({
    /** incremental: kgateway's stopwatch on one route over a baseline; bulk: gateway-api-bench's add-all / remove-all. */
    methodology: z.enum(['incremental', 'bulk']).default('incremental'),
    /** kgateway's named scales: baseline = 1,000 routes, production = 5,000. */
    preset: z.enum(['baseline', 'production']).optional(),
    /** Routes (the baseline for incremental, all of them for bulk); default 1,000. */
    routes: z.number().int().min(1).max(100_000).optional(),
    /** Routes per batch (default 100; 500 from 5,000 routes on); bulk default: all at once. */
    batchSize: z.number().int().min(1).max(100_000).optional(),
    /** Pause after each batch (kgateway: 100 ms). */
    gracePeriod: duration.default('100ms'),
    /** Route creates (and bulk deletes) in flight at once (kgateway: one at a time). */
    concurrency: z.number().int().min(1).max(256).default(1),
    /** Test namespace (default kubeperf-loadtest-<run id>). */
    namespace: dns.optional(),
    gatewayName: dns.default('test-gateway'),
    /** GatewayClass of the Gateway (default: kubeperf for the simulated controller, kgateway for an external one). */
    gatewayClassName: z.string().min(1).max(253).optional(),
    /** Listeners of the Gateway (default one HTTP listener "http" on port 80); attachedRoutes is read from the first. */
    listeners: z.array(ListenerSchema).min(1).max(64).optional(),
    /** Simulated backends the routes point at (`sim-service-<i mod S>`); false: every route points at loadtest-backend. */
    backends: z
      .union([
        z.literal(false),
        z.strictObject({
          /** Default kubeperf-sim-<run id>. */
          namespace: dns.optional(),
          /** Default: kgateway's sizing for the route count (330 for 1,000, 2,500 for 5,000). */
          services: z.number().int().min(1).max(100_000).optional(),
          endpointsPerService: z.number().int().min(1).max(1000).default(2),
          /** false: use backends an earlier simulate-backends phase made (give namespace and services). */
          create: z.boolean().default(true),
        }),
      ])
      .default({ endpointsPerService: 2, create: true }),
    /** Create a ReferenceGrant so the cross-namespace backendRefs resolve (kgateway's test has none: ResolvedRefs=False). */
    referenceGrant: z.boolean().default(true),
    /** simulated: kubeperf's gateway controller in its own process (default on the embedded control plane); external: the target's own controller. */
    controller: z.enum(['simulated', 'external']).optional(),
    /** Options of the simulated controller (src/controllers/gateway/options.ts). */
    controllerOptions: GatewayControllerOptions.partial().optional(),
    /** The external controller's /metrics: a URL or an API server proxy path (process CPU/memory, reconciles). */
    controllerMetricsUrl: z.string().min(1).optional(),
    /** Restart the controller after the baseline (true: the simulated process; {namespace, deployment}: rollout restart of the external one). */
    restartController: z
      .union([z.boolean(), z.strictObject({ namespace: dns, deployment: dns })])
      .default(false),
    /** Override the built-in thresholds (a duration, or false to drop one); false drops them all. */
    thresholds: z
      .union([
        z.literal(false),
        z.strictObject({
          setup: ThresholdLimit.optional(),
          teardown: ThresholdLimit.optional(),
          addAll: ThresholdLimit.optional(),
          removeAll: ThresholdLimit.optional(),
        }),
      ])
      .optional(),
    /** Most time for the Gateway to be Programmed (kgateway: 60 s). */
    gatewayReadyTimeout: duration.default('60s'),
    /** Most time for the baseline (bulk: add-all, remove-all) to be reflected in attachedRoutes (kgateway: 5 min). */
    translationTimeout: duration.default('5m'),
    /** Most time for each stopwatch step, setup and teardown (kgateway: 60 s). */
    stepTimeout: duration.default('60s'),
    /** Quiet time before the stopwatch and before the final counts (kgateway: 500 ms). */
    settle: duration.default('500ms'),
    /** Delete the test namespace, backends and routes at the end of the phase (false: leave them to the run's cleanup). */
    cleanup: z.boolean().default(true),
    /** HTTP connections of the load generator. */
    connections: z.number().int().min(1).max(1024).optional(),
  })
  .superRefine((o, ctx) => {
    const add = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (o.preset && o.routes !== undefined)
      add(['routes'], `preset ${o.preset} sets routes (${PRESETS[o.preset]}); give one or the other`);
    if (o.controller === 'external' && o.controllerOptions)
      add(['controllerOptions'], 'controllerOptions apply to controller: simulated only');
    if (o.controller === 'simulated' && o.controllerMetricsUrl)
      add(
        ['controllerMetricsUrl'],
        'the simulated controller serves its own /metrics; this option is for controller: external',
      );
    if (o.controller === 'simulated' && typeof o.restartController === 'object')
      add(
        ['restartController'],
        'a Deployment rollout restart is for controller: external; use true to restart the simulated process',
      );
    if (o.backends && !o.backends.create && (!o.backends.namespace || !o.backends.services))
      add(
        ['backends'],
        'backends.create: false needs the namespace and the number of services an earlier phase created',
      );
    if (o.methodology === 'bulk' && o.restartController)
      add(['restartController'], 'restartController belongs to the incremental methodology');
  });
export type AttachedRoutesOptions = z.infer<typeof AttachedRoutesOptions>;

export const ms = (d: string | number): number => parseDuration(d)!;

export function routeCount(o: AttachedRoutesOptions): number {
  return o.routes ?? (o.preset ? PRESETS[o.preset] : 1000);
}

/** kgateway's GetOptimalBatchSize; bulk creates everything in one go unless told otherwise. */
export function batchSizeOf(o: AttachedRoutesOptions): number {
  const n = routeCount(o);
  if (o.batchSize) return o.batchSize;
  if (o.methodology === 'bulk') return n;
  return n >= PRODUCTION_ROUTES ? 500 : 100;
}

export const controllerMode = (o: AttachedRoutesOptions, targetKind: string): 'simulated' | 'external' =>
  o.controller ?? (targetKind === 'embedded' ? 'simulated' : 'external');

export const defaultClassName = (mode: 'simulated' | 'external'): string =>
  mode === 'simulated' ? 'kubeperf' : 'kgateway';
