/**
 * Baseline vs candidate comparison that does not call identical setups a regression. Significance
 * comes from units that carry run-to-run noise: whole runs when several runs per side are given,
 * else the phase's repeats, else its interleaved rounds (each op measured several times spread over
 * the run), else blocks of per-second windows. Each metric gets Welch's t-test on the logs of its
 * units; the p-values of a comparison are Holm-corrected together. A metric is regressed/improved
 * only when its change is beyond the tolerance AND significant AND outside twice the unit-to-unit
 * noise; beyond the tolerance without that it is inconclusive, and every tested metric states the
 * smallest change its data could have detected. Scalars with one value per run (CEL, graph) are
 * "untested" and never flip the verdict.
 */
import type { OpStats, PhaseResult, Results, RoundStats, SeriesPoint } from '../results/types.js';
import { celExpressions, graphSizes } from './select.js';
import { detectSteadyRounds, detectSteadyState } from './steady-state.js';
import {
  beyondNoise,
  detectablePct,
  holm,
  mean,
  median,
  twoProportionP,
  unitTest,
  type UnitTest,
} from './stats.js';
import type { Trend } from './trend.js';

export type ChangeStatus = 'improved' | 'regressed' | 'unchanged' | 'inconclusive' | 'untested';
export type CompareVerdict = 'improved' | 'regressed' | 'unchanged' | 'inconclusive';
export type UnitMethod = 'runs' | 'repeats' | 'rounds' | 'window-blocks';

export interface MetricDelta {
  /** Stable key across runs, e.g. "crud/create.p99". */
  key: string;
  phase: string;
  metric: string;
  unit: string;
  better: 'lower' | 'higher';
  /** Whole-run values (the median over runs when several runs per side were given). */
  base: number;
  candidate: number;
  /** (candidate − base) / base × 100; null when base is 0. */
  deltaPct: number | null;
  status: ChangeStatus;
  /** What the noise was measured from; `two-proportion` for error rates; `none` when nothing could. */
  method: UnitMethod | 'two-proportion' | 'none';
  /** p-value where the method gives one (Welch on the units, before the Holm correction). */
  p?: number;
  /** The units' own estimate of the change, %. */
  effectPct?: number;
  /** Smallest change (either direction, %) the units could have shown as significant and beyond their noise. */
  detectablePct?: number;
  /** Unit-to-unit spread (pooled standard deviation of the log values), as a percentage. */
  noisePct?: number;
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
  /** Runs per side when sets of repeated runs were compared. */
  runs?: { base: number; candidate: number };
  tolerancePct: number;
  alpha: number;
  verdict: CompareVerdict;
  warnings: string[];
  metrics: MetricDelta[];
  trend?: Trend;
}

export interface CompareOptions {
  tolerancePct?: number;
  /** Family-wise error rate of the comparison (Holm over every tested metric). */
  alpha?: number;
}

export interface LabeledResults {
  label: string;
  results: Results;
}

/** With fewer units than this per side there is no test (Welch with 2 + 2 has 1 to 2 degrees of freedom). */
const MIN_UNITS = 3;
/** Per-second windows are autocorrelated: only this many or more are cut into blocks, and into this many blocks. */
const MIN_WINDOWS_FOR_BLOCKS = 10;
const WINDOW_BLOCKS = 5;
const LATENCY_STATS = ['p50', 'p99'] as const;
/**
 * The p99 of a round of a few hundred requests is close to its maximum: it moves with every stall of
 * a busy machine (in A/A pairs on this machine it alone produced false calls). Tail percentiles are
 * tested only on whole runs or repeats; on rounds and window blocks they are shown, never gating.
 */
const GATES_ON_ROUNDS = new Set<Stat>(['p50', 'throughput']);
type Stat = (typeof LATENCY_STATS)[number] | 'throughput';

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
  return compareRunSets([base], [candidate], options);
}

