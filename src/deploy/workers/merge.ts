/**
 * Merges the results of a distributed run's workers into one results.json, exactly: HDR histograms
 * are merged (percentiles of the union, never averages of percentiles), counts and errors summed,
 * throughput taken over the union of the workers' active spans (a worker idle while others work does
 * not dilute it, overlapping spans are not counted twice), and a per-worker breakdown kept for skew
 * analysis. Workers' wall clocks place their spans in time; when their start or end times spread
 * beyond a tolerance the merge says so, because then those spans are approximate.
 */
import { analyzeResults } from '../../analysis/analyze.js';
import { parseDuration } from '../../config/duration.js';
import { InputError } from '../../core/errors.js';
import { mergeOpStats } from '../../metrics/merge.js';
import type { Distributed, OpStats, PhaseResult, Results, SeriesPoint } from '../../results/types.js';

export interface MergeOptions {
  /** Start/end spread beyond which a warning is added (ms). */
  skewToleranceMs?: number;
  /** Names of the parts (directories), for messages. */
  sources?: string[];
}

export const defaultSkewToleranceMs = 500;

interface Part {
  r: Results;
  index: number;
  source: string;
}

export function mergeWorkerResults(all: Results[], o: MergeOptions = {}): Results {
  if (!all.length) throw new InputError('nothing to merge: no results were given');
  const tolerance = o.skewToleranceMs ?? defaultSkewToleranceMs;
  const parts: Part[] = all.map((r, i) => ({
    r,
    index: r.worker?.index ?? i,
    source: o.sources?.[i] ?? `#${i}`,
  }));
  const count = Math.max(parts.length, ...parts.map((p) => p.r.worker?.count ?? 0));
  const seen = new Map<number, string>();
  for (const p of parts) {
    const other = seen.get(p.index);
    if (other !== undefined)
      throw new InputError(`worker ${p.index} appears twice: ${other} and ${p.source}`, {
        hint: 'pass each worker’s result folder once',
      });
    seen.set(p.index, p.source);
  }
  parts.sort((a, b) => a.index - b.index);
  const warnings: string[] = [];
  const reasons: string[] = [];
  const runIds = new Set(parts.map((p) => p.r.runId));
  if (runIds.size > 1) warnings.push(`the parts come from different runs (${[...runIds].join(', ')})`);
  const missing = [...Array(count).keys()].filter((i) => !seen.has(i));
  if (missing.length)
    reasons.push(`merged ${parts.length} of ${count} workers; missing worker(s) ${missing.join(', ')}`);

  const starts = parts.map((p) => Date.parse(p.r.worker?.startedAt ?? p.r.startedAt));
  const ends = parts.map((p) => p.r.worker?.endReleasedAtMs).filter((x): x is number => x !== undefined);
  const startSpreadMs = Math.max(...starts) - Math.min(...starts);
  const endSpreadMs = ends.length > 1 ? Math.max(...ends) - Math.min(...ends) : 0;
  if (Math.max(startSpreadMs, endSpreadMs) > tolerance)
    warnings.push(
      `workers' clocks or start times differ by up to ${Math.max(startSpreadMs, endSpreadMs)} ms (tolerance ${tolerance} ms): throughput over the union of their spans and the merged time series are approximate`,
    );

  const names: string[] = [];
  for (const p of parts) for (const ph of p.r.phases) if (!names.includes(ph.name)) names.push(ph.name);
  const phases = names.map((name) =>
    mergePhase(
      parts.flatMap((p) => {
        const ph = p.r.phases.find((x) => x.name === name);
        return ph ? [{ part: p, ph }] : [];
      }),
    ),
  );
  for (const p of parts) {
    for (const w of p.r.warnings) warnings.push(`worker ${p.index}: ${w}`);
    // Run-level reasons (a failed barrier, an aborted run); phase-level ones are re-derived below.
    if (p.r.verdict === 'invalid')
      for (const v of p.r.verdictReasons)
        if (!/^(threshold|SLO|phase) /.test(v)) reasons.push(`worker ${p.index}: ${v}`);
  }
  const first = parts[0]!.r;
  const endedAts = parts.map((p) => p.r.endedAt).filter((x): x is string => !!x);
  const distributed: Distributed = {
    workers: count,
    merged: parts.map((p) => p.index),
    startSpreadMs,
    parts: parts.map((p) => ({
      index: p.index,
      ...(p.r.worker?.host ? { host: p.r.worker.host } : {}),
      startedAt: p.r.worker?.startedAt ?? p.r.startedAt,
      endedAt: p.r.endedAt,
      verdict: p.r.verdict,
      phases: p.r.phases.map((ph) => ({
        name: ph.name,
        status: ph.status,
        ops: Object.fromEntries(
          Object.entries(ph.ops).map(([op, s]) => [
            op,
            {
              count: s.count,
              errors: s.errors,
              throughput: s.throughput,
              p50: s.latencyMs.p50,
              p99: s.latencyMs.p99,
              max: s.latencyMs.max,
            },
          ]),
        ),
      })),
    })),
  };
  const merged: Results = {
    ...first,
    startedAt: minIso(parts.map((p) => p.r.startedAt)),
    endedAt: endedAts.length === parts.length ? maxIso(endedAts) : null,
    interrupted: parts.some((p) => p.r.interrupted),
    phases,
    warnings,
    verdict: 'pass',
    verdictReasons: [],
    thresholds: [],
    distributed,
  };
  delete merged.worker;
  delete merged.analysis;
  const study = (first.config ?? {}) as {
    thresholds?: unknown;
    slo?: unknown;
    guard?: { maxErrorRate?: unknown };
  };
  const analysed = analyzeResults(merged, {
    thresholds: Array.isArray(study.thresholds) ? (study.thresholds as string[]) : [],
    slo: study.slo === true,
    guard: { maxErrorRate: rate(study.guard?.maxErrorRate) },
    invalid: reasons,
  });
  return analysed;
}

