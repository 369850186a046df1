/**
 * A fast path for CEL evaluation: compiles the common subset of cel-js ASTs (field access, indexing,
 * literals, comparisons, int/double/string arithmetic, ternary, &&/||, size/has/string/int, string
 * predicates, join, comprehension macros incl. cel-go's two-variable ones over lists and string-keyed
 * maps, cel.bind) to a JS closure via `new Function`. Library functions (quantity(), url(), …) stay
 * in the interpreter.
 *
 * Why hand-written: measured with bench/cel, the cel-js interpreter costs 60 ns–12 µs per reference
 * expression, 8–120× a hand-written JS function; the issue's bar is 3×. Generated code gets there.
 *
 * Safety: generated code only ever returns a value when every operand has the exact type the
 * operation is defined for (int = bigint, double = number, string, bool, list = Array, map = plain
 * object). Anything else — a missing key, a type mismatch, overflow, division by zero, an error that
 * CEL's commutative &&/|| might absorb — bails out, and the interpreter re-evaluates the whole
 * expression and produces the real CEL result or error. So the fast path never changes semantics;
 * src/cel/jit.test.ts checks it differentially against the interpreter.
 */
import type { ASTNode } from '@marcbachmann/cel-js';
import { H } from './jit-runtime.js';

class Unsupported extends Error {}

const BINARY: Record<string, string> = {
  '+': 'add',
  '-': 'sub',
  '*': 'mul',
  '/': 'div',
  '%': 'mod',
  '==': 'eq',
  '<': 'lt',
  '<=': 'le',
  in: 'in',
};
const METHOD_2: Record<string, string> = { startsWith: 'sw', endsWith: 'ew', contains: 'co' };
const MACROS: Record<string, string> = { all: 'all', exists: 'exists', exists_one: 'one', filter: 'filter' };
const TWO_VAR: Record<string, string> = {
  all: 'all',
  exists: 'exists',
  exists_one: 'one',
  existsOne: 'one',
  transformList: 'map',
};

const BOOL_METHODS = new Set([
  'startsWith',
  'endsWith',
  'contains',
  'all',
  'exists',
  'exists_one',
  'existsOne',
]);

/** Nodes whose generated code yields a boolean or throws: no runtime bool check needed around them. */
function yieldsBool(n: ASTNode): boolean {
  switch (n.op) {
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case 'in':
    case '!_':
    case '&&':
    case '||':
      return true;
    case 'value':
      return n.args === true || n.args === false;
    case 'call':
      return n.args[0] === 'has';
    case 'rcall':
      return BOOL_METHODS.has(n.args[0]);
    default:
      return false;
  }
}

/** Whether a comprehension receiver's maps have string keys (as checked: dyn, or map<string|dyn, …>). */
function iteratesStringKeys(n: ASTNode): boolean {
  const t = (n as { checkedType?: { kind: string; keyType?: { kind: string; type: string } } }).checkedType;
  if (!t) return false;
  if (t.kind === 'dyn') return true;
  return t.kind === 'map' && (t.keyType?.kind === 'dyn' || t.keyType?.type === 'string');
}

function literal(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Unsupported();
    return Object.is(v, -0) ? '-0' : String(v);
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === true || v === false || v === null) return String(v);
  throw new Unsupported();
}

/** Names that exist on Object.prototype: a plain `o.k !== undefined` test would find those. */
const PROTO_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

