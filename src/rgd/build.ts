/**
 * Compiles an RGD the way kro's builder does (pkg/graph/builder.go), in kro's order: names → SimpleSchema
 * → per-resource structure and expressions → duplicate ids → DAG and cycles → topological order and
 * apply orders → CEL compile (forEach → template → includeWhen → readyWhen) → status. The first
 * violation throws RgdError with kro's message, as kro's GraphAccepted condition would show it.
 * Kinds' OpenAPI schemas are not available offline, so resource variables are `dyn`.
 */
import { CelCompileError, CelEngine, CelTypeChecker, celErrorSummary } from '../cel/engine.js';
import { LIBRARY_NAMESPACES } from '../cel/library.js';
import { classifyUnknownFunctions, kubeperfLimitation, unsupportedFunctionsMessage } from '../cel/limits.js';
import { CycleError, Dag } from '../graph/dag.js';
import {
  ExpressionSyntaxError,
  findExpressionFields,
  findPlainLeaves,
  scanString,
  templateExpression,
} from './extract.js';
import { SimpleSchemaError, simpleSchemaToOpenApi } from './simpleschema.js';
import { schemaFieldTypes } from './schema-types.js';
import {
  CLUSTER_SCOPED_KINDS,
  K8S_VERSION,
  KRO_RESERVED_WORDS,
  LOWER_CAMEL,
  NAMING,
  RgdError,
  UPPER_CAMEL,
  isMap,
  pluralize,
  validateForEach,
  validateObjectStructure,
  validateTemplateConstraints,
} from './validate.js';
import type {
  CompiledExpression,
  CompiledResource,
  CompiledRgd,
  ExpressionKind,
  UncheckedExpression,
} from './types.js';

export interface CompileOptions {
  engine?: CelEngine;
}

