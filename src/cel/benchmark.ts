/**
 * Measures CEL expressions: compile µs (uncached parse + check, median of repeats), eval ns (median
 * of batch means, with their spread and a 95% interval), evals/s, retained bytes per compiled
 * program, and the hand-written JS baseline where one exists. Expressions are measured in
 * interleaved rounds, so background load hits them alike; a pair whose order by complexity is
 * inverted within overlapping intervals is flagged as too noisy to order.
 */
import { CelEngine, type CelProgram } from './engine.js';
import type { Complexity } from './complexity.js';
import {
  bytesPerObject,
  timeInterleaved,
  timeRepeated,
  unorderedPairs,
  type BatchOptions,
  type BatchTiming,
} from './measure.js';

export interface ExpressionInput {
  name: string;
  expression: string;
  /** Hand-written JS equivalent over the same activation. */
  baseline?: (activation: never) => unknown;
  /** cel-go ns on the reference machine (reference set over the reference activation only). */
  celGoReferenceNs?: number;
}

export interface ExpressionResult {
  name: string;
  expression: string;
  complexity: Complexity;
  costOrder: string;
  compileUs: number;
  /** Median of the batch means. */
  evalNs: number;
  evalNsP95: number;
  /** Interquartile range of the batch means as a percentage of the median. */
  evalNsSpreadPct: number;
  /** 95% interval of the median. */
  evalNsLow: number;
  evalNsHigh: number;
  evalsPerSec: number;
  bytesPerProgram: number;
  baselineNs?: number;
  /** evalNs / baselineNs. */
  baselineRatio?: number;
  /** cel-go v0.16 on the reference machine, for the reference set. */
  celGoReferenceNs?: number;
  resultType: string;
  /** Set when the expression failed to compile or evaluate; timings are then 0. */
  error?: string;
  /** Expressions of another complexity class it cannot be ordered against: inverted within the spread. */
  unorderedWith?: string[];
}

export interface CelBenchOptions extends BatchOptions {
  /** Compiles timed for compileUs (default 100). */
  compileRepeats?: number;
  /** Programs kept alive to measure bytesPerProgram (default 1000). */
  memoryPrograms?: number;
  /** Interleaved rounds over the expressions (default 5). */
  rounds?: number;
}

const COMPLEXITY_RANK: Record<Complexity, number> = { simple: 0, medium: 1, complex: 2, 'very-complex': 3 };

/** One expression measured alone (the reference benchmark); see benchmarkExpressions. */
export async function benchmarkExpression(
  input: ExpressionInput,
  activation: Record<string, unknown>,
  options: CelBenchOptions = {},
): Promise<ExpressionResult> {
  return (await benchmarkExpressions([{ input, activation }], options))[0]!;
}

/** Expressions measured together in interleaved rounds; `budgetMs` is per expression. */
export async function benchmarkExpressions(
  cases: { input: ExpressionInput; activation: Record<string, unknown> }[],
  options: CelBenchOptions & { signal?: AbortSignal; onRound?: (r: number) => void } = {},
): Promise<ExpressionResult[]> {
  const prepared = cases.map(({ input, activation }) => prepare(input, activation, options));
  // Each expression's eval, and its JS baseline right after it, as cases of one interleaved run.
  const fns: (() => unknown)[] = [];
  const slot: { cel: number; js?: number }[] = [];
  for (const p of prepared) {
    if ('error' in p) {
      slot.push({ cel: -1 });
      continue;
    }
    slot.push({ cel: fns.push(p.evaluate) - 1, ...(p.baseline ? { js: fns.push(p.baseline) - 1 } : {}) });
  }
  const timings = fns.length ? await timeInterleaved(fns, options) : [];
  const results = prepared.map((p, i) =>
    'error' in p ? p.error : finish(p, timings[slot[i]!.cel]!, timings[slot[i]!.js ?? -1], options),
  );
  const ok = results.filter((r) => !r.error);
  for (const [a, b] of unorderedPairs(
    ok.map((r) => ({
      name: r.name,
      rank: COMPLEXITY_RANK[r.complexity],
      value: r.evalNs,
      low: r.evalNsLow,
      high: r.evalNsHigh,
    })),
  )) {
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      const r = ok.find((e) => e.name === x)!;
      r.unorderedWith = [...(r.unorderedWith ?? []), y];
    }
  }
  return results;
}

