/**
 * Parser-level extensions through @marcbachmann/cel-js's macro API (a function overload with `ast`
 * parameters): namespaced functions resolved the way cel-go resolves them, cel-go's two-variable
 * comprehensions (ext.TwoVarComprehensions), `sortBy` (ext.Lists) and `optMap`/`optFlatMap`
 * (cel.OptionalTypes). The macro objects implement `typeCheck` and `evaluate` themselves; cel-js
 * calls them with its checker/evaluator and variable contexts (`forkWithVariable`, `reuse`,
 * `setIterValue`), the same way its own `cel.bind` is written.
 */
import { Environment, Optional } from '@marcbachmann/cel-js';
import { celCompare, celTypeName, isComparable, isMapValue, mapEntries } from './compare.js';

/* The slices of cel-js internals the macro API hands us (untyped in its .d.ts). */
export interface CelType {
  kind: string;
  type: string;
  name: string;
  valueType: CelType;
  keyType: CelType;
  toString(): string;
}
export interface Ctx {
  forkWithVariable(name: string, type: CelType): Ctx;
  reuse(parent: Ctx): Ctx;
  setIterValue(v: unknown, ev: Evaluator): Ctx;
}
export interface Checker {
  check(node: Node, ctx: Ctx): CelType;
  createError(code: string, message: string, node: Node): Error;
  formatType(t: CelType): string;
  getType(name: string): CelType;
  registry: { getListType(t: CelType): CelType; getMapType(k: CelType, v: CelType): CelType };
  dynType: CelType;
  intType: CelType;
  boolType: CelType;
}
export interface Evaluator {
  run(node: Node, ctx: Ctx): unknown;
  createError(code: string, message: string, node?: Node): Error;
}
interface NodeMeta {
  check: unknown;
  evaluate: unknown;
}
export interface Node {
  op: string;
  args: unknown;
  meta: NodeMeta;
  clone(op: { name: string } & NodeMeta, args: unknown): Node;
  setMeta(key: string, value: unknown): Node;
}
export interface MacroInput {
  ast: Node;
  args: Node[];
  receiver: Node | null;
}
export interface MacroState {
  ast: Node;
  async: false;
  typeCheck(checker: Checker, macro: MacroState, ctx: Ctx): CelType;
  evaluate(ev: Evaluator, macro: MacroState, ctx: Ctx): unknown;
  [k: string]: unknown;
}

const sample = new Environment().parse('size(x)').ast as unknown as Node;
const CALL_OP = { name: 'call', check: sample.meta.check, evaluate: sample.meta.evaluate };

/** The call node as parsed, without macro expansion (for receivers the macro is not meant for). */
export function plain(ast: Node): { callAst: Node } {
  return {
    callAst: ast.clone({ name: ast.op, check: ast.meta.check, evaluate: ast.meta.evaluate }, ast.args),
  };
}

const identName = (n: Node | undefined): string | undefined =>
  n?.op === 'id' && typeof n.args === 'string' ? n.args : undefined;

/** Namespaced functions cel-js registered as (hidden) global functions named `ns.fn`. */
export interface NamespacedOverload {
  params: string[];
  returns: string;
  handler: (...args: never[]) => unknown;
}

/** Names of `ns.fn` functions registered so far, by namespace (dependency extraction skips them). */
export const NAMESPACED_FUNCTIONS = new Map<string, Set<string>>();

/** Per environment: `fn/arity` → namespace → qualified name (one macro serves every namespace). */
const ROUTES = new WeakMap<Environment, Map<string, Map<string, string>>>();

/**
 * `ns.fn(args)` as cel-go resolves it: a qualified function name wins over a variable called `ns`
 * (a resource named `json` still works as `json.metadata`, and `json.marshal(x)` is still the
 * function). Registered as a macro on `fn` that rewrites the call when the receiver is `ns`.
 */
