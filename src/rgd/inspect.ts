/**
 * `rgd inspect`: validation result, graph facts, each expression's class and measured evaluation
 * cost against a sample instance, and advice with reasons.
 */
import { CelEngine } from '../cel/engine.js';
import { timeBatched } from '../cel/measure.js';
import { criticalPath } from '../graph/traverse.js';
import { RgdError, compileRgd } from './build.js';
import { activationFor, buildSampleWorld, sampleInstance } from './sample.js';
import type { CompiledRgd, UncheckedExpression } from './types.js';

export interface InspectedExpression {
  resource: string;
  kind: string;
  path: string;
  expression: string;
  complexity: string;
  costOrder: string;
  /** Mean eval ns against the sample instance; null when the data is not there offline (e.g. status). */
  evalNs: number | null;
  pending?: string;
  /** Set when kro would skip this for the sample instance (includeWhen false, or a skipped dependency). */
  skipped?: string;
}

export interface Advice {
  /** Which check produced it: nested-quantifier, template-type, deep-chain, fan-in, fan-out, no-readywhen, foreach-size, foreach-dimensions. */
  rule: string;
  severity: 'info' | 'warning' | 'error';
  resource?: string;
  message: string;
  reason: string;
}

export interface InspectReport {
  file?: string;
  name: string;
  kind: string;
  valid: boolean;
  schema?: { kind: string; apiVersion: string; group: string; scope: string; crdName: string };
  resources: {
    id: string;
    kind: string;
    apiVersion: string;
    external: boolean;
    dependencies: string[];
    dependents: string[];
    fanIn: number;
    fanOut: number;
    applyOrder: number;
    level: number;
    /** kro would skip it for the sample instance (includeWhen). */
    skippedInSample?: boolean;
    collection?: { dimensions: string[]; sampleSize: number };
  }[];
  topologicalOrder: string[];
  deletionLayers: string[][];
  depth: number;
  criticalPath: string[];
  expressions: InspectedExpression[];
  advice: Advice[];
  warnings: string[];
  /**
   * Expressions kro would accept that kubeperf cannot check or evaluate (its own CEL gaps): the RGD
   * is still valid as far as kubeperf can tell, and the exit code stays 0.
   */
  unchecked: UncheckedExpression[];
  errors: string[];
}

export interface InspectOptions {
  /** Instance `spec` to evaluate against (else built from schema defaults and placeholders). */
  instanceSpec?: Record<string, unknown>;
  /** Total time budget for eval measurements (default 1000 ms). */
  measureBudgetMs?: number;
  /** Skip timing (round-trip tests): evalNs is then null. */
  measure?: boolean;
  file?: string;
  engine?: CelEngine;
  /** Notes from reading the file (e.g. duplicate YAML keys), shown with the report's warnings. */
  documentWarnings?: string[];
}

const NON_STRING_FIELDS = new Set([
  'replicas', 'port', 'containerPort', 'targetPort', 'nodePort', 'number', 'minReplicas', 'maxReplicas',
  'enabled', 'suspend', 'parallelism', 'completions', 'backoffLimit', 'ttlSecondsAfterFinished', 'weight',
  'revisionHistoryLimit', 'minReadySeconds', 'progressDeadlineSeconds', 'terminationGracePeriodSeconds',
  'initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold', 'runAsUser',
]); // prettier-ignore

export function inspectDocument(doc: unknown, options: InspectOptions = {}): InspectReport {
  const meta = (doc as { metadata?: { name?: string }; kind?: string }) ?? {};
  const empty: InspectReport = {
    ...(options.file ? { file: options.file } : {}),
    name: String(meta.metadata?.name ?? ''),
    kind: String(meta.kind ?? ''),
    valid: false,
    resources: [],
    topologicalOrder: [],
    deletionLayers: [],
    depth: 0,
    criticalPath: [],
    expressions: [],
    advice: [],
    warnings: [...(options.documentWarnings ?? [])],
    unchecked: [],
    errors: [],
  };
  let rgd: CompiledRgd;
  try {
    rgd = compileRgd(doc, { engine: options.engine ?? new CelEngine() });
  } catch (e) {
    if (e instanceof RgdError) return { ...empty, errors: [e.message] };
    throw e;
  }
  return inspectCompiled(rgd, options, empty);
}

