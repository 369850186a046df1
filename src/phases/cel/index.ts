/**
 * `cel`: CEL evaluation cost by expression and complexity class — compile µs, eval ns (mean, p95,
 * batched), evals/s, bytes per compiled program, and a hand-written JS baseline where one exists.
 * Pure CPU: no cluster. Expressions come from the built-in reference set, the phase options, a
 * YAML/JSON file, or every expression of an RGD evaluated against its sample instance.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { benchmarkExpressions, summarizeByComplexity, type ExpressionResult } from '../../cel/benchmark.js';
import { toCelValue } from '../../cel/values.js';
import { REFERENCE_EXPRESSIONS, referenceActivation } from '../../cel/reference.js';
import { InputError } from '../../core/errors.js';
import { compileRgdFile, readYamlDocuments } from '../../rgd/load.js';
import { activationFor, buildSampleWorld, sampleInstance } from '../../rgd/sample.js';
import type { PhaseType } from '../types.js';

const ExpressionEntry = z.union([
  z.string().min(1),
  z.strictObject({ name: z.string().min(1), expression: z.string().min(1) }),
]);

export const CelOptions = z.strictObject({
  /** Expressions to measure (strings or {name, expression}); evaluated over the reference activation. */
  expressions: z.array(ExpressionEntry).optional(),
  /** YAML/JSON file: a list like `expressions`, or `{expressions: [...], activation: {...}}`. */
  expressionsFile: z.string().optional(),
  /** Measure every expression of this ResourceGraphDefinition against its sample instance. */
  rgd: z.string().optional(),
  /** Activation (variables) for `expressions`; default: the reference `spec` with `items` items. */
  activation: z.record(z.string(), z.unknown()).optional(),
  /** Items in the reference activation's spec.items (the study used 4–10). */
  items: z.number().int().min(1).max(10_000).default(8),
  /** Include the five reference expressions (default: only when nothing else is given). */
  reference: z.boolean().optional(),
  /** Measurement time per expression, ms. */
  budgetMs: z.number().positive().max(10_000).default(150),
});
export type CelOptions = z.infer<typeof CelOptions>;

interface Planned {
  name: string;
  expression: string;
  activation: Record<string, unknown>;
  /** Reference set only: JS baseline and cel-go number, valid for the reference activation. */
  baseline?: (a: never) => unknown;
  celGoReferenceNs?: number;
}

function entries(list: z.infer<typeof ExpressionEntry>[]): { name: string; expression: string }[] {
  return list.map((e, i) => (typeof e === 'string' ? { name: `expr-${i + 1}`, expression: e } : e));
}

function loadExpressionsFile(file: string): {
  list: { name: string; expression: string }[];
  activation?: Record<string, unknown>;
} {
  const docs = readYamlDocuments(file);
  const v = docs[0]?.value;
  const parsed = z
    .union([
      z.array(ExpressionEntry),
      z.strictObject({
        expressions: z.array(ExpressionEntry),
        activation: z.record(z.string(), z.unknown()).optional(),
      }),
    ])
    .safeParse(v);
  if (!parsed.success) {
    throw new InputError(
      `${file}: expected a list of expressions or {expressions: [...], activation: {...}}`,
      {
        problems: parsed.error.issues.map((i) => `${file}: ${i.path.join('.') || '(root)'}: ${i.message}`),
        hint: 'each entry is a CEL string or {name, expression}',
      },
    );
  }
  return Array.isArray(parsed.data)
    ? { list: entries(parsed.data) }
    : { list: entries(parsed.data.expressions), activation: parsed.data.activation };
}

function planExpressions(o: CelOptions, baseDir: string): Planned[] {
  const defaultActivation = toCelValue(o.activation ?? referenceActivation(o.items)) as Record<
    string,
    unknown
  >;
  const out: Planned[] = [];
  const hasOwn = !!(o.expressions?.length || o.expressionsFile || o.rgd);
  if (o.reference ?? !hasOwn) {
    const refActivation = toCelValue(referenceActivation(o.items)) as Record<string, unknown>;
    for (const r of REFERENCE_EXPRESSIONS) {
      out.push({
        name: r.name,
        expression: r.expression,
        activation: refActivation,
        baseline: r.baseline,
        celGoReferenceNs: r.celGoReferenceNs,
      });
    }
  }
  for (const e of entries(o.expressions ?? [])) out.push({ ...e, activation: defaultActivation });
  if (o.expressionsFile) {
    const f = loadExpressionsFile(resolve(baseDir, o.expressionsFile));
    const act = f.activation ? (toCelValue(f.activation) as Record<string, unknown>) : defaultActivation;
    for (const e of f.list) out.push({ ...e, activation: act });
  }
  if (o.rgd) {
    for (const rgd of compileRgdFile(resolve(baseDir, o.rgd))) {
      const world = buildSampleWorld(rgd, sampleInstance(rgd));
      const byId = new Map(rgd.resources.map((r) => [r.id, r]));
      for (const e of [
        ...rgd.resources.flatMap((r) => [...r.expressions, ...r.includeWhen, ...r.readyWhen]),
        ...rgd.status,
      ]) {
        out.push({
          name: `${rgd.name || rgd.schema.kind}:${e.resource}.${e.path}`,
          expression: e.expression,
          activation: activationFor(world, byId.get(e.resource), e.kind),
        });
      }
    }
  }
  return out;
}

const fmt = (r: ExpressionResult) =>
  `${r.name} (${r.complexity}, ${r.evalNs} ns, IQR ±${r.evalNsSpreadPct / 2}%)`;

export const celPhase: PhaseType<CelOptions> = {
  type: 'cel',
  description:
    'CEL expression cost by complexity class: compile µs, eval ns (mean/p95), evals/s, bytes per program, JS baseline.',
  options: CelOptions,
  plan(o, ctx) {
    const planned = planExpressions(o, ctx.baseDir);
    return {
      steps: [
        `measure ${planned.length} CEL expression(s) for ~${o.budgetMs} ms each` +
          (o.rgd ? ` (from ${o.rgd})` : o.expressionsFile ? ` (from ${o.expressionsFile})` : ''),
      ],
      requests: 0,
      needsCluster: false,
    };
  },
  async run(o, ctx) {
    const planned = planExpressions(o, ctx.baseDir);
    const warnings: string[] = [];
    const rounds = 5;
    ctx.progress.start(rounds, 'rounds');
    ctx.progress.status(`${planned.length} expressions in ${rounds} interleaved rounds`);
    const results: ExpressionResult[] = await benchmarkExpressions(
      planned.map(({ activation, ...input }) => ({ input, activation })),
      { budgetMs: o.budgetMs, rounds, signal: ctx.signal, onRound: () => ctx.progress.advance(1) },
    );
    for (const r of results) if (r.error) warnings.push(`${r.name}: ${r.error}`);
    const byName = new Map(results.map((r) => [r.name, r]));
    const rank = { simple: 0, medium: 1, complex: 2, 'very-complex': 3 };
    const pairs = results.flatMap((a) =>
      (a.unorderedWith ?? [])
        .map((n) => byName.get(n)!)
        .filter((b) => rank[a.complexity] < rank[b.complexity])
        .map((b) => `${fmt(a)} measured slower than ${fmt(b)}`),
    );
    if (pairs.length)
      warnings.push(
        `too noisy to order by complexity (the intervals of their medians overlap): ${pairs.join('; ')}; raise budgetMs or measure on a quieter machine`,
      );
    ctx.progress.finish();
    return {
      data: { expressions: results, byComplexity: summarizeByComplexity(results), activationItems: o.items },
      ...(warnings.length ? { warnings } : {}),
    };
  },
};
