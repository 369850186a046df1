/**
 * A measurement is a named unit registered once (clusterloader2's measurement registry) that runs
 * around a phase: `start(ctx)` at the phase's start returns a handle whose `gather()` at its end
 * returns what was measured. Each validates its own options with a strict schema, so a study's
 * `measurements[i].field` problems are reported with file, line and path like a phase's.
 */
import type { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { PromEndpoint } from '../metrics/promql-client.js';
import type { Target } from '../phases/types.js';
import type { MeasurementResult } from '../results/types.js';

/** A GET against the target's API server with the run's credentials (/metrics, proxy paths). */
export type ApiGet = (
  path: string,
  opts?: { timeoutMs?: number },
) => Promise<{ status: number; body: string }>;

export interface MeasurementEnv {
  target: Target;
  /** Directory of the study file: relative paths in options (metric profiles) resolve against it. */
  baseDir: string;
  /** Undefined when the run has no Kubernetes target. */
  apiGet?: ApiGet;
  /** The run's Prometheus-compatible query endpoint: `metrics.url`, or the local stack kubeperf started. */
  prometheus?: PromEndpoint;
  clock: Clock;
  log: Logger;
  signal: AbortSignal;
}

export interface MeasurementContext extends MeasurementEnv {
  /** Instance name (results key): the entry's `name`, default its type. */
  name: string;
  phase: { name: string; index: number; type: string };
  /** Wall-clock ms (Date.now()) of the phase start, for queries by timestamp. */
  startedAtMs: number;
}

/** What a gather returns; `type` is filled in by the session. */
export type MeasurementOutcome = Omit<MeasurementResult, 'type'>;

export interface MeasurementHandle {
  /** Called once at the phase's end; `endedAtMs` is the wall-clock end of the phase's work. */
  gather(endedAtMs: number): Promise<MeasurementOutcome>;
}

export interface Measurement<Options = any> {
  /** Name used in study files: `measurements[].type`. */
  readonly type: string;
  readonly description: string;
  /** Strict schema of the entry's own options (everything except type, name, phases, enabled). */
  readonly options: z.ZodType<Options>;
  /**
   * Checks worth making once before the first phase, when a backend can answer (e.g. PromQL syntax),
   * so bad input fails before load is sent. Returns problems as text; throws nothing for an
   * unreachable backend (that is a warning at gather time).
   */
  preflight?(options: Options, env: MeasurementEnv, name: string): Promise<string[]>;
  start(options: Options, ctx: MeasurementContext): Promise<MeasurementHandle>;
}

/** An unreachable or missing source: recorded as missing (never as zero) with the reason. */
export function missing(message: string, extra: Partial<MeasurementOutcome> = {}): MeasurementOutcome {
  return { status: 'missing', message, ...extra };
}
