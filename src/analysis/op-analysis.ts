/** Statistics of one op in one phase: summary, steady state and 95% confidence intervals. */
import { summarizeUs } from '../metrics/histogram.js';
import type { OpStats, PhaseResult } from '../results/types.js';
import { histogramOf } from './select.js';
import { detectSteadyRounds, detectSteadyState } from './steady-state.js';
import { bootstrapCI, mean, median, percentileIntervalMs } from './stats.js';
import type { OpAnalysis, PhaseAnalysis } from './types.js';

export function analyzeOp(stats: OpStats, repeats?: OpStats[]): OpAnalysis {
  const h = histogramOf(stats.histogram);
  const steady = detectSteadyState(stats.series, { varyingRate: stats.varyingRate });
  // Interleaved rounds exist however short the phase: they decide warm-up when there are some.
  const rounds =
    stats.rounds && stats.rounds.length >= 2
      ? detectSteadyRounds(stats.rounds, { varyingRate: stats.varyingRate })
      : undefined;
  const ci: OpAnalysis['ci'] = {};
  if (repeats && repeats.length >= 2) {
    // Repeats are independent runs: their spread is the honest uncertainty of the phase's numbers.
    const opts = { method: 'bootstrap-repeats' as const };
    ci.p50 = bootstrapCI(
      repeats.map((r) => r.latencyMs.p50),
      mean,
      opts,
    );
    ci.p99 = bootstrapCI(
      repeats.map((r) => r.latencyMs.p99),
      mean,
      opts,
    );
    ci.throughput = bootstrapCI(
      repeats.map((r) => r.throughput),
      mean,
      opts,
    );
  } else {
    ci.p50 = percentileIntervalMs(h, 50);
    ci.p99 = percentileIntervalMs(h, 99);
    if (rounds && rounds.rounds.length >= 3)
      ci.throughput = bootstrapCI(
        rounds.rounds.map((r) => r.throughput),
        mean,
        { method: 'bootstrap-rounds' },
      );
    else if (steady.windows.length >= 3)
      ci.throughput = bootstrapCI(
        steady.windows.map((w) => w.throughput),
        mean,
      );
  }
  for (const k of Object.keys(ci) as (keyof typeof ci)[]) if (!ci[k]) delete ci[k];
  return {
    count: stats.count,
    errors: stats.errors,
    errorRate: stats.count ? stats.errors / stats.count : 0,
    throughput: stats.throughput,
    latencyMs: h.totalCount ? summarizeUs(h) : stats.latencyMs,
    steadyState: {
      windows: steady.windows.length,
      warmupWindows: rounds ? 0 : steady.warmupWindows,
      trailingPartialWindows: rounds ? 0 : steady.trailingPartialWindows,
      steadyFromS: steady.steadyFromS,
      note: rounds ? rounds.note : steady.note,
      ...(rounds ? { rounds: rounds.rounds.length, warmupRounds: rounds.warmupRounds } : {}),
      ...(rounds && rounds.rounds.length
        ? { throughput: round2(median(rounds.rounds.map((r) => r.throughput))) }
        : steady.windows.length
          ? { throughput: round2(mean(steady.windows.map((w) => w.throughput))) }
          : {}),
    },
    ci,
  };
}

export function analyzePhase(p: PhaseResult): PhaseAnalysis {
  const ops: PhaseAnalysis['ops'] = {};
  for (const [op, stats] of Object.entries(p.ops)) {
    const reps = p.repeats?.map((r) => r.ops[op]).filter((s): s is OpStats => !!s);
    ops[op] = analyzeOp(stats, reps);
  }
  return { name: p.name, type: p.type, ops, ...(p.repeats?.length ? { repeats: p.repeats.length } : {}) };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
