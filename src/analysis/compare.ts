/**
 * Baseline vs candidate comparison. A metric is regressed/improved only when its change is beyond the
 * tolerance AND statistically significant (Mann–Whitney U over steady per-second windows, order-
 * statistic CI overlap of HDR percentiles, or a two-proportion test for error rates). A change beyond
 * tolerance that the data cannot back is reported as noise; scalar metrics with no samples
 * (CEL, graph) are reported as "untested" and never flip the verdict on their own.
 */
import type { OpStats, PhaseResult, Results } from '../results/types.js';
import { histogramOf, celExpressions, graphSizes } from './select.js';
import { detectSteadyState } from './steady-state.js';
import { mannWhitneyU, percentileIntervalMs, twoProportionP } from './stats.js';
import type { Trend } from './trend.js';

export type ChangeStatus = 'improved' | 'regressed' | 'unchanged' | 'noise' | 'untested';
export type CompareVerdict = 'improved' | 'regressed' | 'unchanged';

export interface MetricDelta {
  /** Stable key across runs, e.g. "crud/create.p99". */
  key: string;
  phase: string;
  metric: string;
  unit: string;
  better: 'lower' | 'higher';
  base: number;
  candidate: number;
  /** (candidate − base) / base × 100; null when base is 0. */
  deltaPct: number | null;
  status: ChangeStatus;
  method: 'mann-whitney-repeats' | 'mann-whitney-windows' | 'order-statistic-ci' | 'two-proportion' | 'none';
  /** p-value where the method gives one. */
  p?: number;
  note: string;
}

export interface RunRef {
  label: string;
  runId: string;
  name: string;
  startedAt: string;
  version: string;
  verdict: string;
}

export interface Comparison {
  base: RunRef;
  candidate: RunRef;
  tolerancePct: number;
  alpha: number;
  verdict: CompareVerdict;
  warnings: string[];
  metrics: MetricDelta[];
  trend?: Trend;
}

export interface CompareOptions {
  tolerancePct?: number;
  alpha?: number;
}

export interface LabeledResults {
  label: string;
  results: Results;
}

const MIN_WINDOWS = 5;
/** With 4 + 4 values a Mann–Whitney U can reach p < 0.05; with 3 + 3 it never can. */
const MIN_REPEATS = 4;
const LATENCY_STATS = ['p50', 'p90', 'p99', 'mean'] as const;

export function runRef(r: LabeledResults): RunRef {
  return {
    label: r.label,
    runId: r.results.runId,
    name: r.results.name,
    startedAt: r.results.startedAt,
    version: r.results.tool.version,
    verdict: r.results.verdict,
  };
}

export function compareRuns(
  base: LabeledResults,
  candidate: LabeledResults,
  options: CompareOptions = {},
): Comparison {
  const tolerancePct = options.tolerancePct ?? 10;
  const alpha = options.alpha ?? 0.05;
  const warnings: string[] = [];
  const b = base.results;
  const c = candidate.results;
  if (b.tool.version !== c.tool.version)
    warnings.push(
      `tool versions differ (${b.tool.version} vs ${c.tool.version}): changes may come from kubeperf itself`,
    );
  if (b.target.version !== c.target.version)
    warnings.push(
      `target versions differ (${b.target.version || 'unknown'} vs ${c.target.version || 'unknown'})`,
    );
  for (const [r, label] of [
    [b, 'baseline'],
    [c, 'candidate'],
  ] as const)
    if (r.verdict === 'invalid')
      warnings.push(
        `the ${label} run is invalid (${r.verdictReasons.join('; ')}): its numbers cannot be trusted`,
      );
  const candPhases = new Map(c.phases.map((p) => [p.name, p]));
  const basePhases = new Map(b.phases.map((p) => [p.name, p]));
  const onlyBase = b.phases.filter((p) => !candPhases.has(p.name)).map((p) => p.name);
  const onlyCand = c.phases.filter((p) => !basePhases.has(p.name)).map((p) => p.name);
  if (onlyBase.length || onlyCand.length)
    warnings.push(
      `phase sets differ; comparing the ${b.phases.length - onlyBase.length} phase(s) in both${onlyBase.length ? `; only in baseline: ${onlyBase.join(', ')}` : ''}${onlyCand.length ? `; only in candidate: ${onlyCand.join(', ')}` : ''}`,
    );

  const metrics: MetricDelta[] = [];
  for (const bp of b.phases) {
    const cp = candPhases.get(bp.name);
    if (!cp) continue;
    if (bp.type !== cp.type) {
      warnings.push(
        `phase ${bp.name} has type ${bp.type} in the baseline but ${cp.type} in the candidate; skipped`,
      );
      continue;
    }
    for (const [op, bs] of Object.entries(bp.ops)) {
      const cs = cp.ops[op];
      if (!cs) {
        warnings.push(`op ${op} of phase ${bp.name} is missing in the candidate`);
        continue;
      }
      const reps = (p: PhaseResult) =>
        p.repeats?.map((r) => r.ops[op]).filter((x): x is OpStats => !!x) ?? [];
      metrics.push(...compareOp(bp.name, op, bs, cs, tolerancePct, alpha, reps(bp), reps(cp)));
    }
    metrics.push(...compareScalars(bp, cp, tolerancePct));
    metrics.push(...compareSweeps(bp, cp, tolerancePct, alpha));
  }
  if (metrics.some((m) => m.method === 'mann-whitney-windows' || m.method === 'order-statistic-ci'))
    warnings.push(
      'significance compares requests and windows within each run, so it cannot see run-to-run variance (a busy machine, a different node); declare `repeat: N` (N ≥ 4) on the phases to test across runs',
    );
  const verdict: CompareVerdict = metrics.some((m) => m.status === 'regressed')
    ? 'regressed'
    : metrics.some((m) => m.status === 'improved')
      ? 'improved'
      : 'unchanged';
  return {
    base: runRef(base),
    candidate: runRef(candidate),
    tolerancePct,
    alpha,
    verdict,
    warnings,
    metrics,
  };
}