export function registerNamespaced(
  env: Environment,
  ns: string,
  fn: string,
  overloads: NamespacedOverload[],
  options: { reference?: boolean } = {},
): void {
  const qualified = `${ns}.${fn}`;
  let table = ROUTES.get(env);
  if (!table) ROUTES.set(env, (table = new Map()));
  for (const o of overloads) {
    env.registerFunction({
      name: qualified,
      returnType: o.returns,
      params: o.params.map((type, i) => ({ name: `arg${i}`, type })),
      handler: o.handler as (...a: unknown[]) => unknown,
    });
  }
  for (const n of new Set(overloads.map((o) => o.params.length))) {
    let route = table.get(`${fn}/${n}`);
    if (!route) {
      const r = (route = new Map<string, string>());
      table.set(`${fn}/${n}`, r);
      const params = Array.from({ length: n }, () => 'ast').join(', ');
      env.registerFunction(`dyn.${fn}(${params}): dyn`, (({ ast, args, receiver }: MacroInput) => {
        const q = r.get(identName(receiver ?? undefined) ?? '');
        return q ? { callAst: ast.clone(CALL_OP, [q, args]) } : plain(ast);
      }) as unknown as (...a: unknown[]) => unknown);
    }
    route.set(ns, qualified);
  }
  if (options.reference) return;
  if (!NAMESPACED_FUNCTIONS.has(ns)) NAMESPACED_FUNCTIONS.set(ns, new Set());
  NAMESPACED_FUNCTIONS.get(ns)!.add(fn);
}

function checkBoolArg(checker: Checker, node: Node, ctx: Ctx, describe: (t: string) => string): void {
  const t = checker.check(node, ctx);
  if (t.kind !== 'dyn' && t.type !== 'bool')
    throw checker.createError('no_matching_overload', describe(checker.formatType(t)), node);
}

function rangeTypes(checker: Checker, receiver: Node, ctx: Ctx): [CelType, CelType] {
  const rt = checker.check(receiver, ctx);
  // An empty literal's element type is a type parameter: iterate it as dyn.
  const concrete = (t: CelType) => (t.kind === 'param' ? checker.dynType : t);
  if (rt.kind === 'list') return [checker.intType, concrete(rt.valueType)];
  if (rt.kind === 'map') return [concrete(rt.keyType), concrete(rt.valueType)];
  if (rt.kind === 'dyn') return [checker.dynType, checker.dynType];
  throw checker.createError(
    'invalid_comprehension_range',
    `Expression of type '${checker.formatType(rt)}' cannot be range of a comprehension (must be list, map, or dynamic).`,
    receiver,
  );
}

function entriesOf(ev: Evaluator, v: unknown, receiver: Node, keyType?: CelType): [unknown, unknown][] {
  if (Array.isArray(v)) return v.map((x, i) => [BigInt(i), x]);
  if (isMapValue(v)) {
    const entries = mapEntries(v);
    // cel-js stores the int keys of a map literal as object property names (strings).
    if (keyType?.type === 'int' && !(v instanceof Map))
      return entries.map(([k, x]) => [BigInt(k as string), x]);
    return entries;
  }
  throw ev.createError(
    'invalid_comprehension_range',
    `Expression of type '${celTypeName(v)}' cannot be range of a comprehension (must be list, map, or dynamic).`,
    receiver,
  );
}

/** A JS map value: a plain object when every key is a string (as cel-js builds map literals). */
function toMapValue(m: Map<unknown, unknown>): Record<string, unknown> | Map<unknown, unknown> {
  for (const k of m.keys()) if (typeof k !== 'string') return m;
  return Object.fromEntries(m as Map<string, unknown>);
}

type TwoVarKind = 'all' | 'exists' | 'existsOne' | 'transformList' | 'transformMap' | 'transformMapEntry';

