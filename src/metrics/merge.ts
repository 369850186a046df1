/**
 * Merging OpStats of the same op from several runs of a phase (repeats) or several phases: counts add,
 * HDR histograms merge exactly, so merged percentiles are true percentiles, not averages of them.
 */
import type { OpStats } from '../results/types.js';
import { encodeHistogram, mergeHistograms, summarizeUs } from './histogram.js';

export function mergeOpStats(list: OpStats[]): OpStats {
  if (list.length === 1) return list[0]!;
  const hist = mergeHistograms(list.map((s) => s.histogram));
  const sumRecord = (pick: (s: OpStats) => Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const s of list) for (const [k, v] of Object.entries(pick(s))) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  const count = list.reduce((a, s) => a + s.count, 0);
  const errors = list.reduce((a, s) => a + s.errors, 0);
  const durationMs = list.reduce((a, s) => a + s.durationMs, 0);
  return {
    count,
    errors,
    retries: list.reduce((a, s) => a + s.retries, 0),
    errorsByReason: sumRecord((s) => s.errorsByReason),
    errorsByCode: sumRecord((s) => s.errorsByCode),
    // Throughput over the time the op was actually active in each part, not over the gaps between them.
    throughput: durationMs > 0 ? Math.round(((count - errors) * 1000 * 100) / durationMs) / 100 : 0,
    durationMs,
    latencyMs: summarizeUs(hist),
    histogram: encodeHistogram(hist),
    series: list.flatMap((s) => s.series),
    ...(list.some((s) => s.rounds)
      ? { rounds: list.flatMap((s) => s.rounds ?? []).map((r, i) => ({ ...r, round: i })) }
      : {}),
    ...(list.some((s) => s.varyingRate) ? { varyingRate: true } : {}),
  };
}

export function mergeOpMaps(maps: Record<string, OpStats>[]): Record<string, OpStats> {
  const byOp = new Map<string, OpStats[]>();
  for (const m of maps) for (const [op, s] of Object.entries(m)) byOp.set(op, [...(byOp.get(op) ?? []), s]);
  const out: Record<string, OpStats> = {};
  for (const [op, list] of byOp) out[op] = mergeOpStats(list);
  return out;
}