interface Prepared {
  input: ExpressionInput;
  program: CelProgram;
  compile: { medianNs: number };
  evaluate: () => unknown;
  baseline?: () => unknown;
  make: () => unknown;
}

function prepare(
  input: ExpressionInput,
  activation: Record<string, unknown>,
  options: CelBenchOptions,
): Prepared | { error: ExpressionResult } {
  const engine = new CelEngine();
  let program: CelProgram;
  try {
    program = engine.compile(input.expression);
    program.evaluate(activation);
  } catch (e) {
    let classification: CelProgram['classification'] = {
      complexity: 'simple',
      costOrder: 'O(1)',
      reason: '',
    };
    try {
      classification = new CelEngine().compile(input.expression).classification;
    } catch {
      /* the expression does not even compile */
    }
    return {
      error: {
        name: input.name,
        expression: input.expression,
        complexity: classification.complexity,
        costOrder: classification.costOrder,
        compileUs: 0,
        evalNs: 0,
        evalNsP95: 0,
        evalNsSpreadPct: 0,
        evalNsLow: 0,
        evalNsHigh: 0,
        evalsPerSec: 0,
        bytesPerProgram: 0,
        resultType: 'error',
        error: (e instanceof Error ? e.message : String(e)).split('\n')[0],
      },
    };
  }
  const uncached = new CelEngine({ cache: false });
  const make = () => uncached.compile(input.expression);
  const compile = timeRepeated(make, options.compileRepeats ?? 100);
  const evaluate = program.evaluate;
  const js = input.baseline as ((a: Record<string, unknown>) => unknown) | undefined;
  return {
    input,
    program,
    compile,
    make,
    evaluate: () => evaluate(activation),
    ...(js ? { baseline: () => js(activation) } : {}),
  };
}

function finish(
  p: Prepared,
  timing: BatchTiming,
  baseline: BatchTiming | undefined,
  options: CelBenchOptions,
): ExpressionResult {
  const bytes = bytesPerObject(p.make, options.memoryPrograms ?? 1000);
  const celGoReferenceNs = p.input.celGoReferenceNs;
  return {
    name: p.input.name,
    expression: p.input.expression,
    complexity: p.program.classification.complexity,
    costOrder: p.program.classification.costOrder,
    compileUs: round(p.compile.medianNs / 1000, 3),
    evalNs: round(timing.p50Ns, 1),
    evalNsP95: round(timing.p95Ns, 1),
    evalNsSpreadPct: round(timing.spreadPct, 1),
    evalNsLow: round(timing.ciLowNs, 1),
    evalNsHigh: round(timing.ciHighNs, 1),
    evalsPerSec: Math.round(timing.opsPerSec),
    bytesPerProgram: bytes,
    ...(baseline
      ? {
          baselineNs: round(baseline.p50Ns, 1),
          baselineRatio: round(timing.p50Ns / Math.max(baseline.p50Ns, 0.01), 2),
        }
      : {}),
    ...(celGoReferenceNs !== undefined ? { celGoReferenceNs } : {}),
    resultType: p.program.type,
  };
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Per complexity class: the slowest expression's numbers (what a threshold on the class checks). */
export function summarizeByComplexity(
  results: readonly ExpressionResult[],
): Partial<Record<Complexity, { evalNs: number; evalNsP95: number; compileUs: number; count: number }>> {
  const out: Partial<
    Record<Complexity, { evalNs: number; evalNsP95: number; compileUs: number; count: number }>
  > = {};
  for (const r of results) {
    if (r.error) continue;
    const s = (out[r.complexity] ??= { evalNs: 0, evalNsP95: 0, compileUs: 0, count: 0 });
    s.evalNs = Math.max(s.evalNs, r.evalNs);
    s.evalNsP95 = Math.max(s.evalNsP95, r.evalNsP95);
    s.compileUs = Math.max(s.compileUs, r.compileUs);
    s.count++;
  }
  return out;
}