function twoVar(kind: TwoVarKind, name: string) {
  return ({ ast, args, receiver }: MacroInput): MacroState => {
    const v1 = identName(args[0]);
    const v2 = identName(args[1]);
    if (!v1 || !v2) throw new Error(`${name}(): argument must be a simple name`);
    const quantifier = kind === 'all' || kind === 'exists' || kind === 'existsOne';
    const filter = !quantifier && args.length === 4 ? args[2]! : undefined;
    const body = args[args.length - 1]!;
    const target = receiver!;
    return {
      ast,
      async: false,
      typeCheck(checker, macro, ctx) {
        const [t1, t2] = rangeTypes(checker, target, ctx);
        const c1 = ctx.forkWithVariable(v1, t1);
        const c2 = c1.forkWithVariable(v2, t2);
        macro.keyType = t1;
        macro.c1 = c1;
        macro.c2 = c2;
        ast.setMeta('async', false);
        if (quantifier) {
          const op = kind === 'all' ? '_&&_' : kind === 'exists' ? '_||_' : '_?_:_';
          checkBoolArg(checker, body, c2, (t) =>
            op === '_?_:_'
              ? `found no matching overload for '_?_:_' applied to '(${t}, int, int)'`
              : `found no matching overload for '${op}' applied to '(bool, ${t})'`,
          );
          return checker.boolType;
        }
        if (filter) {
          checkBoolArg(
            checker,
            filter,
            c2,
            (t) => `found no matching overload for '_?_:_' applied to '(${t}, dyn, dyn)'`,
          );
        }
        const tt = checker.check(body, c2);
        if (kind === 'transformList') return checker.registry.getListType(tt);
        if (kind === 'transformMap') return checker.registry.getMapType(t1, tt);
        if (tt.kind !== 'map' && tt.kind !== 'dyn') {
          throw checker.createError(
            'no_matching_overload',
            `found no matching overload for 'cel.@mapInsert' applied to '(map(dyn, dyn), ${checker.formatType(tt)})'`,
            body,
          );
        }
        return tt.kind === 'map' ? tt : checker.registry.getMapType(checker.dynType, checker.dynType);
      },
      evaluate(ev, macro, ctx) {
        const entries = entriesOf(ev, ev.run(target, ctx), target, macro.keyType as CelType);
        const c1 = (macro.c1 as Ctx).reuse(ctx);
        const c2 = (macro.c2 as Ctx).reuse(c1);
        const bind = (k: unknown, v: unknown) => {
          c1.setIterValue(k, ev);
          c2.setIterValue(v, ev);
        };
        const bool = (node: Node): boolean => {
          const r = ev.run(node, c2);
          if (r !== true && r !== false) {
            throw ev.createError(
              'invalid_argument',
              `${name}() predicate must return bool, got '${celTypeName(r)}'`,
              node,
            );
          }
          return r;
        };
        switch (kind) {
          case 'all':
          case 'exists': {
            // Logical AND/OR semantics: an error is absorbed by a later decisive result.
            const decisive = kind === 'exists';
            let error: unknown;
            for (const [k, v] of entries) {
              bind(k, v);
              try {
                if (bool(body) === decisive) return decisive;
              } catch (e) {
                error ??= e;
              }
            }
            if (error) throw error;
            return !decisive;
          }
          case 'existsOne': {
            let n = 0;
            for (const [k, v] of entries) {
              bind(k, v);
              if (bool(body)) n++;
            }
            return n === 1;
          }
          case 'transformList': {
            const out: unknown[] = [];
            for (const [k, v] of entries) {
              bind(k, v);
              if (!filter || bool(filter)) out.push(ev.run(body, c2));
            }
            return out;
          }
          default: {
            const out = new Map<unknown, unknown>();
            for (const [k, v] of entries) {
              bind(k, v);
              if (filter && !bool(filter)) continue;
              const r = ev.run(body, c2);
              if (kind === 'transformMap') {
                out.set(k, r);
                continue;
              }
              if (!isMapValue(r)) {
                throw ev.createError(
                  'no_matching_overload',
                  `no such overload: cel.@mapInsert(map, ${celTypeName(r)})`,
                  body,
                );
              }
              for (const [rk, rv] of mapEntries(r)) {
                if (out.has(rk))
                  throw ev.createError(
                    'invalid_argument',
                    `insert failed: key ${String(rk)} already exists`,
                    body,
                  );
                out.set(rk, rv);
              }
            }
            return toMapValue(out);
          }
        }
      },
    };
  };
}

export function registerTwoVarComprehensions(env: Environment): void {
  const reg = (sig: string, kind: TwoVarKind, name: string) =>
    env.registerFunction(sig, twoVar(kind, name) as unknown as (...a: unknown[]) => unknown);
  reg('dyn.all(ast, ast, ast): bool', 'all', 'all');
  reg('dyn.exists(ast, ast, ast): bool', 'exists', 'exists');
  reg('dyn.existsOne(ast, ast, ast): bool', 'existsOne', 'existsOne');
  reg('dyn.exists_one(ast, ast, ast): bool', 'existsOne', 'exists_one');
  for (const [fn, kind, ret] of [
    ['transformList', 'transformList', 'list<dyn>'],
    ['transformMap', 'transformMap', 'map<dyn, dyn>'],
    ['transformMapEntry', 'transformMapEntry', 'map<dyn, dyn>'],
  ] as const) {
    reg(`dyn.${fn}(ast, ast, ast): ${ret}`, kind, fn);
    reg(`dyn.${fn}(ast, ast, ast, ast): ${ret}`, kind, fn);
  }
}

/**
 * Type-checks the receiver of `target.fn(v, …)`, which must be a `kind` or dyn, and returns its type
 * with the scope in which `v` stands for one of its values.
 */