function propAccess(obj: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${obj}.${key}` : `${obj}[${JSON.stringify(key)}]`;
}

interface GenState {
  n: number;
  /** Temporaries per generated function (innermost last): locals, not captured context slots. */
  scopes: string[][];
  /** Top-level functions for macro loops (bound variables passed as parameters: no closures). */
  fns: string[];
}

function temp(state: GenState): string {
  const t = `t${state.n++}`;
  state.scopes[state.scopes.length - 1]!.push(t);
  return t;
}

const COMPARE: Record<string, [string, string, boolean]> = {
  '<': ['<', 'lt', false],
  '<=': ['<=', 'le', false],
  '>': ['<', 'lt', true],
  '>=': ['<=', 'le', true],
};

function gen(n: ASTNode, scope: Map<string, string>, counter: GenState): string {
  const g = (x: ASTNode) => gen(x, scope, counter);
  const gb = (x: ASTNode) => (yieldsBool(x) ? g(x) : `H.b(${g(x)})`);
  switch (n.op) {
    case 'value':
      return literal(n.args);
    case 'id': {
      const bound = scope.get(n.args);
      if (bound) return bound;
      if (PROTO_NAMES.has(n.args)) return `H.v(a, ${JSON.stringify(n.args)})`;
      // Inline, per-site property loads stay monomorphic (a shared helper's keyed load goes megamorphic).
      const t = temp(counter);
      return `((${t} = ${propAccess('a', n.args)}) !== undefined ? ${t} : H.fail())`;
    }
    case '.': {
      const key = n.args[1];
      if (PROTO_NAMES.has(key)) return `H.sel(${g(n.args[0])}, ${JSON.stringify(key)})`;
      const t = temp(counter);
      return (
        // null/undefined make `.constructor` throw, which also lands in the interpreter fallback.
        `((${t} = ${g(n.args[0])}).constructor === Object && ` +
        `(${t} = ${propAccess(t, key)}) !== undefined ? ${t} : H.fail())`
      );
    }
    case '[]':
      return `H.idx(${g(n.args[0])}, ${g(n.args[1])})`;
    case 'list':
      return `[${n.args.map(g).join(', ')}]`;
    case '?:':
      return `(${gb(n.args[0])} ? ${g(n.args[1])} : ${g(n.args[2])})`;
    case '&&':
      return `(${gb(n.args[0])} && ${gb(n.args[1])})`;
    case '||':
      return `(${gb(n.args[0])} || ${gb(n.args[1])})`;
    case '!_':
      return `H.not(${g(n.args)})`;
    case '-_':
      return `H.neg(${g(n.args)})`;
    case '!=':
      return `!H.eq(${g(n.args[0])}, ${g(n.args[1])})`;
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const [op, helper, swap] = COMPARE[n.op]!;
      const x = temp(counter);
      const y = temp(counter);
      const [l, r] = swap ? [n.args[1], n.args[0]] : [n.args[0], n.args[1]];
      return (
        // Each typeof costs ≈1 ns, as much as the whole comparison: test only the common int/int case inline.
        `((${x} = ${g(l)}), (${y} = ${g(r)}), typeof ${x} === 'bigint' && typeof ${y} === 'bigint' ` +
        `? ${x} ${op} ${y} : H.${helper}(${x}, ${y}))`
      );
    }
    case 'call': {
      const [name, args] = n.args;
      if (name === 'has' && args.length === 1 && args[0]!.op === '.') {
        const sel = args[0] as Extract<ASTNode, { op: '.' }>;
        return `H.has(${g(sel.args[0])}, ${JSON.stringify(sel.args[1])})`;
      }
      if (name === 'size' && args.length === 1) return `H.size(${g(args[0]!)})`;
      if (name === 'string' && args.length === 1) return `H.str(${g(args[0]!)})`;
      if (name === 'int' && args.length === 1) return `H.int(${g(args[0]!)})`;
      throw new Unsupported();
    }
    case 'rcall': {
      const [name, target, args] = n.args;
      if (
        name === 'bind' &&
        target.op === 'id' &&
        target.args === 'cel' &&
        args.length === 3 &&
        args[0]!.op === 'id'
      ) {
        const v = `b${counter.n++}`;
        const inner = new Map(scope).set(args[0]!.args as string, v);
        return `((${v}) => ${gen(args[2]!, inner, counter)})(${g(args[1]!)})`;
      }
      const target0 = target;
      const isMacro = (name in MACROS || name === 'map') && args[0]?.op === 'id';
      // cel-go two-variable comprehensions over lists (index, value); maps and transformMap* bail.
      const twoVar =
        name in TWO_VAR &&
        args[0]?.op === 'id' &&
        args[1]?.op === 'id' &&
        (args.length === 3 || (name === 'transformList' && args.length === 4));
      if ((isMacro && (args.length === 2 || (name === 'map' && args.length === 3))) || twoVar) {
        const v = `c${counter.n++}`;
        const k = `k${counter.n++}`;
        const l = `l${counter.n++}`;
        const i = `i${counter.n++}`;
        const r = `r${counter.n++}`;
        const inner = new Map(scope);
        if (twoVar) inner.set(args[0]!.args as string, k).set(args[1]!.args as string, v);
        else inner.set(args[0]!.args as string, v);
        const rest = twoVar ? args.slice(2) : args.slice(1);
        const kind = twoVar ? TWO_VAR[name]! : name === 'map' ? 'map' : MACROS[name]!;
        const body = (x: ASTNode) => gen(x, inner, counter);
        const target = g(target0);
        counter.scopes.push([]);
        // Maps (plain objects: JSON, or string-keyed literals) iterate their keys. A literal with
        // int keys is stored with string keys by cel-js, so only string/dyn-keyed receivers qualify.
        const maps = iteratesStringKeys(target0);
        const isObj = `${l} !== null && typeof ${l} === 'object' && ${l}.constructor === Object`;
        const ks = `ks${counter.n++}`;
        const len = twoVar && maps ? `(${ks} === null ? ${l}.length : ${ks}.length)` : `${l}.length`;
        const head = !maps
          ? `if (!Array.isArray(${l})) H.fail(); `
          : twoVar
            ? `let ${ks} = null; if (!Array.isArray(${l})) { if (${isObj}) ${ks} = Object.keys(${l}); else H.fail(); } `
            : `if (!Array.isArray(${l})) { if (${isObj}) ${l} = Object.keys(${l}); else H.fail(); } `;
        const bind = !twoVar
          ? `const ${v} = ${l}[${i}]; `
          : maps
            ? `const ${k} = ${ks} === null ? BigInt(${i}) : ${ks}[${i}]; const ${v} = ${ks} === null ? ${l}[${i}] : ${l}[${k}]; `
            : `const ${v} = ${l}[${i}]; const ${k} = BigInt(${i}); `;
        const loop = (inside: string) => `for (let ${i} = 0; ${i} < ${len}; ${i}++) { ${bind}${inside} }`;
        const pred = (x: ASTNode) =>
          `const ${r} = ${body(x)}; if (${r} !== true && ${r} !== false) H.fail();`;
        let code: string;
        switch (kind) {
          case 'all':
            code = `${head}${loop(`${pred(rest[0]!)} if (!${r}) return false;`)} return true;`;
            break;
          case 'exists':
            code = `${head}${loop(`${pred(rest[0]!)} if (${r}) return true;`)} return false;`;
            break;
          case 'one':
            code = `${head}let n = 0; ${loop(`${pred(rest[0]!)} if (${r}) n++;`)} return n === 1;`;
            break;
          case 'filter':
            code = `${head}const out = []; ${loop(`${pred(rest[0]!)} if (${r}) out.push(${v});`)} return out;`;
            break;
          default:
            code =
              rest.length === 1
                ? `${head}const out = new Array(${len}); ${loop(`out[${i}] = ${body(rest[0]!)};`)} return out;`
                : `${head}const out = []; ${loop(`${pred(rest[0]!)} if (${r}) out.push(${body(rest[1]!)});`)} return out;`;
        }
        const locals = counter.scopes.pop()!;
        const decl = locals.length ? `let ${locals.join(', ')}; ` : '';
        const params = [l, 'a', ...new Set(scope.values())];
        const fn = `m${counter.fns.length}`;
        counter.fns.push(`function ${fn}(${params.join(', ')}) { ${decl}${code} }`);
        return `${fn}(${[target, ...params.slice(1)].join(', ')})`;
      }
      if (name === 'size' && args.length === 0) return `H.size(${g(target)})`;
      if (name in METHOD_2 && args.length === 1) return `H.${METHOD_2[name]}(${g(target)}, ${g(args[0]!)})`;
      if (name === 'join' && args.length <= 1)
        return `H.join(${g(target)}, ${args.length ? g(args[0]!) : '""'})`;
      throw new Unsupported();
    }
    default: {
      const fn = BINARY[n.op];
      if (fn) {
        const [l, r] = n.args as [ASTNode, ASTNode];
        return `H.${fn}(${g(l)}, ${g(r)})`;
      }
      throw new Unsupported();
    }
  }
}

export type Evaluator = (activation: Record<string, unknown>) => unknown;

/** Whether the expression is inside the fast-path subset (generation only, nothing compiled). */
export function supportsFast(ast: ASTNode): boolean {
  try {
    gen(ast, new Map(), { n: 0, scopes: [[]], fns: [] });
    return true;
  } catch (e) {
    if (e instanceof Unsupported) return false;
    throw e;
  }
}

/**
 * The fast evaluator for an AST, or undefined when the expression uses something outside the
 * supported subset. The result falls back to `slow` for any case the fast path does not cover.
 */
export function compileFast(ast: ASTNode, slow: Evaluator): Evaluator | undefined {
  let body: string;
  const state: GenState = { n: 0, scopes: [[]], fns: [] };
  try {
    body = gen(ast, new Map(), state);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  const temps = state.scopes[0]!;
  const decl = temps.length ? `let ${temps.join(', ')}; ` : '';
  const source = `${state.fns.join('\n')}\nreturn function celFast(a) { ${decl}return ${body}; };`;
  // The source is generated from a parsed AST with every name and literal JSON-escaped, never raw input.
  const fast = new Function('H', source)(H) as Evaluator;
  return (a) => {
    try {
      return fast(a);
    } catch {
      return slow(a);
    }
  };
}
