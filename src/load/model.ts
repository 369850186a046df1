/**
 * The load-model options shared by the `crud` and `job` phases, and the one function that runs a
 * number of tasks under them. Closed model (default): `concurrency` workers behind a client-go token
 * bucket (`qps`, `burst`). Open model: set `arrivalRate` (constant or Poisson), `ramp` or `steps`;
 * latency is then measured from each request's intended start.
 */
import { z } from 'zod';
import { parseDuration } from '../config/duration.js';
import { arrivalOffsets, scheduleDurationMs, type ArrivalSpec } from './arrivals.js';
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
  /**
   * Interleaved rounds: the work is split into this many rounds, each running every op on its share
   * of the objects, so each op is measured repeatedly across the run (the units `compare` tests
   * noise with). Default 10; ramp and steps schedules run once.
   */
  rounds: z.number().int().min(1).max(1000).optional(),
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
  rounds?: number;
};

export const defaultRounds = 10;

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

/**
 * A finite schedule (ramp, steps) and the number of tasks disagree: each op either stops before the
 * schedule ends (runs out of objects) or the schedule ends before every object was used. A sentence
 * for the plan and the phase's warnings; undefined when they fit.
 */
export function scheduleFit(o: LoadModelOptions, tasks: number): string | undefined {
  const a = arrivalSpec(o);
  if (!a || (a.kind !== 'ramp' && a.kind !== 'steps')) return undefined;
  const offsets: number[] = [];
  for (const t of arrivalOffsets(a)) {
    offsets.push(t);
    if (offsets.length > tasks) break;
  }
  const fmt = (n: number) => n.toLocaleString('en-US');
  if (offsets.length <= tasks) {
    return offsets.length < tasks
      ? `the schedule holds ${fmt(offsets.length)} arrivals, so each op runs on ${fmt(offsets.length)} of the ${fmt(tasks)} objects`
      : undefined;
  }
  const total = scheduledArrivals(o) ?? offsets.length;
  const endS = offsets[tasks]! / 1000;
  let where = `after ${endS.toFixed(1)} s of the ${((scheduleDurationMs(a) ?? 0) / 1000).toFixed(1)} s schedule`;
  if (a.kind === 'steps') {
    let base = 0;
    for (const [k, st] of a.steps.entries()) {
      if (offsets[tasks]! < base + st.durationMs) {
        where = `${((offsets[tasks]! - base) / 1000).toFixed(1)} s into step ${k + 1} of ${a.steps.length} (${st.rate}/s for ${st.durationMs / 1000} s)`;
        break;
      }
      base += st.durationMs;
    }
  }
  return `the schedule holds ${fmt(total)} arrivals but there are ${fmt(tasks)} objects: each op runs out of objects ${where}; set objects: ${total} to run the whole schedule`;
}

/** The limiter's bucket size: `burst`, else ceil(qps) (at least 1), as kubeperf defaults it. */
function burstOf(o: LoadModelOptions): number {
  return o.burst ?? Math.max(1, Math.ceil(o.qps ?? 1));
}

/** One line for plans and logs, e.g. "16 workers, qps 50 burst 50" or "open 200/s poisson". */
export function describeLoad(o: LoadModelOptions, defaultConcurrency: number): string {
  const a = arrivalSpec(o);
  if (a?.kind === 'constant' || a?.kind === 'poisson') return `open model ${a.rate}/s ${a.kind}`;
  if (a?.kind === 'ramp') return `open model ramp ${a.from}→${a.to}/s over ${o.ramp!.duration}`;
  if (a?.kind === 'steps') return `open model ${a.steps.map((s) => `${s.rate}/s`).join('→')}`;
  const q = o.qps ? `, qps ${o.qps} burst ${burstOf(o)}` : '';
  return `${o.concurrency ?? defaultConcurrency} workers${q}`;
}

/**
 * The least time `requests` requests take behind the client-side limiter (the bucket starts full, so
 * the first `burst` pass at once), for the plan; undefined without a qps limit or an open model.
 */
export function qpsFloorSeconds(o: LoadModelOptions, requests: number): number | undefined {
  if (!o.qps || arrivalSpec(o)) return undefined;
  return Math.max(0, requests - burstOf(o)) / o.qps;
}

/** A schedule whose rate changes on purpose (ramp, steps): low-rate stretches are not warm-up. */
export function hasVaryingRate(o: LoadModelOptions): boolean {
  const a = arrivalSpec(o);
  return a?.kind === 'ramp' || (a?.kind === 'steps' && new Set(a.steps.map((s) => s.rate)).size > 1);
}

/**
 * Rounds the work runs in: the requested number (default 10), at most one per task; ramp and steps
 * schedules are one experiment over time and run once.
 */
export function roundsFor(o: LoadModelOptions, total: number): number {
  const a = arrivalSpec(o);
  if (a?.kind === 'ramp' || a?.kind === 'steps') return 1;
  return Math.max(1, Math.min(o.rounds ?? defaultRounds, total));
}

/** Task index range [start, end) of each round: contiguous slices whose sizes differ by at most one. */
export function roundSlices(total: number, rounds: number): [number, number][] {
  return Array.from({ length: rounds }, (_, r) => [
    Math.floor((r * total) / rounds),
    Math.floor(((r + 1) * total) / rounds),
  ]);
}

/** The client-go token bucket of a closed model; share one across rounds so bursts are not refilled. */
export function limiterFor(o: LoadModelOptions): TokenBucket {
  return new TokenBucket(o.qps ?? 0, burstOf(o));
}

/** Pacing facts of several runs added up (max lag: the largest). */
export function addPacing(a: PacingStats | undefined, b: PacingStats): PacingStats {
  return a
    ? {
        started: a.started + b.started,
        late: a.late + b.late,
        dropped: a.dropped + b.dropped,
        maxLagMs: Math.max(a.maxLagMs, b.maxLagMs),
      }
    : b;
}

/**
 * Run `total` tasks in interleaved rounds (roundsFor): each round is a contiguous share of the
 * tasks, recorded as its own round, all under one rate limiter.
 */
export async function runRounds(
  o: LoadModelOptions,
  total: number,
  task: Task,
  opts: {
    defaultConcurrency: number;
    signal?: AbortSignal;
    recorder?: { beginRound(r: number): void };
    limiter?: TokenBucket;
  },
): Promise<PacingStats> {
  const rounds = roundsFor(o, total);
  const limiter = opts.limiter ?? limiterFor(o);
  let stats: PacingStats = { started: 0, late: 0, dropped: 0, maxLagMs: 0 };
  for (const [r, [a, b]] of roundSlices(total, rounds).entries()) {
    if (opts.signal?.aborted) break;
    opts.recorder?.beginRound(rounds > 1 ? r : -1);
    stats = addPacing(stats, await runTasks(o, b - a, (k, t) => task(a + k, t), { ...opts, limiter }));
  }
  opts.recorder?.beginRound(-1);
  return stats;
}

/** Run `total` tasks under the load model. */
export function runTasks(
  o: LoadModelOptions,
  total: number,
  task: Task,
  opts: { defaultConcurrency: number; signal?: AbortSignal; limiter?: TokenBucket },
): Promise<PacingStats> {
  const arrivals = arrivalSpec(o);
  if (arrivals) {
    return runOpen({ arrivals, total, maxInFlight: o.maxInFlight, task, signal: opts.signal });
  }
  const limiter = opts.limiter ?? limiterFor(o);
  return runClosed({
    total,
    concurrency: o.concurrency ?? opts.defaultConcurrency,
    limiter,
    task,
    signal: opts.signal,
  });
}
