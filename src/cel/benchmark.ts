/**
 * Measures CEL expressions: compile µs (uncached parse + check), eval ns mean/p95 (batched), evals/s,
 * retained bytes per compiled program, and the hand-written JS baseline where one exists.
 */
import { CelEngine, type CelProgram } from './engine.js';
import type { Complexity } from './complexity.js';
import { bytesPerObject, timeBatched, timePaired, timeRepeated, type BatchOptions } from './measure.js';

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
  evalNs: number;
  evalNsP95: number;
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
}

export interface CelBenchOptions extends BatchOptions {
  /** Compiles timed for compileUs (default 100). */
  compileRepeats?: number;
  /** Programs kept alive to measure bytesPerProgram (default 1000). */
  memoryPrograms?: number;
}

export function benchmarkExpression(
  input: ExpressionInput,
  activation: Record<string, unknown>,
  options: CelBenchOptions = {},
): ExpressionResult {
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
      name: input.name,
      expression: input.expression,
      complexity: classification.complexity,
      costOrder: classification.costOrder,
      compileUs: 0,
      evalNs: 0,
      evalNsP95: 0,
      evalsPerSec: 0,
      bytesPerProgram: 0,
      resultType: 'error',
      error: (e instanceof Error ? e.message : String(e)).split('\n')[0],
    };
  }
  const uncached = new CelEngine({ cache: false });
  const compile = timeRepeated(() => uncached.compile(input.expression), options.compileRepeats ?? 100);
  const evaluate = program.evaluate;
  const baseline = input.baseline;
  let timing;
  let baselineNs: number | undefined;
  if (baseline) {
    const fn = baseline as (a: Record<string, unknown>) => unknown;
    const [cel, js] = timePaired(
      () => evaluate(activation),
      () => fn(activation),
      options,
    );
    timing = cel;
    baselineNs = js.meanNs;
  } else {
    timing = timeBatched(() => evaluate(activation), options);
  }
  const bytes = bytesPerObject(() => uncached.compile(input.expression), options.memoryPrograms ?? 1000);
  const celGoReferenceNs = input.celGoReferenceNs;
  return {
    name: input.name,
    expression: input.expression,
    complexity: program.classification.complexity,
    costOrder: program.classification.costOrder,
    compileUs: round(compile.medianNs / 1000, 3),
    evalNs: round(timing.meanNs, 1),
    evalNsP95: round(timing.p95Ns, 1),
    evalsPerSec: Math.round(timing.opsPerSec),
    bytesPerProgram: bytes,
    ...(baselineNs !== undefined
      ? {
          baselineNs: round(baselineNs, 1),
          baselineRatio: round(timing.meanNs / Math.max(baselineNs, 0.01), 2),
        }
      : {}),
    ...(celGoReferenceNs !== undefined ? { celGoReferenceNs } : {}),
    resultType: program.type,
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