function receiverScope(
  checker: Checker,
  ctx: Ctx,
  target: Node,
  fn: string,
  kind: 'list' | 'optional',
  v: string,
): { rt: CelType; scope: Ctx } {
  const rt = checker.check(target, ctx);
  if (rt.kind !== kind && rt.kind !== 'dyn')
    throw checker.createError(
      'no_matching_overload',
      `found no matching overload for '${fn}' applied to '${checker.formatType(rt)}'`,
      target,
    );
  return { rt, scope: ctx.forkWithVariable(v, rt.kind === kind ? rt.valueType : checker.dynType) };
}

/** ext.Lists `sortBy(e, key)`: a stable sort by a comparable key of one type. */
export function registerSortBy(env: Environment): void {
  env.registerFunction('dyn.sortBy(ast, ast): list<dyn>', (({
    ast,
    args,
    receiver,
  }: MacroInput): MacroState => {
    const v = identName(args[0]);
    if (!v) throw new Error('sortBy(): argument must be a simple name');
    const key = args[1]!;
    const target = receiver!;
    return {
      ast,
      async: false,
      typeCheck(checker, macro, ctx) {
        const { rt, scope } = receiverScope(checker, ctx, target, 'sortBy', 'list', v);
        macro.c = scope;
        checker.check(key, scope);
        ast.setMeta('async', false);
        return rt.kind === 'list' ? rt : checker.registry.getListType(checker.dynType);
      },
      evaluate(ev, macro, ctx) {
        const list = ev.run(target, ctx);
        if (!Array.isArray(list))
          throw ev.createError(
            'no_matching_overload',
            `no such overload: ${celTypeName(list)}.sortBy()`,
            target,
          );
        const c = (macro.c as Ctx).reuse(ctx);
        const keys = list.map((x) => ev.run(key, c.setIterValue(x, ev)));
        return sortByKeys(list, keys);
      },
    };
  }) as unknown as (...a: unknown[]) => unknown);
}

/** cel-go's @sortByAssociatedKeys (also used by `sort()`). */
export function sortByKeys(list: unknown[], keys: unknown[]): unknown[] {
  if (list.length === 0) return list;
  if (!isComparable(keys[0])) throw new Error('list elements must be comparable');
  const t = celTypeName(keys[0]);
  if (keys.some((k) => celTypeName(k) !== t)) throw new Error('list elements must have the same type');
  const idx = list.map((_x, i) => i).sort((a, b) => celCompare(keys[a], keys[b]));
  return idx.map((i) => list[i]);
}

/** cel.OptionalTypes `optMap(x, expr)` and `optFlatMap(x, expr)`. */
export function registerOptionalMacros(env: Environment): void {
  for (const flat of [false, true]) {
    const fn = flat ? 'optFlatMap' : 'optMap';
    env.registerFunction(`dyn.${fn}(ast, ast): optional<dyn>`, (({
      ast,
      args,
      receiver,
    }: MacroInput): MacroState => {
      const v = identName(args[0]);
      if (!v) throw new Error(`${fn}(): argument must be a simple name`);
      const body = args[1]!;
      const target = receiver!;
      return {
        ast,
        async: false,
        typeCheck(checker, macro, ctx) {
          macro.c = receiverScope(checker, ctx, target, fn, 'optional', v).scope;
          const bt = checker.check(body, macro.c as Ctx);
          ast.setMeta('async', false);
          if (flat) {
            if (bt.kind !== 'optional' && bt.kind !== 'dyn') {
              throw checker.createError(
                'no_matching_overload',
                `${fn}() expression must return an optional, got '${checker.formatType(bt)}'`,
                body,
              );
            }
            return bt.kind === 'optional' ? bt : checker.getType('optional');
          }
          return checker.getType(`optional<${checker.formatType(bt)}>`);
        },
        evaluate(ev, macro, ctx) {
          const o = ev.run(target, ctx);
          if (!(o instanceof Optional))
            throw ev.createError('optional_expected', `${fn}() receiver must be optional`, target);
          if (!o.hasValue()) return Optional.none();
          const r = ev.run(body, (macro.c as Ctx).reuse(ctx).setIterValue(o.value(), ev));
          if (!flat) return Optional.of(r);
          if (!(r instanceof Optional))
            throw ev.createError('optional_expected', `${fn}() expression must return an optional`, body);
          return r;
        },
      };
    }) as unknown as (...a: unknown[]) => unknown);
  }
}