function rate(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+(\.\d+)?%$/.test(v)) return Number(v.slice(0, -1)) / 100;
  return 0.05;
}

const minIso = (xs: string[]) => new Date(Math.min(...xs.map((x) => Date.parse(x)))).toISOString();
const maxIso = (xs: string[]) => new Date(Math.max(...xs.map((x) => Date.parse(x)))).toISOString();

function mergePhase(list: { part: Part; ph: PhaseResult }[]): PhaseResult {
  const base = list[0]!.ph;
  const startMs = Math.min(...list.map((x) => Date.parse(x.ph.startedAt)));
  const endMs = Math.max(...list.map((x) => Date.parse(x.ph.endedAt)));
  // A phase skipped by some workers (it runs on worker 0 only) is what the others did.
  const status = (['failed', 'interrupted', 'ok', 'skipped'] as const).find((s) =>
    list.some((x) => x.ph.status === s),
  )!;
  const ops = mergeOpMapsAt(
    list.map((x) => ({ ops: x.ph.ops, start: Date.parse(x.ph.startedAt) })),
    startMs,
  );
  const out: PhaseResult = {
    ...base,
    startedAt: new Date(startMs).toISOString(),
    endedAt: new Date(endMs).toISOString(),
    durationMs: endMs - startMs,
    status,
    ops,
  };
  const errors = list.filter((x) => x.ph.error).map((x) => `worker ${x.part.index}: ${x.ph.error}`);
  if (errors.length) out.error = errors.join('; ');
  else delete out.error;
  const warnings = list.flatMap((x) => (x.ph.warnings ?? []).map((w) => `worker ${x.part.index}: ${w}`));
  if (warnings.length) out.warnings = warnings;
  else delete out.warnings;
  const invalid = list.flatMap((x) => (x.ph.invalidReasons ?? []).map((w) => `worker ${x.part.index}: ${w}`));
  if (invalid.length) out.invalidReasons = invalid;
  else delete out.invalidReasons;
  const datas = list.map((x) => x.ph.data).filter((d): d is Record<string, unknown> => !!d);
  if (datas.length) out.data = sumData(datas) as Record<string, unknown>;
  if (list.some((x) => x.ph.repeats)) {
    const n = Math.max(...list.map((x) => x.ph.repeats?.length ?? 0));
    out.repeats = Array.from({ length: n }, (_, k) => ({
      ops: mergeOpMapsAt(
        list.flatMap((x) =>
          x.ph.repeats?.[k] ? [{ ops: x.ph.repeats[k]!.ops, start: Date.parse(x.ph.startedAt) }] : [],
        ),
        startMs,
      ),
    }));
  }
  if (list.some((x) => x.ph.sweeps)) {
    out.sweeps = (base.sweeps ?? []).map((sw, si) => ({
      ...sw,
      points: sw.points.map((pt, pi) => {
        const merged = mergeOpMapsAt(
          list.flatMap((x) => {
            const o = x.ph.sweeps?.[si]?.points[pi]?.ops;
            return o ? [{ ops: o, start: Date.parse(x.ph.startedAt) }] : [];
          }),
          startMs,
        );
        return { ...pt, metrics: pointMetrics(pt.metrics, merged), ops: merged };
      }),
    }));
  }
  // Control-plane usage is the server's, sampled by every worker alike: one worker's samples stand.
  if (base.resources) out.resources = base.resources;
  return out;
}

function mergeOpMapsAt(maps: { ops: Record<string, OpStats>; start: number }[], startMs: number) {
  const out: Record<string, OpStats> = {};
  for (const op of new Set(maps.flatMap((m) => Object.keys(m.ops))))
    out[op] = mergeOps(
      maps.flatMap((m) => (m.ops[op] ? [{ s: m.ops[op], phaseStartMs: m.start }] : [])),
      startMs,
    );
  return out;
}

