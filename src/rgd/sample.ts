/**
 * A sample instance and sample observed objects for evaluating an RGD's expressions offline: the
 * instance spec gets CRD defaulting (incl. `default: {}` propagation) and placeholders for fields
 * with no default; each resource is rendered in topological order by evaluating its template
 * against the objects rendered before it (what kro would apply; `status` is empty until a
 * controller writes it, so status reads are "data pending" as in kro).
 */
import type { CelEngine } from '../cel/engine.js';
import { toCelValue } from '../cel/values.js';
import { pathSegments } from './extract.js';
import { applyDefaults, type OpenApiSchema } from './simpleschema.js';
import type { CompiledResource, CompiledRgd } from './types.js';

const MAX_COLLECTION = 1000;

/** Placeholder value for a schema (defaults first; lists get 3 items so comprehensions do work). */
export function sampleValue(schema: OpenApiSchema, name = 'sample'): unknown {
  if (schema.default !== undefined && !(schema.type === 'object' && schema.properties))
    return structuredClone(schema.default);
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  switch (schema.type) {
    case 'string':
      return name;
    case 'integer':
      return Math.max(1, schema.minimum ?? 1);
    case 'number':
      return 1.5;
    case 'boolean':
      return true;
    case 'array':
      return schema.items ? [0, 1, 2].map((i) => sampleValue(schema.items!, `${name}-${i}`)) : [];
    case 'object': {
      if (schema.properties) {
        const out: Record<string, unknown> = {};
        for (const [k, s] of Object.entries(schema.properties)) out[k] = sampleValue(s, k);
        return out;
      }
      if (schema.additionalProperties) return { key: sampleValue(schema.additionalProperties, 'value') };
      return {};
    }
    default:
      return name;
  }
}

export function sampleInstance(rgd: CompiledRgd, spec?: Record<string, unknown>): Record<string, unknown> {
  const filled = spec === undefined ? sampleValue(rgd.schema.spec) : applyDefaults(spec, rgd.schema.spec);
  return {
    apiVersion: `${rgd.schema.group}/${rgd.schema.apiVersion}`,
    kind: rgd.schema.kind,
    metadata: {
      name: 'sample',
      namespace: rgd.schema.scope === 'Namespaced' ? 'default' : undefined,
      uid: '00000000-0000-4000-8000-000000000000',
      generation: 1,
      labels: {},
      annotations: {},
    },
    spec: filled,
  };
}

export interface EvalFailure {
  path: string;
  error: string;
}

function setAt(obj: Record<string, unknown>, path: string, value: unknown): void {
  const segs = pathSegments(path);
  let cur: Record<string | number, unknown> = obj;
  for (let i = 0; i < segs.length - 1; i++) cur = cur[segs[i]!] as Record<string | number, unknown>;
  cur[segs[segs.length - 1]!] = value;
}

/** Every combination of the forEach dimensions' values (kro's collection items), in order. */
export function cartesian(dims: { name: string; values: unknown[] }[]): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const d of dims) out = out.flatMap((combo) => d.values.map((v) => ({ ...combo, [d.name]: v })));
  return out;
}

export interface SampleWorld {
  /** Activation for every expression: schema + observed resources (converted to CEL values). */
  activation: Record<string, unknown>;
  /** Iterator bindings of the first item, per collection resource (for template evaluation). */
  firstItem: Record<string, Record<string, unknown>>;
  /** forEach product size per collection resource. */
  collectionSizes: Record<string, number>;
  /**
   * Resources kro would skip for this instance: includeWhen false, or a dependency skipped (skips are
   * contagious). They are still rendered so their expressions can be measured.
   */
  skipped: Set<string>;
  failures: EvalFailure[];
}

/** Render every resource in topological order against the sample instance. */
export function buildSampleWorld(rgd: CompiledRgd, instance: Record<string, unknown>): SampleWorld {
  const schemaValue = toCelValue(
    { ...instance, metadata: instance.metadata },
    { type: 'object', properties: { spec: rgd.schema.spec } },
  );
  const activation: Record<string, unknown> = { schema: schemaValue };
  const failures: EvalFailure[] = [];
  const firstItem: Record<string, Record<string, unknown>> = {};
  const collectionSizes: Record<string, number> = {};
  const skipped = new Set<string>();
  const byId = new Map(rgd.resources.map((r) => [r.id, r]));
  for (const id of rgd.topologicalOrder) {
    const res = byId.get(id)!;
    if (res.dependencies.some((d) => skipped.has(d)) || !includeWhenHolds(res, activation)) skipped.add(id);
    if (res.forEach.length === 0) {
      activation[id] = renderOne(res, activation, {}, failures);
      continue;
    }
    const dims = res.forEach.map((d, k) => {
      const e = res.expressions.find((x) => x.kind === 'forEach' && x.path.startsWith(`forEach[${k}]`));
      try {
        const v = e ? e.program.evaluate(activation) : [];
        return { name: d.name, values: Array.isArray(v) ? v : [] };
      } catch (err) {
        failures.push({ path: `${id}.forEach[${k}]`, error: (err as Error).message.split('\n')[0]! });
        return { name: d.name, values: [] };
      }
    });
    const size = dims.reduce((p, d) => p * d.values.length, 1);
    collectionSizes[id] = size;
    const combos = size > MAX_COLLECTION ? [] : cartesian(dims);
    if (size > MAX_COLLECTION) {
      failures.push({
        path: `${id}.forEach`,
        error: `collection size of ${size} is over the maximum collection size of ${MAX_COLLECTION}`,
      });
    }
    firstItem[id] = combos[0] ?? Object.fromEntries(dims.map((d) => [d.name, d.values[0] ?? '']));
    activation[id] = combos.map((c) => renderOne(res, activation, c, failures));
  }
  return { activation, firstItem, collectionSizes, failures, skipped };
}

function includeWhenHolds(res: CompiledResource, activation: Record<string, unknown>): boolean {
  for (const c of res.includeWhen) {
    try {
      if (c.program.evaluate(activation) !== true) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function renderOne(
  res: CompiledResource,
  activation: Record<string, unknown>,
  iterators: Record<string, unknown>,
  failures: EvalFailure[],
): Record<string, unknown> {
  const obj = structuredClone(res.template) as Record<string, unknown>;
  const ctx = Object.keys(iterators).length > 0 ? { ...activation, ...iterators } : activation;
  for (const e of res.expressions) {
    if (e.kind !== 'template' && e.kind !== 'externalRef') continue;
    try {
      setAt(obj, e.path, e.program.evaluate(ctx));
    } catch (err) {
      failures.push({ path: `${res.id}.${e.path}`, error: (err as Error).message.split('\n')[0]! });
    }
  }
  const meta = (obj.metadata ??= {}) as Record<string, unknown>;
  meta.uid ??= `uid-${res.id}`;
  if (!res.external) obj.status ??= {};
  return toCelValue(obj) as Record<string, unknown>;
}

/** Evaluate one expression against the world; the activation gets `each`/iterators as needed. */
export function activationFor(
  world: SampleWorld,
  res: CompiledResource | undefined,
  kind: string,
): Record<string, unknown> {
  if (!res) return world.activation;
  if (res.forEach.length > 0) {
    if (kind === 'readyWhen') {
      const items = world.activation[res.id] as unknown[];
      return { ...world.activation, each: items?.[0] ?? {} };
    }
    if (kind === 'template') return { ...world.activation, ...world.firstItem[res.id] };
  }
  return world.activation;
}

export type { CelEngine };