export function inspectCompiled(
  rgd: CompiledRgd,
  options: InspectOptions,
  base: InspectReport,
): InspectReport {
  const dag = rgd.dag;
  const levels = dag.size > 0 ? dag.levels() : new Int32Array(0);
  const world = buildSampleWorld(rgd, sampleInstance(rgd, options.instanceSpec));
  const resources = rgd.resources.map((r, i) => {
    const dependents = Array.from(dag.dependentsOf(i), (d) => dag.ids[d]!);
    return {
      id: r.id,
      kind: r.kind,
      apiVersion: r.apiVersion,
      external: r.external,
      dependencies: r.dependencies,
      dependents,
      fanIn: r.dependencies.length,
      fanOut: dependents.length,
      applyOrder: rgd.applyOrders[r.id]!,
      level: levels[i]!,
      ...(world.skipped.has(r.id) ? { skippedInSample: true } : {}),
      ...(r.forEach.length > 0
        ? {
            collection: {
              dimensions: r.forEach.map((d) => d.name),
              sampleSize: world.collectionSizes[r.id] ?? 0,
            },
          }
        : {}),
    };
  });

  const all = [
    ...rgd.resources.flatMap((r) => [...r.expressions, ...r.includeWhen, ...r.readyWhen]),
    ...rgd.status,
  ];
  const measure = options.measure ?? true;
  // The whole measurement shares one budget: a 1,000-resource RGD gets short batches, not 30 s.
  const perExprMs = Math.min(25, (options.measureBudgetMs ?? 1000) / Math.max(1, all.length));
  const byId = new Map(rgd.resources.map((r) => [r.id, r]));
  const skipNote = (resource: string, refs: string[]): { skipped?: string } => {
    const hit = world.skipped.has(resource) ? resource : refs.find((x) => world.skipped.has(x));
    return hit ? { skipped: `${hit} is skipped by includeWhen for the sample instance` } : {};
  };
  const expressions: InspectedExpression[] = all.map((e) => {
    const activation = activationFor(world, byId.get(e.resource), e.kind);
    let evalNs: number | null = null;
    let pending: string | undefined;
    try {
      e.program.evaluate(activation);
      if (measure) {
        const fn = e.program.evaluate;
        evalNs = Math.round(
          timeBatched(() => fn(activation), {
            budgetMs: perExprMs / 2,
            batchTargetMs: Math.min(0.25, perExprMs / 8),
            warmupMs: perExprMs / 4,
            minSamples: 2,
          }).meanNs,
        );
      }
    } catch (err) {
      pending = (err as Error).message.split('\n')[0];
    }
    return {
      resource: e.resource,
      kind: e.kind,
      path: e.path,
      expression: e.expression,
      complexity: e.program.classification.complexity,
      costOrder: e.program.classification.costOrder,
      evalNs,
      ...(pending ? { pending } : {}),
      ...skipNote(e.resource, e.references),
    };
  });

  const advice: Advice[] = adviseOn(rgd, resources, all, world.collectionSizes);
  for (const f of world.failures) {
    if (/no_matching_overload|no matching overload/.test(f.error)) {
      advice.push({
        rule: 'template-type',
        severity: 'warning',
        resource: f.path.split('.')[0],
        message: `${f.path}: ${f.error}`,
        reason:
          'a string template whose parts are not all strings fails at runtime in kro; wrap non-strings in string()',
      });
    }
  }
  return {
    ...base,
    advice: collapseAdvice(advice),
    name: rgd.name,
    kind: rgd.kind,
    valid: true,
    schema: {
      kind: rgd.schema.kind,
      apiVersion: rgd.schema.apiVersion,
      group: rgd.schema.group,
      scope: rgd.schema.scope,
      crdName: rgd.schema.crdName,
    },
    resources,
    topologicalOrder: rgd.topologicalOrder,
    deletionLayers: rgd.deletionLayers,
    depth: rgd.depth,
    criticalPath: criticalPath(dag),
    expressions,
    warnings: [...base.warnings, ...rgd.warnings],
    unchecked: [...rgd.unchecked],
    errors: [],
  };
}