export function deltaPct(base: number, cand: number): number | null {
  return base === 0 ? (cand === 0 ? 0 : null) : ((cand - base) / base) * 100;
}

function classify(
  d: number | null,
  better: 'lower' | 'higher',
  tolerancePct: number,
  significant: boolean | undefined,
): ChangeStatus {
  if (d === null)
    return significant === undefined
      ? 'untested'
      : significant
        ? better === 'lower'
          ? 'regressed'
          : 'improved'
        : 'noise';
  if (Math.abs(d) <= tolerancePct) return 'unchanged';
  if (significant === undefined) return 'untested';
  if (!significant) return 'noise';
  const worse = better === 'lower' ? d > 0 : d < 0;
  return worse ? 'regressed' : 'improved';
}

function compareOp(
  phase: string,
  op: string,
  bs: OpStats,
  cs: OpStats,
  tol: number,
  alpha: number,
  bReps: OpStats[] = [],
  cReps: OpStats[] = [],
): MetricDelta[] {
  const out: MetricDelta[] = [];
  // Repeats are independent runs of the phase: when there are enough, they are the better evidence.
  const enoughRepeats = bReps.length >= MIN_REPEATS && cReps.length >= MIN_REPEATS;
  const byRepeats = (pick: (s: OpStats) => number) => {
    const u = mannWhitneyU(bReps.map(pick), cReps.map(pick));
    return (
      u && { p: u.p, note: `Mann–Whitney U over ${bReps.length}+${cReps.length} repeats, p=${fmtP(u.p)}` }
    );
  };
  const bw = detectSteadyState(bs.series).windows;
  const cw = detectSteadyState(cs.series).windows;
  const enoughWindows = bw.length >= MIN_WINDOWS && cw.length >= MIN_WINDOWS;
  const bh = histogramOf(bs.histogram);
  const ch = histogramOf(cs.histogram);
  for (const stat of LATENCY_STATS) {
    const bv = bs.latencyMs[stat];
    const cv = cs.latencyMs[stat];
    if (bs.count - bs.errors === 0 || cs.count - cs.errors === 0) continue;
    const d = deltaPct(bv, cv);
    let method: MetricDelta['method'] = 'none';
    let p: number | undefined;
    let significant: boolean | undefined;
    let note = '';
    const rep = enoughRepeats ? byRepeats((r) => r.latencyMs[stat]) : undefined;
    if (rep) {
      method = 'mann-whitney-repeats';
      p = rep.p;
      significant = rep.p < alpha;
      note = rep.note;
    } else if (enoughWindows && stat !== 'p90') {
      const field = stat as 'p50' | 'p99' | 'mean';
      const u = mannWhitneyU(
        bw.map((w) => w[field]),
        cw.map((w) => w[field]),
      );
      if (u) {
        method = 'mann-whitney-windows';
        p = u.p;
        significant = u.p < alpha;
        note = `Mann–Whitney U over ${bw.length}+${cw.length} steady windows, p=${fmtP(u.p)}`;
      }
    }
    if (significant === undefined && stat !== 'mean') {
      const pct = stat === 'p50' ? 50 : stat === 'p90' ? 90 : 99;
      const bi = percentileIntervalMs(bh, pct);
      const ci = percentileIntervalMs(ch, pct);
      if (bi && ci) {
        method = 'order-statistic-ci';
        significant = bi.high < ci.low || ci.high < bi.low;
        note = `95% CIs ${fmt(bi.low)}–${fmt(bi.high)} vs ${fmt(ci.low)}–${fmt(ci.high)} ms ${significant ? 'do not overlap' : 'overlap'}`;
      }
    }
    const status = classify(d, 'lower', tol, significant);
    out.push({
      key: `${phase}/${op}.${stat}`,
      phase,
      metric: `${op}.${stat}`,
      unit: 'ms',
      better: 'lower',
      base: bv,
      candidate: cv,
      deltaPct: d,
      status,
      method,
      ...(p !== undefined ? { p } : {}),
      note: note || 'no samples to test significance',
    });
  }
  {
    const d = deltaPct(bs.throughput, cs.throughput);
    let significant: boolean | undefined;
    let p: number | undefined;
    let note = 'fewer than 5 steady windows per run: significance not testable';
    let method: MetricDelta['method'] = 'none';
    const rep = enoughRepeats ? byRepeats((r) => r.throughput) : undefined;
    if (rep) {
      method = 'mann-whitney-repeats';
      p = rep.p;
      significant = rep.p < alpha;
      note = rep.note;
    } else if (enoughWindows) {
      method = 'mann-whitney-windows';
      const u = mannWhitneyU(
        bw.map((w) => w.throughput),
        cw.map((w) => w.throughput),
      );
      if (u) {
        p = u.p;
        significant = u.p < alpha;
        note = `Mann–Whitney U over ${bw.length}+${cw.length} steady windows, p=${fmtP(u.p)}`;
      }
    }
    out.push({
      key: `${phase}/${op}.throughput`,
      phase,
      metric: `${op}.throughput`,
      unit: '/s',
      better: 'higher',
      base: bs.throughput,
      candidate: cs.throughput,
      deltaPct: d,
      status: classify(d, 'higher', tol, significant),
      method: significant === undefined ? 'none' : method,
      ...(p !== undefined ? { p } : {}),
      note,
    });
  }
  {
    const br = bs.count ? bs.errors / bs.count : 0;
    const cr = cs.count ? cs.errors / cs.count : 0;
    const p = twoProportionP(bs.errors, bs.count, cs.errors, cs.count);
    const significant = p === undefined ? undefined : p < alpha;
    // Error rates near zero make relative change meaningless: judge the absolute change in points.
    const dPoints = (cr - br) * 100;
    let status: ChangeStatus = 'unchanged';
    if (Math.abs(dPoints) >= 0.1 && significant !== undefined)
      status = significant ? (dPoints > 0 ? 'regressed' : 'improved') : 'noise';
    out.push({
      key: `${phase}/${op}.errors.rate`,
      phase,
      metric: `${op}.errors.rate`,
      unit: '%',
      better: 'lower',
      base: br,
      candidate: cr,
      deltaPct: deltaPct(br, cr),
      status,
      method: 'two-proportion',
      ...(p !== undefined ? { p } : {}),
      note: `${bs.errors}/${bs.count} vs ${cs.errors}/${cs.count} failed${p !== undefined ? `, p=${fmtP(p)}` : ''}`,
    });
  }
  return out;
}

