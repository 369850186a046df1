/**
 * Which of kro's throughput shapers limited a round, decided from what was measured (controller
 * /metrics and watch timings), never assumed: the client-side QPS limiter (requests per second at the
 * limit), the workers (busy the whole window), the queue's bucket (rate-limited requeues), the 3 s
 * requeue (time to ACTIVE sits at the interval), or the load generator's own create rate.
 */
import type { ControllerRound } from './controller-metrics.js';

export interface ShaperSettings {
  workers: number;
  queueQps: number;
  queueBurst: number;
  clientQps: number;
  clientBurst: number;
  requeueAfterMs: number;
}

export type Shaper = 'client-qps' | 'workers' | 'queue-bucket' | 'requeue-interval' | 'create-rate' | 'none';

export interface ShaperInput {
  instances: number;
  ready: number;
  /** First create sent → last ACTIVE observed, s. */
  windowS: number;
  /** First create sent → last create answered, s. */
  createWindowS: number;
  timeToActiveP50Ms?: number;
  /** Share of instances whose time to ACTIVE fell just after a multiple of the requeue interval. */
  requeueAlignedShare?: number;
  controller?: ControllerRound;
  /** Seconds between the controller scrapes the counters were diffed over (the window plus the settle). */
  metricsWindowS?: number;
  /** Known for the simulated controller; kro's defaults are assumed (and said) for a real one. */
  settings?: ShaperSettings;
  settingsAssumed?: boolean;
}

export interface ShaperVerdict {
  limiting: Shaper;
  /** ACTIVE instances per second over the window. */
  throughput: number;
  text: string;
}

const f = (x: number, d = 1) => x.toLocaleString('en-US', { maximumFractionDigits: d });

export function limitingShaper(i: ShaperInput): ShaperVerdict {
  const throughput = i.windowS > 0 ? i.ready / i.windowS : 0;
  const head = `throughput ${f(throughput)} instances/s`;
  const c = i.controller;
  const s = i.settings;
  const assumed = i.settingsAssumed ? " (kro's default; the real controller's flags are not visible)" : '';
  if (
    i.createWindowS >= 0.8 * i.windowS &&
    i.windowS > 0 &&
    throughput >= 0.8 * (i.instances / Math.max(i.createWindowS, 1e-9))
  ) {
    return {
      limiting: 'create-rate',
      throughput,
      text: `${head} follows the create rate (${f(i.instances / Math.max(i.createWindowS, 1e-9))}/s): the controller kept up with the load; create faster to find its limit.`,
    };
  }
  const mw = i.metricsWindowS ?? i.windowS;
  if (c && s && c.requests !== undefined && s.clientQps > 0) {
    const rate = Math.max(0, c.requests - s.clientBurst) / mw;
    const waited = c.limiterWaitSeconds ?? 0;
    if (rate >= 0.85 * s.clientQps) {
      return {
        limiting: 'client-qps',
        throughput,
        text: `${head} is capped by the client QPS limit${assumed}: the controller sent ${f(c.requests, 0)} requests in ${f(mw)} s (${f(c.requests / mw)}/s against qps ${s.clientQps} burst ${s.clientBurst}), ${f(c.requests / Math.max(1, i.ready))} per instance${waited ? `, and requests waited ${f(waited)} s on the limiter` : ''}; raise the client QPS (kro --client-qps) to go faster.`,
      };
    }
  }
  if (c && s) {
    const busy = c.reconcileSeconds.sum / (s.workers * mw);
    if (busy >= 0.8) {
      return {
        limiting: 'workers',
        throughput,
        text: `${head} is capped by the workers${assumed}: ${s.workers} worker${s.workers === 1 ? ' was' : 's were'} busy ${f(Math.min(1, busy) * 100, 0)}% of ${f(mw)} s (${f(c.reconciles, 0)} reconciles, ${f((c.reconcileSeconds.sum / Math.max(1, c.reconciles)) * 1000)} ms each); more workers (kro --dynamic-controller-concurrent-reconciles) would help until another shaper binds.`,
      };
    }
    if (s.queueQps > 0 && (c.queueRetries ?? 0) >= Math.max(1, 0.5 * i.instances)) {
      return {
        limiting: 'queue-bucket',
        throughput,
        text: `${head} tracks the ${s.queueQps}/s queue bucket${assumed}: ${f(c.queueRetries!, 0)} rate-limited requeues passed through it (burst ${s.queueBurst}).`,
      };
    }
    if (
      s.requeueAfterMs > 0 &&
      (i.timeToActiveP50Ms ?? 0) >= s.requeueAfterMs &&
      (i.requeueAlignedShare ?? 0) >= 0.6
    ) {
      return {
        limiting: 'requeue-interval',
        throughput,
        text: `time to ACTIVE (p50 ${f((i.timeToActiveP50Ms ?? 0) / 1000, 2)} s) sits at multiples of the ${f(s.requeueAfterMs / 1000, 1)} s requeue interval for ${f((i.requeueAlignedShare ?? 0) * 100, 0)}% of the instances${assumed}: they wait for a requeue rather than an event; ${head}.`,
      };
    }
    return {
      limiting: 'none',
      throughput,
      text: `${head}; no controller shaper is saturated (workers busy ${f(Math.min(1, busy) * 100, 0)}%${c.requests !== undefined ? `, ${f(c.requests / mw)} requests/s against qps ${s.clientQps || '∞'}` : ''}): the API server or the graph's readiness sets the pace.`,
    };
  }
  return {
    limiting: 'none',
    throughput,
    text: `${head}; the controller's metrics were not available, so no shaper can be named.`,
  };
}