/**
 * Sets of repeated runs of the baseline and of the candidate (one or more each). With two or more
 * runs on both sides, whole runs are the units of noise; else rounds, repeats or windows of the runs.
 */
export function compareRunSets(
  bases: LabeledResults[],
  cands: LabeledResults[],
  options: CompareOptions = {},
): Comparison {
  if (!bases.length || !cands.length) throw new Error('compareRunSets needs at least one run per side');
  const tolerancePct = options.tolerancePct ?? 10;
  // 1% family-wise: with 20 identical pairs, 2 or more false alarms then happen in under 2% of series.
  const alpha = options.alpha ?? 0.01;
  const warnings: string[] = [];
  const b = bases[0]!.results;
  const c = cands[0]!.results;
  if (b.tool.version !== c.tool.version)
    warnings.push(
      `tool versions differ (${b.tool.version} vs ${c.tool.version}): changes may come from kubeperf itself`,
    );
  if (b.target.version !== c.target.version)
    warnings.push(
      `target versions differ (${b.target.version || 'unknown'} vs ${c.target.version || 'unknown'})`,
    );
  for (const [set, label] of [
    [bases, 'baseline'],
    [cands, 'candidate'],
  ] as const)
    for (const r of set)
      if (r.results.verdict === 'invalid')
        warnings.push(
          `the ${label} run ${r.results.runId} is invalid (${r.results.verdictReasons.join('; ')}): its numbers cannot be trusted`,
        );
  const candPhases = new Map(c.phases.map((p) => [p.name, p]));
  const basePhases = new Map(b.phases.map((p) => [p.name, p]));
  const onlyBase = b.phases.filter((p) => !candPhases.has(p.name)).map((p) => p.name);
  const onlyCand = c.phases.filter((p) => !basePhases.has(p.name)).map((p) => p.name);
  if (onlyBase.length || onlyCand.length)
    warnings.push(
      `phase sets differ; comparing the ${b.phases.length - onlyBase.length} phase(s) in both${onlyBase.length ? `; only in baseline: ${onlyBase.join(', ')}` : ''}${onlyCand.length ? `; only in candidate: ${onlyCand.join(', ')}` : ''}`,
    );

  // Metrics in the order they are met (each op's statistics, then its error rate); the tested ones are
  // settled together at the end (Holm needs all their p-values).
  const slots: (MetricDelta | Pending)[] = [];
  const pending: Pending[] = [];
  const add = (...xs: Pending[]) => {
    pending.push(...xs);
    slots.push(...xs);
  };
  const phaseOf = (set: LabeledResults[], name: string) =>
    set.map((r) => r.results.phases.find((p) => p.name === name)).filter((p): p is PhaseResult => !!p);
  for (const bp of b.phases) {
    const cp = candPhases.get(bp.name);
    if (!cp) continue;
    if (bp.type !== cp.type) {
      warnings.push(
        `phase ${bp.name} has type ${bp.type} in the baseline but ${cp.type} in the candidate; skipped`,
      );
      continue;
    }
    const bps = phaseOf(bases, bp.name);
    const cps = phaseOf(cands, bp.name);
    for (const op of Object.keys(bp.ops)) {
      if (!cp.ops[op]) {
        warnings.push(`op ${op} of phase ${bp.name} is missing in the candidate`);
        continue;
      }
      const side = (ps: PhaseResult[]): Side => ({
        ops: ps.map((p) => p.ops[op]).filter((x): x is OpStats => !!x),
        repeats: ps.map((p) => p.repeats?.map((r) => r.ops[op]).filter((x): x is OpStats => !!x) ?? []),
      });
      const { tested, errorRate } = compareOp(bp.name, op, side(bps), side(cps), alpha);
      add(...tested);
      slots.push(errorRate);
    }
    slots.push(...compareScalars(bp, cp, tolerancePct));
    add(...compareSweeps(bp, cp, alpha));
  }
  const results = settle(pending, tolerancePct, alpha);
  const settled = new Map(pending.map((x, i) => [x, results[i]!]));
  const metrics = slots.map((x) => ('delta' in x ? settled.get(x)! : x));
  const methods = new Set(pending.map((x) => x.test?.method).filter(Boolean));
  if (bases.length === 1 || cands.length === 1) {
    if (methods.has('rounds') || methods.has('window-blocks'))
      warnings.push(
        `noise is measured from ${methods.has('rounds') ? 'interleaved rounds' : 'blocks of per-second windows'} within each run; a shift of a whole run (another machine, another time of day) needs several runs per side to be seen: for release gating compare sets of repeated runs (\`--sets\`) or declare \`repeat: N\` on the phases`,
      );
  }
  if (pending.some((x) => !x.test))
    warnings.push(
      'some metrics have no rounds, repeats or runs to measure noise from (results of an older kubeperf, or a ramp/steps schedule): beyond the tolerance they are inconclusive, never regressed',
    );
  const verdict: CompareVerdict = metrics.some((m) => m.status === 'regressed')
    ? 'regressed'
    : metrics.some((m) => m.status === 'improved')
      ? 'improved'
      : metrics.some((m) => m.status === 'inconclusive')
        ? 'inconclusive'
        : 'unchanged';
  return {
    base: runRef(bases[bases.length - 1]!),
    candidate: runRef(cands[cands.length - 1]!),
    ...(bases.length > 1 || cands.length > 1
      ? { runs: { base: bases.length, candidate: cands.length } }
      : {}),
    tolerancePct,
    alpha,
    verdict,
    warnings,
    metrics,
  };
}

