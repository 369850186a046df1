/**
 * The load-model options shared by the `crud` and `job` phases, and the one function that runs a
 * number of tasks under them. Closed model (default): `concurrency` workers behind a client-go token
 * bucket (`qps`, `burst`). Open model: set `arrivalRate` (constant or Poisson), `ramp` or `steps`;
 * latency is then measured from each request's intended start.
 */
import { z } from 'zod';
import { parseDuration } from '../config/duration.js';
import { arrivalOffsets, type ArrivalSpec } from './arrivals.js';
import { runClosed, runOpen, type PacingStats, type Task } from './executor.js';
import { TokenBucket } from './token-bucket.js';

const duration = z
  .union([z.string(), z.number()])
  .refine((s) => parseDuration(s) !== undefined, 'must be a duration such as 500ms, 10s or 2m');

export const loadModelShape = {
  /** Closed model: parallel workers. */
  concurrency: z.number().int().min(1).max(4096).optional(),
  /** client-go token bucket: requests per second (0 = unlimited). */
  qps: z.number().min(0).optional(),
  /** client-go token bucket size (default: max(1, qps)). */
  burst: z.number().int().min(0).optional(),
  /** Open model: constant arrivals per second. */
  arrivalRate: z.number().positive().optional(),
  /** Open model arrival process. */
  arrival: z.enum(['constant', 'poisson']).optional(),
  /** Open model: linear ramp of the arrival rate. */
  ramp: z.strictObject({ from: z.number().min(0), to: z.number().min(0), duration }).optional(),
  /** Open model: piecewise-constant arrival rates. */
  steps: z
    .array(z.strictObject({ rate: z.number().min(0), duration }))
    .min(1)
    .optional(),
  /** Open model: most requests in flight at once (memory bound); beyond it starts queue and count as late. */
  maxInFlight: z.number().int().min(1).optional(),
  /** Seed of the Poisson arrivals and any randomised choice. */
  seed: z.number().int().optional(),
};

export type LoadModelOptions = {
  concurrency?: number;
  qps?: number;
  burst?: number;
  arrivalRate?: number;
  arrival?: 'constant' | 'poisson';
  ramp?: { from: number; to: number; duration: string | number };
  steps?: { rate: number; duration: string | number }[];
  maxInFlight?: number;
  seed?: number;
};

export function isOpenModel(o: LoadModelOptions): boolean {
  return o.arrivalRate !== undefined || o.ramp !== undefined || o.steps !== undefined;
}

export function arrivalSpec(o: LoadModelOptions): ArrivalSpec | undefined {
  if (o.ramp)
    return { kind: 'ramp', from: o.ramp.from, to: o.ramp.to, durationMs: parseDuration(o.ramp.duration)! };
  if (o.steps)
    return {
      kind: 'steps',
      steps: o.steps.map((s) => ({ rate: s.rate, durationMs: parseDuration(s.duration)! })),
    };
  if (o.arrivalRate !== undefined)
    return o.arrival === 'poisson'
      ? { kind: 'poisson', rate: o.arrivalRate, seed: o.seed ?? 1 }
      : { kind: 'constant', rate: o.arrivalRate };
  return undefined;
}

/** Arrivals a finite open-model schedule (ramp, steps) holds; undefined when unbounded or closed. */
export function scheduledArrivals(o: LoadModelOptions, cap = 10_000_000): number | undefined {
  const a = arrivalSpec(o);
  if (!a || (a.kind !== 'ramp' && a.kind !== 'steps')) return undefined;
  let n = 0;
  for (const _ of arrivalOffsets(a)) if (++n >= cap) break;
  return n;
}

/** One line for plans and logs, e.g. "16 workers, qps 50 burst 50" or "open 200/s poisson". */
export function describeLoad(o: LoadModelOptions, defaultConcurrency: number): string {
  const a = arrivalSpec(o);
  if (a?.kind === 'constant' || a?.kind === 'poisson') return `open model ${a.rate}/s ${a.kind}`;
  if (a?.kind === 'ramp') return `open model ramp ${a.from}→${a.to}/s over ${o.ramp!.duration}`;
  if (a?.kind === 'steps') return `open model ${a.steps.map((s) => `${s.rate}/s`).join('→')}`;
  const q = o.qps ? `, qps ${o.qps} burst ${o.burst ?? Math.max(1, Math.ceil(o.qps))}` : '';
  return `${o.concurrency ?? defaultConcurrency} workers${q}`;
}

/** Run `total` tasks under the load model. */
export function runTasks(
  o: LoadModelOptions,
  total: number,
  task: Task,
  opts: { defaultConcurrency: number; signal?: AbortSignal },
): Promise<PacingStats> {
  const arrivals = arrivalSpec(o);
  if (arrivals) {
    return runOpen({ arrivals, total, maxInFlight: o.maxInFlight, task, signal: opts.signal });
  }
  const limiter = new TokenBucket(o.qps ?? 0, o.burst ?? Math.max(1, Math.ceil(o.qps ?? 1)));
  return runClosed({
    total,
    concurrency: o.concurrency ?? opts.defaultConcurrency,
    limiter,
    task,
    signal: opts.signal,
  });
}
