/**
 * Steady-state detection over per-second windows: leading windows whose throughput or p99 is far from
 * the level of the run's second half are warm-up (connection setup, caches, JIT); a trailing window
 * that holds far fewer requests than the median is a partial window. Both are dropped from
 * window-based statistics, and the analysis says so.
 */
import type { RoundStats, SeriesPoint } from '../results/types.js';
import { median } from './stats.js';

export interface SteadyState {
  /** Windows kept, in time order. */
  windows: SeriesPoint[];
  warmupWindows: number;
  trailingPartialWindows: number;
  /** Seconds since phase start where steady state begins. */
  steadyFromS: number;
  /** Human sentence, e.g. "2 warm-up windows (2 s) dropped: throughput 40% below steady level". */
  note: string;
}

/** Windows are too few for a warm-up decision below this. */
const MIN_WINDOWS = 4;

export function detectSteadyState(series: SeriesPoint[], o: { varyingRate?: boolean } = {}): SteadyState {
  const active = series.filter((w) => w.count > 0);
  if (o.varyingRate) {
    // A low-rate step of a steps schedule is the experiment, not warm-up.
    return {
      windows: active,
      warmupWindows: 0,
      trailingPartialWindows: 0,
      steadyFromS: active[0]?.t ?? 0,
      note: 'rate varies by design: no warm-up detection, all windows kept',
    };
  }
  if (active.length < MIN_WINDOWS) {
    return {
      windows: active,
      warmupWindows: 0,
      trailingPartialWindows: 0,
      steadyFromS: active[0]?.t ?? 0,
      note: `${active.length} window(s): too few to detect warm-up, all kept`,
    };
  }
  const tail = active.slice(Math.floor(active.length / 2));
  const steadyTput = median(tail.map((w) => w.throughput));
  const steadyP99 = median(tail.map((w) => w.p99));
  const steadyCount = median(active.map((w) => w.count));
  // Warm-up never takes more than a third of the run: past that it is the workload, not warm-up.
  const maxWarmup = Math.floor(active.length / 3);
  let warmup = 0;
  const reasons = new Set<string>();
  while (warmup < maxWarmup) {
    const w = active[warmup];
    const slow = steadyTput > 0 && w.throughput < 0.8 * steadyTput;
    const laggy = steadyP99 > 0 && w.p99 > 1.5 * steadyP99;
    if (!slow && !laggy) break;
    if (slow) reasons.add('throughput below 80% of the steady level');
    if (laggy) reasons.add('p99 above 1.5× the steady level');
    warmup++;
  }
  let trailing = 0;
  const last = active[active.length - 1];
  if (active.length - warmup > MIN_WINDOWS && last.count < 0.5 * steadyCount) trailing = 1;
  const windows = active.slice(warmup, active.length - trailing);
  const parts: string[] = [];
  if (warmup) parts.push(`${warmup} warm-up window(s) dropped (${[...reasons].join(', ')})`);
  if (trailing) parts.push('trailing partial window dropped');
  return {
    windows,
    warmupWindows: warmup,
    trailingPartialWindows: trailing,
    steadyFromS: windows[0]?.t ?? 0,
    note: parts.length ? parts.join('; ') : 'no warm-up detected, all windows kept',
  };
}

export interface SteadyRounds {
  /** Rounds kept, in order. */
  rounds: RoundStats[];
  warmupRounds: number;
  note: string;
}

/**
 * Per-op warm-up over interleaved rounds, which exist however short the phase is: the first round is
 * warm-up when its throughput is below 80% of the other rounds' median or its p50 above 1.5× theirs.
 * Only the first round, and only with 4 or more: the run's own warm-up step does the rest. An op
 * whose rate varies on purpose (ramp, steps) has no warm-up to detect.
 */
export function detectSteadyRounds(rounds: RoundStats[], o: { varyingRate?: boolean } = {}): SteadyRounds {
  const active = rounds.filter((r) => r.count > r.errors);
  if (o.varyingRate)
    return { rounds: active, warmupRounds: 0, note: 'rate varies by design: no warm-up detection' };
  if (active.length < 4)
    return {
      rounds: active,
      warmupRounds: 0,
      note: `${active.length} round(s): too few to detect warm-up, all kept`,
    };
  const [first, ...rest] = active;
  const tput = median(rest.map((r) => r.throughput));
  const p50 = median(rest.map((r) => r.p50));
  const reasons: string[] = [];
  if (tput > 0 && first!.throughput < 0.8 * tput) reasons.push('throughput below 80% of the other rounds');
  if (p50 > 0 && first!.p50 > 1.5 * p50) reasons.push('p50 above 1.5× the other rounds');
  if (!reasons.length)
    return { rounds: active, warmupRounds: 0, note: `${active.length} rounds, no warm-up detected` };
  return {
    rounds: rest,
    warmupRounds: 1,
    note: `first of ${active.length} rounds dropped as warm-up (${reasons.join(', ')})`,
  };
}
