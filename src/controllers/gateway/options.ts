/**
 * Options of the simulated Gateway API controller: which GatewayClasses it serves and its realism
 * knobs. Real controllers (kgateway, Istio, Envoy Gateway) translate the routes of a Gateway into
 * proxy config and write status back: changes are batched, translation takes time, and writes go
 * through a rate-limited client with a few workers. The defaults are kubeperf's choice (no real
 * controller documents these as numbers) so that 1,000 routes created in kgateway's batches give a
 * few hundred Gateway status writes, as gateway-api-bench measured for kgateway (323) and Istio (311);
 * docs/gateway.md gives the measured counts.
 */
import { z } from 'zod';

export const DEFAULT_CONTROLLER_NAME = 'kubeperf.io/gateway-controller';

export const GatewayControllerOptions = z.strictObject({
  /** GatewayClass spec.controllerName it accepts. */
  controllerName: z
    .string()
    .regex(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/,
      'must be a domain-prefixed path, e.g. example.com/gateway-controller',
    )
    .default(DEFAULT_CONTROLLER_NAME),
  /** Time one translation takes (a timer, no CPU): from the snapshot of the changes to the status it yields, ms. */
  translationDelayMs: z.number().min(0).max(3_600_000).default(0),
  /** Batching window: changes arriving within this long of the first are translated and written together, ms. */
  statusBatchWindowMs: z.number().min(0).max(600_000).default(5),
  /** Workers writing HTTPRoute status (Gateway and GatewayClass status have one worker of their own). */
  workers: z.number().int().min(1).max(256).default(4),
  /** client-go QPS of its client (0 = unlimited). */
  clientQps: z.number().min(0).default(0),
  /** client-go burst. */
  clientBurst: z.number().int().min(1).default(100),
  /** Check backendRefs: the Service must exist, a cross-namespace one needs a ReferenceGrant (ResolvedRefs). */
  resolveBackends: z.boolean().default(true),
  /** Install the Gateway API CRDs when the API server lacks them (a study installs them itself first). */
  installCrds: z.boolean().default(true),
  /** Address reported in Gateway status.addresses. */
  address: z.string().min(1).default('192.0.2.10'),
});
export type GatewayControllerOptions = z.infer<typeof GatewayControllerOptions>;