export function compileRgd(doc: unknown, options: CompileOptions = {}): CompiledRgd {
  const engine = options.engine ?? new CelEngine();
  if (!isMap(doc)) throw new RgdError('the document is not a map');
  const kind = String(doc.kind ?? '');
  if (kind !== 'ResourceGraphDefinition' && kind !== 'ResourceGroup') {
    throw new RgdError(
      `kind must be ResourceGraphDefinition (or the legacy ResourceGroup), got ${JSON.stringify(doc.kind)}`,
    );
  }
  if (typeof doc.apiVersion !== 'string' || doc.apiVersion !== 'kro.run/v1alpha1') {
    throw new RgdError(`apiVersion must be kro.run/v1alpha1, got ${JSON.stringify(doc.apiVersion)}`);
  }
  const name = isMap(doc.metadata) && typeof doc.metadata.name === 'string' ? doc.metadata.name : '';
  const spec = doc.spec;
  if (!isMap(spec)) throw new RgdError('spec is required');
  const schema = spec.schema;
  if (!isMap(schema)) throw new RgdError('spec.schema is required');
  const rawResources = spec.resources ?? [];
  if (!Array.isArray(rawResources)) throw new RgdError('spec.resources must be a list');

  // 1. names
  const schemaKind = String(schema.kind ?? '');
  if (!UPPER_CAMEL.test(schemaKind)) {
    throw new RgdError(
      `${NAMING}: kind '${schemaKind}' is not a valid KRO kind name: must be UpperCamelCase`,
    );
  }
  const ids = rawResources.map((r) => (isMap(r) ? String(r.id ?? '') : ''));
  const seen = new Set<string>();
  for (const id of ids) {
    if (KRO_RESERVED_WORDS.has(id)) throw new RgdError(`${NAMING}: id ${id} is a reserved keyword in KRO`);
    if (!LOWER_CAMEL.test(id))
      throw new RgdError(`${NAMING}: id ${id} is not a valid KRO resource id: must be lower camelCase`);
    if (seen.has(id)) throw new RgdError(`${NAMING}: found duplicate resource IDs ${id}`);
    seen.add(id);
  }
  const idSet = new Set(ids);
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  rawResources.forEach((r, i) => validateForEach(ids[i]!, (r as Record<string, unknown>).forEach, idSet));

  // 2. SimpleSchema → OpenAPI
  const apiVersion = String(schema.apiVersion ?? '');
  if (!K8S_VERSION.test(apiVersion))
    throw new RgdError(`version ${apiVersion} is not a valid Kubernetes version`);
  const group = typeof schema.group === 'string' && schema.group ? schema.group : 'kro.run';
  const scope = schema.scope === 'Cluster' ? 'Cluster' : 'Namespaced';
  if (schema.scope !== undefined && schema.scope !== 'Cluster' && schema.scope !== 'Namespaced') {
    throw new RgdError(`scope must be Namespaced or Cluster, got ${JSON.stringify(schema.scope)}`);
  }
  let specSchema;
  try {
    specSchema = simpleSchemaToOpenApi(schema.spec ?? {}, isMap(schema.types) ? schema.types : {});
  } catch (e) {
    if (e instanceof SimpleSchemaError)
      throw new RgdError(`failed to build OpenAPI schema for instance: ${e.message}`);
    throw e;
  }

  const checker = new CelTypeChecker({ schema: schemaFieldTypes(specSchema) });

  // 3. per-resource structure and expression extraction
  const resources: CompiledResource[] = [];
  const pending: { res: CompiledResource; fields: Pending[] }[] = [];
  rawResources.forEach((raw, index) => {
    const r = raw as Record<string, unknown>;
    const id = ids[index]!;
    const hasTemplate = r.template !== undefined && r.template !== null;
    const hasExternal = r.externalRef !== undefined && r.externalRef !== null;
    const forEachRaw = Array.isArray(r.forEach) ? (r.forEach as Record<string, unknown>[]) : [];
    if (!hasTemplate && !hasExternal)
      throw new RgdError(`resource "${id}": exactly one of template or externalRef must be provided`);
    if (hasTemplate && hasExternal)
      throw new RgdError(`resource "${id}": cannot use externalRef with template`);
    if (hasExternal && forEachRaw.length > 0)
      throw new RgdError(`resource "${id}": cannot use externalRef with forEach`);
    const body = (hasTemplate ? r.template : r.externalRef) as unknown;
    if (!isMap(body))
      throw new RgdError(`resource "${id}": ${hasTemplate ? 'template' : 'externalRef'} must be a map`);
    try {
      validateObjectStructure(body);
    } catch (e) {
      throw new RgdError(`failed to build resource "${id}": ${(e as Error).message}`);
    }
    const meta = body.metadata as Record<string, unknown>;
    if (hasExternal) {
      const hasName = meta.name !== undefined;
      const hasSelector = meta.selector !== undefined;
      if (hasName === hasSelector)
        throw new RgdError(`resource "${id}": exactly one of name or selector must be provided`);
    } else {
      validateTemplateConstraints(id, body, scope === 'Namespaced');
    }
    const fields: Pending[] = [];
    const forEach: { name: string; expression: string }[] = [];
    forEachRaw.forEach((dim, d) => {
      const [iter, value] = Object.entries(dim)[0]!;
      const scan = typeof value === 'string' ? safeScan(value, id) : undefined;
      if (!scan?.standalone)
        throw new RgdError(`resource "${id}" forEach: only standalone expressions are allowed`);
      forEach.push({ name: iter, expression: scan.expressions[0]! });
      fields.push({
        kind: 'forEach',
        path: `forEach[${d}].${iter}`,
        raw: value as string,
        expression: scan.expressions[0]!,
        standalone: true,
      });
    });
    let found;
    try {
      found = findExpressionFields(body);
    } catch (e) {
      if (e instanceof ExpressionSyntaxError) throw new RgdError(`resource "${id}": ${e.message}`);
      throw e;
    }
    for (const f of found) {
      fields.push({
        kind: hasExternal ? 'externalRef' : 'template',
        path: f.path,
        raw: f.raw,
        expression: f.expression,
        standalone: f.scan.standalone,
      });
    }
    for (const key of ['includeWhen', 'readyWhen'] as const) {
      const list = r[key];
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list)) throw new RgdError(`resource "${id}": ${key} must be a list of expressions`);
      list.forEach((c, k) => {
        const scan = typeof c === 'string' ? safeScan(c, id) : undefined;
        if (!scan?.standalone)
          throw new RgdError(`resource "${id}" ${key}: only standalone expressions are allowed`);
        fields.push({
          kind: key,
          path: `${key}[${k}]`,
          raw: c as string,
          expression: scan.expressions[0]!,
          standalone: true,
        });
      });
    }
    const res: CompiledResource = {
      id,
      index,
      apiVersion: String(body.apiVersion),
      kind: String(body.kind),
      external: hasExternal,
      forEach,
      template: body,
      dependencies: [],
      expressions: [],
      readyWhen: [],
      includeWhen: [],
    };
    resources.push(res);
    pending.push({ res, fields });
  });

  // Parse every expression once to get its references (dependencies come from the AST, not regex).
  // What only kubeperf cannot handle is marked unchecked (kro would accept it), never an RgdError.
  const unchecked: UncheckedExpression[] = [];
  const parsed = pending.map(({ res, fields }) => {
    const names = new Set([...ids, 'schema', 'each', ...res.forEach.map((d) => d.name)]);
    return fields.map((f): Parsed => ({
      ...f,
      ...parseReferences(engine, f, res.id, names, unchecked, {
        parse: (msg) => `failed to parse ${f.kind} expression "${f.raw}" in resource "${res.id}": ${msg}`,
        unknown: (fns) =>
          `resource "${res.id}" ${f.kind} expression "${f.raw}" uses unknown functions: [${fns}]`,
      }),
    }));
  });

  // 4. scope rules and dependencies
  const deps: number[][] = [];
  resources.forEach((res, i) => {
    const iterators = new Set(res.forEach.map((d) => d.name));
    const depSet = new Set<string>();
    for (const f of parsed[i]!) {
      const refs = f.references;
      if (refs.includes('runtime'))
        throw new RgdError(`resource "${res.id}" ${f.kind}: runtime is only available in status.conditions`);
      let allowed: (x: string) => boolean;
      if (f.kind === 'readyWhen') {
        allowed = res.forEach.length > 0 ? (x) => x === 'each' : (x) => x === res.id;
      } else if (f.kind === 'forEach') {
        const other = refs.filter((x) => iterators.has(x));
        if (other.length > 0)
          throw new RgdError(
            `resource "${res.id}": forEach iterator expressions cannot reference other iterators: [${other.join(' ')}]`,
          );
        allowed = (x) => x === 'schema' || idSet.has(x);
      } else if (f.kind === 'includeWhen') {
        allowed = (x) => x === 'schema' || idSet.has(x);
      } else {
        allowed = (x) => x === 'schema' || idSet.has(x) || iterators.has(x);
      }
      const unknown = refs.filter((x) => !allowed(x));
      if (unknown.length > 0) {
        throw new RgdError(
          `resource "${res.id}" ${f.kind}: references unknown identifiers: [${unknown.join(' ')}]`,
        );
      }
      if (f.kind !== 'readyWhen') {
        if (refs.includes(res.id))
          throw new RgdError(`resource "${res.id}": self references are not allowed`);
        for (const x of refs) if (idSet.has(x)) depSet.add(x);
      }
    }
    if (res.forEach.length > 0) {
      const identity = parsed[i]!.filter(
        (f) => f.kind === 'template' && (f.path === 'metadata.name' || f.path === 'metadata.namespace'),
      );
      const used = new Set(identity.flatMap((f) => f.references));
      const missing = res.forEach.map((d) => d.name).filter((n) => !used.has(n));
      if (missing.length > 0) {
        throw new RgdError(
          `resource "${res.id}": all forEach dimensions must be used to produce a unique resource identity, missing: [${missing.join(' ')}]`,
        );
      }
    }
    // Dependencies in resource order (index map, not ids.indexOf: builds of 10k resources stay linear).
    const depIdx = [...depSet].map((d) => indexOf.get(d)!).sort((a, b) => a - b);
    res.dependencies = depIdx.map((k) => ids[k]!);
    deps.push(depIdx);
  });

  // 5–6. DAG, cycles, order, apply orders
  const dag = new Dag(ids, deps);
  const cycle = dag.findCycle();
  if (cycle) throw new RgdError(`failed to build dependency graph: ${new CycleError(cycle).message}`);
  const topologicalOrder = dag.topologicalIds();
  const applyOrders = dag.applyOrders();
  const deletionLayers = dag.deletionLayers();
  const depth = dag.depth();

  // 7–8. compile (forEach → template → includeWhen → readyWhen)
  const rank: Record<ExpressionKind, number> = {
    forEach: 0,
    template: 1,
    externalRef: 1,
    includeWhen: 2,
    readyWhen: 3,
    status: 4,
    condition: 4,
  };
  resources.forEach((res, i) => {
    const ordered = [...parsed[i]!].sort((a, b) => rank[a.kind] - rank[b.kind]);
    for (const f of ordered) {
      if (f.unchecked) continue;
      const compiled = compileOne(engine, res.id, f, checker, unchecked);
      if (!compiled) continue;
      if (f.kind === 'readyWhen' || f.kind === 'includeWhen') {
        if (!['bool', 'dyn', 'optional<bool>', 'optional<dyn>'].includes(compiled.program.type)) {
          throw new RgdError(
            `resource "${res.id}" ${f.kind}: expression "${f.raw}" must return bool, got ${compiled.program.type}`,
          );
        }
        (f.kind === 'readyWhen' ? res.readyWhen : res.includeWhen).push(compiled);
      } else {
        if (f.kind === 'forEach' && !['list', 'dyn'].some((t) => compiled.program.type.startsWith(t))) {
          throw new RgdError(
            `resource "${res.id}": forEach expression "${f.raw}" must return a list, got ${compiled.program.type}`,
          );
        }
        if (f.kind === 'template' && !f.standalone && !['string', 'dyn'].includes(compiled.program.type)) {
          throw new RgdError(
            `resource "${res.id}" at path "${f.path}": string template "${f.raw}" does not evaluate to a string (${compiled.program.type})`,
          );
        }
        res.expressions.push(compiled);
      }
    }
  });

  // 9. status
  const warnings: string[] = [];
  const status = compileStatus(engine, schema.status, idSet, warnings, checker, unchecked);

  return {
    kind,
    name,
    schema: {
      kind: schemaKind,
      apiVersion,
      group,
      scope,
      crdName: `${pluralize(schemaKind.toLowerCase())}.${group}`,
      spec: specSchema,
    },
    resources,
    status,
    dag,
    topologicalOrder,
    applyOrders,
    deletionLayers,
    depth,
    warnings,
    unchecked,
  };
}