function adviseOn(
  rgd: CompiledRgd,
  resources: InspectReport['resources'],
  all: CompiledRgd['status'],
  collectionSizes: Record<string, number>,
): Advice[] {
  const advice: Advice[] = [];
  for (const e of all) {
    const f = e.program.facts;
    if (f.comprehensionDepth >= 2) {
      advice.push({
        rule: 'nested-quantifier',
        severity: 'warning',
        resource: e.resource,
        message: `${e.resource} ${e.path}: nested quantifiers cost ${e.program.classification.costOrder}`,
        reason:
          'every reconcile evaluates it; with lists of n items the cost grows as n^depth — precompute or restructure',
      });
    }
    if (e.kind === 'template' && !e.standalone) {
      const last = e.path.split('.').pop()!.replace(/\[.*$/, '');
      if (NON_STRING_FIELDS.has(last)) {
        advice.push({
          rule: 'template-type',
          severity: 'warning',
          resource: e.resource,
          message: `${e.resource} ${e.path}: string template "${e.raw}" at a field that is usually not a string`,
          reason:
            'a template always yields a string; kro rejects it where the schema expects integer/boolean — use a standalone ${…}',
        });
      }
    }
  }
  if (rgd.depth >= 5) {
    advice.push({
      rule: 'deep-chain',
      severity: 'warning',
      message: `dependency chain of depth ${rgd.depth}: ${criticalPath(rgd.dag).join(' → ')}`,
      reason: `a kro-like controller needs at least ${rgd.depth} reconcile passes (≈3 s requeue each plus readiness) to create everything`,
    });
  }
  for (const r of resources) {
    if (r.fanIn >= 8) {
      advice.push({
        rule: 'fan-in',
        severity: 'info',
        resource: r.id,
        message: `${r.id} depends on ${r.fanIn} resources`,
        reason: 'wide fan-in: it waits for the slowest of them; consider splitting or depending on fewer',
      });
    }
    if (r.fanOut >= 10) {
      advice.push({
        rule: 'fan-out',
        severity: 'info',
        resource: r.id,
        message: `${r.fanOut} resources depend on ${r.id}`,
        reason: 'every change to it re-renders all its dependents',
      });
    }
    const res = rgd.resources.find((x) => x.id === r.id)!;
    if (r.fanOut > 0 && res.readyWhen.length === 0 && !res.external) {
      advice.push({
        rule: 'no-readywhen',
        severity: 'info',
        resource: r.id,
        message: `${r.id} has ${r.fanOut} dependent(s) but no readyWhen`,
        reason: 'dependents proceed as soon as it exists, before it is actually ready',
      });
    }
    const size = collectionSizes[r.id];
    if (size !== undefined && size > 100) {
      advice.push({
        rule: 'foreach-size',
        severity: size > 1000 ? 'error' : 'warning',
        resource: r.id,
        message: `${r.id}: forEach product of ${size} items for the sample instance`,
        reason:
          size > 1000
            ? 'over kro’s maximum collection size of 1000'
            : 'each item is a separate object to apply and watch',
      });
    }
    if (res.forEach.length >= 3) {
      advice.push({
        rule: 'foreach-dimensions',
        severity: 'info',
        resource: r.id,
        message: `${r.id}: ${res.forEach.length} forEach dimensions`,
        reason: 'the cartesian product grows multiplicatively with every dimension',
      });
    }
  }
  return advice;
}

/** Keep the first few of each rule; a generated 1,000-resource RGD would otherwise list 1,000 of each. */
export function collapseAdvice(advice: Advice[], keep = 5): Advice[] {
  const byRule = new Map<string, Advice[]>();
  for (const a of advice) {
    const list = byRule.get(a.rule);
    if (list) list.push(a);
    else byRule.set(a.rule, [a]);
  }
  const out: Advice[] = [];
  for (const [rule, list] of byRule) {
    out.push(...list.slice(0, keep));
    if (list.length > keep) {
      out.push({
        rule,
        severity: list[0]!.severity,
        message: `… and ${list.length - keep} more like this (${rule})`,
        reason: list[0]!.reason,
      });
    }
  }
  return out;
}

/** Mermaid flowchart: edges point from a dependency to its dependents (creation order). */
export function toMermaid(report: InspectReport): string {
  const lines = ['flowchart TD'];
  for (const r of report.resources) lines.push(`  ${r.id}["${r.id}<br/>${r.kind}"]`);
  for (const r of report.resources) for (const d of r.dependencies) lines.push(`  ${d} --> ${r.id}`);
  return lines.join('\n');
}