/**
 * One line on what the data could have detected: per statistic, the median over the compared ops
 * of the smallest change (either direction) their units could show, e.g. "p50 ±6%, p99 ±31%".
 */
export function detectableSummary(c: Comparison): string | undefined {
  const byStat = new Map<string, number[]>();
  for (const m of c.metrics) {
    if (m.detectablePct === undefined) continue;
    const stat = m.metric.slice(m.metric.lastIndexOf('.') + 1);
    byStat.set(stat, [...(byStat.get(stat) ?? []), m.detectablePct]);
  }
  if (!byStat.size) return undefined;
  return [...byStat].map(([stat, v]) => `${stat} ±${fmtPct(median(v))}`).join(', ');
}

export function deltaPct(base: number, cand: number): number | null {
  return base === 0 ? (cand === 0 ? 0 : null) : ((cand - base) / base) * 100;
}

/** One side of an op: its OpStats in each run, and each run's repeats. */
interface Side {
  ops: OpStats[];
  repeats: OpStats[][];
}

interface Pending {
  delta: Omit<MetricDelta, 'status' | 'method' | 'note'>;
  test?: UnitTest & { method: UnitMethod };
  /** Whether this metric may flip the verdict (false: a tail percentile tested on rounds). */
  gates: boolean;
}

const statOf = (s: OpStats, stat: Stat) => (stat === 'throughput' ? s.throughput : s.latencyMs[stat]);

/** Per-second windows cut into consecutive blocks; each block's mean is one unit (batch means). */
function windowBlocks(ws: SeriesPoint[], stat: Stat): number[] | undefined {
  if (ws.length < MIN_WINDOWS_FOR_BLOCKS) return undefined;
  const out: number[] = [];
  for (let k = 0; k < WINDOW_BLOCKS; k++) {
    const block = ws.slice(
      Math.floor((k * ws.length) / WINDOW_BLOCKS),
      Math.floor(((k + 1) * ws.length) / WINDOW_BLOCKS),
    );
    out.push(mean(block.map((w) => w[stat])));
  }
  return out;
}