interface Pending {
  kind: ExpressionKind;
  path: string;
  raw: string;
  expression: string;
  standalone: boolean;
}

interface Parsed extends Pending {
  references: string[];
  /** kro would accept it; kubeperf cannot check it (recorded in CompiledRgd.unchecked). */
  unchecked: boolean;
}

/**
 * References of an expression kubeperf cannot parse: the names in scope (resources, schema,
 * iterators) that appear as root identifiers outside string literals. Enough for the DAG.
 */
function scanReferences(expression: string, names: ReadonlySet<string>): string[] {
  const code = expression.replace(/'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"/g, '""');
  const out: string[] = [];
  for (const m of code.matchAll(/(?<![.\w])([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()/g)) {
    if (names.has(m[1]!) && !out.includes(m[1]!)) out.push(m[1]!);
  }
  return out;
}

function safeScan(s: string, id: string) {
  try {
    return scanString(s);
  } catch (e) {
    throw new RgdError(`resource "${id}": ${(e as Error).message}`);
  }
}

/** Compile one expression; kro-invalid CEL throws RgdError, kubeperf-only gaps go to `unchecked`. */
function compileOne(
  engine: CelEngine,
  resource: string,
  f: Pending & { references: string[] },
  checker: CelTypeChecker | undefined,
  unchecked: UncheckedExpression[],
): CompiledExpression | undefined {
  if (checker && f.references.includes('schema')) {
    // Typed against the instance schema, as kro checks against the CRD's OpenAPI (resources stay dyn).
    const r = checker.check(f.expression);
    if (!r.valid) {
      if (recordLimitation(unchecked, resource, f, r.error)) return undefined;
      throw new RgdError(
        `failed to type-check ${f.kind} expression "${f.raw}" in resource "${resource}" at path "${f.path}": ${r.error}`,
      );
    }
  }
  try {
    const program = engine.compile(f.expression);
    return {
      resource,
      kind: f.kind,
      path: f.path,
      raw: f.raw,
      expression: f.expression,
      standalone: f.standalone,
      references: f.references,
      program,
    };
  } catch (e) {
    const msg = e instanceof CelCompileError ? celErrorSummary(e) : String(e);
    if (recordLimitation(unchecked, resource, f, msg)) return undefined;
    throw new RgdError(
      `failed to compile ${f.kind} expression "${f.raw}" in resource "${resource}" at path "${f.path}": ${msg}`,
    );
  }
}

/**
 * When `error` comes from kubeperf's CEL gaps (kubeperfLimitation), records the expression as
 * unchecked and returns true; false when kro would report the error too.
 */
function recordLimitation(
  unchecked: UncheckedExpression[],
  resource: string,
  f: { kind: ExpressionKind; path: string; raw: string; expression: string },
  error: string,
): boolean {
  const reason = kubeperfLimitation(f.expression, error);
  if (reason) unchecked.push({ resource, kind: f.kind, path: f.path, expression: f.raw, reason });
  return reason !== undefined;
}

/**
 * Parse one expression for its references. A parse error or unknown function kro would report too
 * throws RgdError; what only kubeperf cannot handle goes to `unchecked` (its references then come
 * from a token scan when cel-js cannot parse it).
 */
function parseReferences(
  engine: CelEngine,
  f: { kind: ExpressionKind; path: string; raw: string; expression: string },
  resource: string,
  names: ReadonlySet<string>,
  unchecked: UncheckedExpression[],
  messages: { parse: (error: string) => string; unknown: (functions: string) => string },
): { references: string[]; unchecked: boolean } {
  const where = { resource, kind: f.kind, path: f.path, expression: f.raw };
  let facts;
  try {
    facts = engine.parseOnly(f.expression).facts;
  } catch (e) {
    const msg = celErrorSummary(e);
    if (!recordLimitation(unchecked, resource, f, msg)) throw new RgdError(messages.parse(msg));
    return { references: scanReferences(f.expression, names), unchecked: true };
  }
  const fns = classifyUnknownFunctions(facts.functions, engine.knownFunctions());
  if (fns.unknown.length > 0) throw new RgdError(messages.unknown(fns.unknown.join(' ')));
  if (fns.unsupported.length > 0)
    unchecked.push({ ...where, reason: unsupportedFunctionsMessage(fns.unsupported) });
  return {
    references: facts.identifiers.filter((x) => !LIBRARY_NAMESPACES.has(x) || names.has(x)),
    unchecked: fns.unsupported.length > 0,
  };
}

/**
 * kro's custom conditions (status.conditions as a list): standalone expressions over schema,
 * resources and `runtime` (allowed only here), each returning runtime.newCondition(…) or a list of
 * conditions. Compiled and evaluated like status fields.
 */
function compileCustomConditions(
  engine: CelEngine,
  list: unknown[],
  ids: Set<string>,
  checker: CelTypeChecker,
  unchecked: UncheckedExpression[],
): CompiledExpression[] {
  const names = new Set([...ids, 'schema', 'runtime']);
  const out: CompiledExpression[] = [];
  list.forEach((c, i) => {
    const scan = typeof c === 'string' ? scanString(c) : undefined;
    if (!scan?.standalone)
      throw new RgdError(`status.conditions[${i}]: only standalone expressions are allowed`);
    const f = {
      kind: 'condition' as const,
      path: `status.conditions[${i}]`,
      raw: c as string,
      expression: scan.expressions[0]!,
      standalone: true,
    };
    const p = parseReferences(engine, f, 'instance', names, unchecked, {
      parse: (msg) => `failed to parse ${f.path} expression "${f.raw}": ${msg}`,
      unknown: (fns) => `${f.path} expression "${f.raw}" uses unknown functions: [${fns}]`,
    });
    const unknown = p.references.filter((x) => x !== 'schema' && x !== 'runtime' && !ids.has(x));
    if (unknown.length > 0) {
      throw new RgdError(`status.conditions[${i}]: references unknown identifiers: [${unknown.join(' ')}]`);
    }
    if (p.unchecked) return;
    const references = p.references.filter((x) => x !== 'runtime');
    const compiled = compileOne(engine, 'instance', { ...f, references }, checker, unchecked);
    if (compiled) out.push(compiled);
  });
  return out;
}

function compileStatus(
  engine: CelEngine,
  status: unknown,
  ids: Set<string>,
  warnings: string[],
  checker: CelTypeChecker,
  unchecked: UncheckedExpression[],
): CompiledExpression[] {
  if (!isMap(status)) return [];
  const body: Record<string, unknown> = {};
  const conditions: CompiledExpression[] = [];
  for (const [k, v] of Object.entries(status)) {
    if (k === 'conditions' && Array.isArray(v)) {
      conditions.push(...compileCustomConditions(engine, v, ids, checker, unchecked));
      continue;
    }
    if (k === 'conditions' || k === 'state') {
      warnings.push(`status.${k} is reserved: kro overwrites whatever the RGD puts there`);
      continue;
    }
    body[k] = v;
  }
  const plain = findPlainLeaves(body, 'status');
  if (plain.length > 0)
    throw new RgdError(`status fields without expressions are not supported: [${plain.join(' ')}]`);
  let fields;
  try {
    fields = findExpressionFields(body, 'status');
  } catch (e) {
    throw new RgdError(`status: ${(e as Error).message}`);
  }
  const names = new Set([...ids, 'schema', 'runtime']);
  const compiled = fields.flatMap((f) => {
    const field = {
      kind: 'status' as const,
      path: f.path,
      raw: f.raw,
      expression: f.expression,
      standalone: f.scan.standalone,
    };
    const p = parseReferences(engine, field, 'instance', names, unchecked, {
      parse: (msg) => `failed to parse status expression "${f.raw}" at path "${f.path}": ${msg}`,
      unknown: (fns) => `${f.path} expression "${f.raw}" uses unknown functions: [${fns}]`,
    });
    if (p.references.includes('runtime'))
      throw new RgdError(`${f.path}: runtime is only available in status.conditions`);
    if (p.references.length === 0 || p.references.some((x) => x !== 'schema' && !ids.has(x))) {
      throw new RgdError('instance status field must refer to a resource or schema');
    }
    if (p.unchecked) return [];
    const c = compileOne(engine, 'instance', { ...field, references: p.references }, checker, unchecked);
    return c ? [c] : [];
  });
  return [...compiled, ...conditions];
}

// Re-exported so callers keep importing the RGD compiler's public names from one module.
export {
  templateExpression,
  RgdError,
  KRO_RESERVED_WORDS,
  CLUSTER_SCOPED_KINDS,
  pluralize,
  schemaFieldTypes,
};