/** Sweep point metrics of the form `<op>.<stat>` recomputed from the merged ops; others summed. */
function pointMetrics(metrics: Record<string, number>, ops: Record<string, OpStats>): Record<string, number> {
  const out: Record<string, number> = { ...metrics };
  for (const [op, s] of Object.entries(ops)) {
    const set = (k: string, v: number) => {
      if (`${op}.${k}` in out) out[`${op}.${k}`] = v;
    };
    set('throughput', s.throughput);
    set('p50', s.latencyMs.p50);
    set('p95', s.latencyMs.p95);
    set('p99', s.latencyMs.p99);
    set('errors', s.errors);
  }
  return out;
}

/**
 * One op over workers. Counts, errors and the histogram merge exactly (mergeOpStats); the active span
 * is the union of the workers' [start, start + duration] on their wall clocks, so throughput is the
 * successes over the time any worker was active.
 */
export function mergeOps(list: { s: OpStats; phaseStartMs: number }[], mergedStartMs: number): OpStats {
  if (list.length === 1 && list[0]!.phaseStartMs === mergedStartMs) return list[0]!.s;
  const m = mergeOpStats(list.map((x) => x.s));
  const spans = list
    .filter((x) => x.s.count > 0)
    .map((x) => {
      const start = x.phaseStartMs + (x.s.startOffsetMs ?? 0);
      return [start, start + x.s.durationMs] as [number, number];
    })
    .sort((a, b) => a[0] - b[0]);
  let union = 0;
  let cur: [number, number] | undefined;
  for (const sp of spans) {
    if (cur && sp[0] <= cur[1]) cur[1] = Math.max(cur[1], sp[1]);
    else {
      if (cur) union += cur[1] - cur[0];
      cur = [...sp];
    }
  }
  if (cur) union += cur[1] - cur[0];
  const first = spans[0]?.[0];
  return {
    ...m,
    durationMs: Math.round(union * 100) / 100,
    throughput: union > 0 ? Math.round(((m.count - m.errors) * 1000 * 100) / union) / 100 : 0,
    ...(first !== undefined ? { startOffsetMs: Math.round((first - mergedStartMs) * 100) / 100 } : {}),
    series: mergeSeries(list, mergedStartMs),
  };
}

/**
 * Per-second windows placed on the merged phase's time axis. Counts, errors, throughput and the mean
 * merge exactly; a window's p50/p99 are the highest of the workers' (an upper bound: the windows keep
 * no histogram; exact percentiles are the op's latencyMs).
 */
function mergeSeries(list: { s: OpStats; phaseStartMs: number }[], mergedStartMs: number): SeriesPoint[] {
  const byWindow = new Map<number, SeriesPoint & { okSum: number }>();
  for (const { s, phaseStartMs } of list) {
    for (const p of s.series) {
      const t = Math.max(0, Math.floor((phaseStartMs + p.t * 1000 - mergedStartMs) / 1000));
      const w = byWindow.get(t) ?? {
        t,
        count: 0,
        errors: 0,
        throughput: 0,
        p50: 0,
        p99: 0,
        mean: 0,
        okSum: 0,
      };
      const ok = p.count - p.errors;
      w.mean = w.okSum + ok > 0 ? (w.mean * w.okSum + p.mean * ok) / (w.okSum + ok) : 0;
      w.okSum += ok;
      w.count += p.count;
      w.errors += p.errors;
      w.throughput = Math.round((w.throughput + p.throughput) * 100) / 100;
      w.p50 = Math.max(w.p50, p.p50);
      w.p99 = Math.max(w.p99, p.p99);
      byWindow.set(t, w);
    }
  }
  return [...byWindow.values()]
    .sort((a, b) => a.t - b.t)
    .map(({ okSum: _okSum, ...p }) => ({ ...p, mean: Math.round(p.mean * 1000) / 1000 }));
}

/** Phase data of the workers: numbers summed, lists concatenated, the rest taken from the first. */
export function sumData(list: unknown[]): unknown {
  const first = list[0];
  if (list.every((x) => typeof x === 'number')) return (list as number[]).reduce((a, b) => a + b, 0);
  if (list.every((x) => Array.isArray(x))) return (list as unknown[][]).flat();
  if (list.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
    const keys = [...new Set(list.flatMap((x) => Object.keys(x as object)))];
    return Object.fromEntries(
      keys.map((k) => {
        const vals = list.map((x) => (x as Record<string, unknown>)[k]).filter((v) => v !== undefined);
        return [k, sumData(vals)];
      }),
    );
  }
  return first;
}

/** `500ms`, `1s` → ms; for the CLI flag. */
export function parseTolerance(text: string | undefined): number {
  if (text === undefined) return defaultSkewToleranceMs;
  const ms = parseDuration(text);
  if (ms === undefined) throw new InputError(`--skew-tolerance ${text}: not a duration (e.g. 500ms, 2s)`);
  return ms;
}
