/**
 * Reading metrics out of results.json: phases in a scope, one op merged across phases (histograms
 * merged, never percentiles averaged), and the typed data blocks of cel and graph phases.
 */
import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { createHistogram, type Histogram } from '../metrics/histogram.js';
import type { OpStats, PhaseResult, Results } from '../results/types.js';

export interface MergedOp {
  phases: string[];
  count: number;
  errors: number;
  /** Successful ops / summed active duration of the op in each phase. */
  throughput: number;
  histogram: Histogram;
}

const decoded = new Map<string, Histogram>();

/** Decoded histogram, cached by its encoding (reports and thresholds read the same ones repeatedly). */
export function histogramOf(encoded: string): Histogram {
  let h = decoded.get(encoded);
  if (!h) {
    // Decoded into 64-bit counters, not the packed layout decodeHistogram uses for storage: percentile
    // lookups on packed arrays measured ~20× slower (1.4 s vs 65 ms for 200 lookups), and reports do many.
    h = encoded ? decodeFromCompressedBase64(encoded, 64, false) : createHistogram();
    if (decoded.size > 2000) decoded.clear();
    decoded.set(encoded, h);
  }
  return h;
}

export function phasesInScope(results: Results, scope?: string): PhaseResult[] {
  return scope === undefined ? results.phases : results.phases.filter((p) => p.name === scope);
}

export function mergeOp(phases: PhaseResult[], op: string): MergedOp | undefined {
  const withOp = phases.filter((p) => p.ops[op]);
  if (withOp.length === 0) return undefined;
  if (withOp.length === 1) {
    const s = withOp[0].ops[op];
    return {
      phases: [withOp[0].name],
      count: s.count,
      errors: s.errors,
      throughput: s.throughput,
      histogram: histogramOf(s.histogram),
    };
  }
  const histogram = createHistogram();
  let count = 0;
  let errors = 0;
  let durationMs = 0;
  for (const p of withOp) {
    const s = p.ops[op];
    histogram.add(histogramOf(s.histogram));
    count += s.count;
    errors += s.errors;
    durationMs += s.durationMs;
  }
  const throughput = durationMs > 0 ? ((count - errors) * 1000) / durationMs : 0;
  return { phases: withOp.map((p) => p.name), count, errors, throughput, histogram };
}

export interface CelExpression {
  name: string;
  expression: string;
  complexity: string;
  costOrder?: string;
  compileUs?: number;
  evalNs?: number;
  evalNsP95?: number;
  evalsPerSec?: number;
  bytesPerProgram?: number;
  baselineNs?: number;
}

export interface GraphSize {
  nodes: number;
  edges?: number;
  buildMs?: number;
  topoSortUs?: number;
  traversalOpsPerSec?: number;
  pathFindingOpsPerSec?: number;
  bytesPerNode?: number;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** CEL expressions of a phase (data.expressions), tolerant of fields a phase did not record. */
export function celExpressions(p: PhaseResult): CelExpression[] {
  const list = p.data?.expressions;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (e): e is CelExpression => isObj(e) && typeof e.name === 'string' && typeof e.complexity === 'string',
  );
}

export function graphSizes(p: PhaseResult): GraphSize[] {
  const list = p.data?.sizes;
  if (!Array.isArray(list)) return [];
  return list
    .filter((s): s is GraphSize => isObj(s) && typeof s.nodes === 'number')
    .sort((a, b) => a.nodes - b.nodes);
}

export function graphNumber(p: PhaseResult, key: string): number | undefined {
  const v = p.data?.[key];
  return typeof v === 'number' ? v : undefined;
}

/** All op names in the phases, in first-seen order, with readiness last-but-stable ordering kept. */
export function opNames(phases: PhaseResult[]): string[] {
  const seen = new Set<string>();
  for (const p of phases) for (const op of Object.keys(p.ops)) seen.add(op);
  return [...seen];
}

/**
 * The op stats of every request a phase made. A sweep phase's op table shows one point (see
 * sweepPointShown); its requests are those of all its points.
 */
export function phaseOpStats(p: PhaseResult): OpStats[] {
  const pointOps = (p.sweeps ?? []).flatMap((s) => s.points.flatMap((pt) => (pt.ops ? [pt.ops] : [])));
  return (pointOps.length ? pointOps : [p.ops]).flatMap((o) => Object.values(o));
}

/** Requests, errors and retries of a phase, over every point of a sweep. */
export function phaseRequests(p: PhaseResult): { count: number; errors: number; retries: number } {
  return phaseOpStats(p).reduce(
    (a, s) => ({ count: a.count + s.count, errors: a.errors + s.errors, retries: a.retries + s.retries }),
    { count: 0, errors: 0, retries: 0 },
  );
}

/** Which sweep point a sweep phase's op table shows, found by its (identical) recorded histograms. */
export function sweepPointShown(
  p: PhaseResult,
): { parameter: string; unit?: string; x: number; points: number } | undefined {
  const [op, stats] = Object.entries(p.ops)[0] ?? [];
  if (!op || !stats) return undefined;
  for (const s of p.sweeps ?? []) {
    const pt = s.points.find(
      (q) => q.ops?.[op]?.histogram === stats.histogram && q.ops[op].count === stats.count,
    );
    if (pt) return { parameter: s.parameter, unit: s.unit, x: pt.x, points: s.points.length };
  }
  return undefined;
}