function compareScalars(bp: PhaseResult, cp: PhaseResult, tol: number): MetricDelta[] {
  const out: MetricDelta[] = [];
  const push = (
    metric: string,
    unit: string,
    better: 'lower' | 'higher',
    bv: number | undefined,
    cv: number | undefined,
  ) => {
    if (typeof bv !== 'number' || typeof cv !== 'number') return;
    const d = deltaPct(bv, cv);
    out.push({
      key: `${bp.name}/${metric}`,
      phase: bp.name,
      metric,
      unit,
      better,
      base: bv,
      candidate: cv,
      deltaPct: d,
      status: classify(d, better, tol, undefined),
      method: 'none',
      note: 'single measured value per run: beyond tolerance but significance not testable',
    });
  };
  const cand = new Map(celExpressions(cp).map((e) => [e.name, e]));
  for (const e of celExpressions(bp))
    push(`cel.${e.name}.evalNs`, 'ns', 'lower', e.evalNs, cand.get(e.name)?.evalNs);
  const cs = new Map(graphSizes(cp).map((s) => [s.nodes, s]));
  for (const s of graphSizes(bp))
    push(`graph.n${s.nodes}.buildMs`, 'ms', 'lower', s.buildMs, cs.get(s.nodes)?.buildMs);
  return out;
}

/**
 * Sweep points present in both runs (same parameter and x): p99 and throughput of each op the point
 * recorded, with the same tests as the phase's ops.
 */
function compareSweeps(bp: PhaseResult, cp: PhaseResult, tol: number, alpha: number): MetricDelta[] {
  const out: MetricDelta[] = [];
  for (const bs of bp.sweeps ?? []) {
    const cs = cp.sweeps?.find((s) => s.parameter === bs.parameter);
    if (!cs) continue;
    for (const bpt of bs.points) {
      const cpt = cs.points.find((q) => q.x === bpt.x);
      if (!bpt.ops || !cpt?.ops) continue;
      for (const [op, bo] of Object.entries(bpt.ops)) {
        const co = cpt.ops[op];
        if (!co) continue;
        const scope = `${bp.name}@${bs.parameter}=${bpt.x}`;
        out.push(
          ...compareOp(scope, op, bo, co, tol, alpha)
            .filter((m) => /\.(p99|throughput)$/.test(m.metric))
            .map((m) => ({ ...m, phase: bp.name })),
        );
      }
    }
  }
  return out;
}

const fmt = (v: number) => String(Number(v.toPrecision(3)));
const fmtP = (p: number) => (p < 0.001 ? '<0.001' : p.toFixed(3));
