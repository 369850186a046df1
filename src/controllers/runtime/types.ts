/**
 * What a simulated controller is: a name, its options (a strict zod schema with the real
 * controller's defaults), and a start function that gets a context with a metrics registry, a
 * logger and a way to connect to the API server behind its own client-side QPS/burst.
 */
import type { z } from 'zod';
import type { Logger } from '../../core/logger.js';
import type { ClientLimits, ControllerClient } from './client.js';
import type { ControllerMetrics } from './metrics.js';

export interface ControllerContext {
  name: string;
  kubeconfig: { path: string; context?: string };
  metrics: ControllerMetrics;
  log: Logger;
  /** A client of its own with client-go's rate limiter set to `limits`. */
  connect(limits: ClientLimits): Promise<ControllerClient>;
}

export interface RunningController {
  /** Stops workers and watches; in-flight reconciles finish first. */
  stop(): Promise<void>;
}

export interface ControllerDefinition<Options = any> {
  readonly name: string;
  /** One sentence for `kubeperf controller --help`. */
  readonly description: string;
  /** Strict schema of the controller's options, with the real controller's defaults. */
  readonly options: z.ZodType<Options>;
  start(options: Options, ctx: ControllerContext): Promise<RunningController>;
}