/** The units both sides can offer for a metric, best first: runs, repeats, rounds, window blocks. */
function units(
  b: Side,
  c: Side,
  stat: Stat,
): { method: UnitMethod; base: number[]; cand: number[] } | undefined {
  if (b.ops.length >= 2 && c.ops.length >= 2)
    return {
      method: 'runs',
      base: b.ops.map((s) => statOf(s, stat)),
      cand: c.ops.map((s) => statOf(s, stat)),
    };
  const reps = (x: Side) => (x.repeats.every((r) => r.length >= MIN_UNITS) ? x.repeats.flat() : []);
  const br = reps(b);
  const cr = reps(c);
  if (br.length >= MIN_UNITS && cr.length >= MIN_UNITS)
    return { method: 'repeats', base: br.map((s) => statOf(s, stat)), cand: cr.map((s) => statOf(s, stat)) };
  const rounds = (x: Side): RoundStats[] =>
    x.ops.flatMap((s) =>
      s.rounds ? detectSteadyRounds(s.rounds, { varyingRate: s.varyingRate }).rounds : [],
    );
  const bRounds = rounds(b);
  const cRounds = rounds(c);
  if (bRounds.length >= MIN_UNITS && cRounds.length >= MIN_UNITS)
    return { method: 'rounds', base: bRounds.map((r) => r[stat]), cand: cRounds.map((r) => r[stat]) };
  const blocks = (x: Side) => {
    const all = x.ops.map((s) =>
      s.varyingRate ? undefined : windowBlocks(detectSteadyState(s.series).windows, stat),
    );
    return all.every(Boolean) ? (all.flat() as number[]) : undefined;
  };
  const bb = blocks(b);
  const cb = blocks(c);
  if (bb && cb) return { method: 'window-blocks', base: bb, cand: cb };
  return undefined;
}

function compareOp(
  phase: string,
  op: string,
  b: Side,
  c: Side,
  alpha: number,
): { tested: Pending[]; errorRate: MetricDelta } {
  const tested: Pending[] = [];
  const ok = (x: Side) => x.ops.some((s) => s.count > s.errors);
  const value = (x: Side, stat: Stat) => median(x.ops.map((s) => statOf(s, stat)));
  for (const stat of [...LATENCY_STATS, 'throughput'] as Stat[]) {
    if (stat !== 'throughput' && (!ok(b) || !ok(c))) continue;
    const bv = value(b, stat);
    const cv = value(c, stat);
    const u = units(b, c, stat);
    const t = u && unitTest(u.base, u.cand);
    tested.push({
      delta: {
        key: `${phase}/${op}.${stat}`,
        phase,
        metric: `${op}.${stat}`,
        unit: stat === 'throughput' ? '/s' : 'ms',
        better: stat === 'throughput' ? 'higher' : 'lower',
        base: bv,
        candidate: cv,
        deltaPct: deltaPct(bv, cv),
      },
      ...(t ? { test: { ...t, method: u!.method } } : {}),
      gates: !u || u.method === 'runs' || u.method === 'repeats' || GATES_ON_ROUNDS.has(stat),
    });
  }
  // Error rates: requests are the units (binomial); the change must also be ≥ 0.1 points.
  const sum = (x: Side, f: (s: OpStats) => number) => x.ops.reduce((a, s) => a + f(s), 0);
  const be = sum(b, (s) => s.errors);
  const bn = sum(b, (s) => s.count);
  const ce = sum(c, (s) => s.errors);
  const cn = sum(c, (s) => s.count);
  const br = bn ? be / bn : 0;
  const cr = cn ? ce / cn : 0;
  const p = twoProportionP(be, bn, ce, cn);
  const dPoints = (cr - br) * 100;
  let status: ChangeStatus = 'unchanged';
  if (Math.abs(dPoints) >= 0.1 && p !== undefined)
    status = p < alpha ? (dPoints > 0 ? 'regressed' : 'improved') : 'inconclusive';
  return {
    tested,
    errorRate: {
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
      note: `${be}/${bn} vs ${ce}/${cn} failed${p !== undefined ? `, p=${fmtP(p)}` : ''}`,
    },
  };
}

