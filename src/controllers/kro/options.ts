/**
 * Options of the simulated kro controller, with kro's defaults (cmd/controller/main.go): one
 * dynamic-controller worker, a 10/s burst 100 queue bucket plus 200 ms → 1000 s per-item backoff,
 * client QPS 100 burst 150, a 3 s requeue while waiting, 20 retries before an item is dropped.
 * Each shaper can be changed or turned off (0) to ask "what if kro had…".
 */
import { z } from 'zod';

export const KroControllerOptions = z.strictObject({
  /** --dynamic-controller-concurrent-reconciles */
  workers: z.number().int().min(1).max(1024).default(1),
  /** --dynamic-controller-rate-limiter-rate-limit (items/s; 0 = no bucket) */
  queueQps: z.number().min(0).default(10),
  /** --dynamic-controller-rate-limiter-burst-limit */
  queueBurst: z.number().int().min(1).default(100),
  /** --dynamic-controller-rate-limiter-min-delay, ms (0 = no per-item backoff) */
  backoffBaseMs: z.number().min(0).default(200),
  /** --dynamic-controller-rate-limiter-max-delay, ms */
  backoffMaxMs: z.number().min(0).default(1_000_000),
  /** --dynamic-controller-default-queue-max-retries */
  maxRetries: z.number().int().min(0).default(20),
  /** --client-qps (0 = unlimited) */
  clientQps: z.number().min(0).default(100),
  /** --client-burst */
  clientBurst: z.number().int().min(1).default(150),
  /** --instance-requeue-interval, ms (0 = no delayed requeue) */
  requeueAfterMs: z.number().min(0).default(3000),
  /** Workers of the ResourceGraphDefinition controller. */
  rgdWorkers: z.number().int().min(1).max(64).default(1),
  /** Install kro's ResourceGraphDefinition CRD when the API server lacks it. */
  installCrd: z.boolean().default(true),
  /** --allow-crd-deletion: delete the instance CRD with its RGD. */
  allowCrdDeletion: z.boolean().default(false),
});
export type KroControllerOptions = z.infer<typeof KroControllerOptions>;
