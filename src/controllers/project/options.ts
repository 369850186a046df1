/**
 * Options of the simulated Milo project controller, with Milo's defaults: one worker
 * (controller-runtime's MaxConcurrentReconciles; Milo's main branch runs 4), a 2 s requeue when the
 * project's namespace cannot be ensured yet or its purge is not finished, controller-runtime's
 * default queue rate limiter (5 ms → 1000 s per item, 10/s burst 100) and kube-controller-manager's
 * client defaults (QPS 20, burst 30).
 */
import { z } from 'zod';

export const ProjectControllerOptions = z.strictObject({
  /** MaxConcurrentReconciles of the project controller. */
  workers: z.number().int().min(1).max(256).default(1),
  /** RequeueAfter while the default namespace or the purge is not done, ms. */
  requeueAfterMs: z.number().min(0).default(2000),
  /** Client QPS against the root control plane (0 = unlimited). */
  clientQps: z.number().min(0).default(20),
  /** Client burst against the root control plane. */
  clientBurst: z.number().int().min(1).default(30),
  /** Work queue bucket, items/s (0 = no bucket). */
  queueQps: z.number().min(0).default(10),
  queueBurst: z.number().int().min(1).default(100),
});
export type ProjectControllerOptions = z.infer<typeof ProjectControllerOptions>;