/** Holm over every tested metric of the comparison, then each metric's status and note. */
function settle(pending: Pending[], tol: number, alpha: number): MetricDelta[] {
  const withTest = pending.filter((x) => x.test && x.gates);
  const sig = holm(
    withTest.map((x) => x.test!.p),
    alpha,
  );
  const significant = new Map<Pending, boolean>(withTest.map((x, i) => [x, sig[i]!]));
  // The first Holm step is the strictest: the detectable change is quoted at that level.
  const level = alpha / Math.max(1, withTest.length);
  return pending.map((x) => {
    const d = x.delta.deltaPct;
    const t = x.test;
    if (!t) {
      const beyond = d === null || Math.abs(d) > tol;
      return {
        ...x.delta,
        status: beyond ? 'inconclusive' : 'unchanged',
        method: 'none',
        note: beyond
          ? 'beyond the tolerance, but there are no rounds, repeats or runs to tell it from noise'
          : 'within the tolerance (no rounds, repeats or runs to measure noise)',
      };
    }
    const det = detectablePct(t, level);
    const units = `${t.n[0]}+${t.n[1]} ${t.method === 'window-blocks' ? 'window blocks' : t.method}`;
    const real = significant.get(x) === true && beyondNoise(t);
    const worse = x.delta.better === 'lower' ? (d ?? 0) > 0 : (d ?? 0) < 0;
    const agrees = Math.sign(t.effectPct) === Math.sign(d ?? t.effectPct);
    let status: ChangeStatus;
    let note: string;
    if (d !== null && Math.abs(d) <= tol) {
      status = 'unchanged';
      note = `within ±${tol}%; ${units} could detect changes of ${fmtPct(det)} or more`;
    } else if (!x.gates) {
      status = 'inconclusive';
      note = `beyond ±${tol}% (${units}: ${signedPct(t.effectPct)}, noise ±${fmtPct(t.noisePct)}); a tail percentile of a round is too noisy to gate on: compare sets of runs (--sets) or repeats to test it`;
    } else if (real && agrees) {
      status = worse ? 'regressed' : 'improved';
      note = `${units}: ${signedPct(t.effectPct)}, p=${fmtP(t.p)} (Holm-corrected α ${alpha}), beyond twice the ±${fmtPct(t.noisePct)} unit-to-unit noise`;
    } else {
      status = 'inconclusive';
      note = `beyond ±${tol}% but not beyond the noise of ${units} (${signedPct(t.effectPct)}, p=${fmtP(t.p)}, noise ±${fmtPct(t.noisePct)}); they could detect changes of ${fmtPct(det)} or more`;
    }
    return {
      ...x.delta,
      status,
      method: t.method,
      p: t.p,
      effectPct: round2(t.effectPct),
      detectablePct: round2(det),
      noisePct: round2(t.noisePct),
      note,
    };
  });
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
      status: d !== null && Math.abs(d) <= tol ? 'unchanged' : 'untested',
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

/** Sweep points present in both runs (same parameter and x): p50, p99 and throughput of each op. */
function compareSweeps(bp: PhaseResult, cp: PhaseResult, alpha: number): Pending[] {
  const out: Pending[] = [];
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
        const side = (s: OpStats): Side => ({ ops: [s], repeats: [[]] });
        out.push(
          ...compareOp(scope, op, side(bo), side(co), alpha).tested.map((m) => ({
            ...m,
            delta: { ...m.delta, phase: bp.name },
          })),
        );
      }
    }
  }
  return out;
}

const fmtP = (p: number) => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));
const fmtPct = (v: number) => `${Number(v.toPrecision(2))}%`;
const signedPct = (v: number) => `${v >= 0 ? '+' : '−'}${fmtPct(Math.abs(v))}`;
const round2 = (x: number) => Math.round(x * 100) / 100;
