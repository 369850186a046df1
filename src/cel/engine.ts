/**
 * The CEL adapter: the only module that evaluates with @marcbachmann/cel-js (pinned exactly; it
 * shipped seven majors in 2025), so the engine can be swapped. One environment per declared-variable
 * set, configured like kro's cel-go environment (unlisted variables are dyn, optionals on,
 * heterogeneous literals allowed), plus the libraries of a profile (library.ts): `kro` for RGDs,
 * `kubernetes` for CRD validation rules. Compiled programs are cached by (environment, expression).
 */
import { Environment, type ASTNode } from '@marcbachmann/cel-js';
import { analyzeAst, type AstFacts } from './ast.js';
import { classify, type Classification } from './complexity.js';
import { compileFast, supportsFast, type Evaluator } from './jit.js';
import { registerKroLibrary, registerKubernetesLibrary, type CelProfile } from './library.js';

export interface CelProgram {
  readonly expression: string;
  /** Evaluate against an activation whose numbers are already converted (toCelValue). */
  readonly evaluate: (activation: Record<string, unknown>) => unknown;
  /** The cel-js interpreter alone (the reference semantics the fast path falls back to). */
  readonly interpret: (activation: Record<string, unknown>) => unknown;
  /** Whether `evaluate` runs generated JS (jit.ts) before falling back to the interpreter. */
  readonly jit: boolean;
  readonly ast: ASTNode;
  /** Checked result type (`dyn` when inputs are dyn). */
  readonly type: string;
  readonly facts: AstFacts;
  readonly classification: Classification;
}

export class CelCompileError extends Error {
  constructor(
    message: string,
    readonly expression: string,
    /** cel-js error code (unexpected_token, no_matching_overload…). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'CelCompileError';
  }
}

export interface CelEngineOptions {
  /** Typed variable declarations (cel-js type strings); anything else is dyn. */
  variables?: Record<string, string>;
  /** Keep compiled programs (default true). Benchmarks of compile cost turn it off. */
  cache?: boolean;
  /** Max cached programs; the oldest are evicted first. */
  cacheSize?: number;
  /** Generate a JS fast path for supported expressions (default true). */
  jit?: boolean;
  /** Which libraries: kro's environment (default) or kube-apiserver's for CRD validation rules. */
  profile?: CelProfile;
}

const baseEnvs = new Map<CelProfile, Environment>();
const knownFunctionNames = new Map<CelProfile, Set<string>>();

/** The shared base environment of a profile (≈ 10 ms to build with the libraries; once per process). */
function base(profile: CelProfile = 'kro'): Environment {
  let env = baseEnvs.get(profile);
  if (!env) {
    const fresh = new Environment({
      unlistedVariablesAreDyn: true,
      enableOptionalTypes: true,
      homogeneousAggregateLiterals: false,
    });
    env = profile === 'kro' ? registerKroLibrary(fresh) : registerKubernetesLibrary(fresh);
    baseEnvs.set(profile, env);
  }
  return env;
}

export class CelEngine {
  private readonly env: Environment;
  private readonly cache = new Map<string, CelProgram>();
  private readonly useCache: boolean;
  private readonly cacheSize: number;
  private readonly useJit: boolean;
  private readonly profile: CelProfile;
  hits = 0;
  misses = 0;

  constructor(options: CelEngineOptions = {}) {
    // clone() freezes the parent: the base stays shared and each engine adds its own declarations.
    this.profile = options.profile ?? 'kro';
    this.env = base(this.profile).clone();
    for (const [name, type] of Object.entries(options.variables ?? {})) this.env.registerVariable(name, type);
    this.useCache = options.cache ?? true;
    this.cacheSize = options.cacheSize ?? 10_000;
    this.useJit = options.jit ?? true;
  }

  /** Parse + type-check. Throws CelCompileError with the library's caret excerpt. */
  compile(expression: string): CelProgram {
    if (this.useCache) {
      const hit = this.cache.get(expression);
      if (hit) {
        this.hits++;
        return hit;
      }
      this.misses++;
    }
    let parsed;
    try {
      parsed = this.env.parse(expression);
    } catch (e) {
      const err = e as { message: string; code?: string };
      throw new CelCompileError(err.message, expression, err.code);
    }
    const checked = parsed.check();
    if (!checked.valid) {
      const err = checked.error as { message: string; code?: string } | undefined;
      throw new CelCompileError(err?.message ?? 'type check failed', expression, err?.code);
    }
    const facts = analyzeAst(parsed.ast);
    const interpret = parsed as unknown as Evaluator;
    const useJit = this.useJit;
    const program: CelProgram = {
      expression,
      evaluate: this.useJit ? lazyFast(parsed.ast, interpret) : interpret,
      interpret,
      // Computed on demand: generating code just to answer this would cost every compile.
      get jit() {
        return useJit && supportsFast(parsed.ast);
      },
      ast: parsed.ast,
      type: checked.type ?? 'dyn',
      facts,
      classification: classify(facts),
    };
    if (this.useCache) {
      if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(expression, program);
    }
    return program;
  }

  /** Parse only (no type check), for structure analysis of expressions that may not type-check. */
  parseOnly(expression: string): { ast: ASTNode; facts: AstFacts } {
    try {
      const ast = this.env.parse(expression).ast;
      return { ast, facts: analyzeAst(ast) };
    } catch (e) {
      const err = e as { message: string; code?: string };
      throw new CelCompileError(err.message, expression, err.code);
    }
  }

  /** Names of every function and method the environment knows (macros included). */
  knownFunctions(): ReadonlySet<string> {
    let names = knownFunctionNames.get(this.profile);
    if (!names) {
      names = new Set(['has', 'all', 'exists', 'exists_one', 'map', 'filter', 'bind', 'cel.bind']);
      for (const f of this.env.getDefinitions().functions) {
        const sig =
          (f as { signature?: string; name?: string }).signature ?? (f as { name?: string }).name ?? '';
        const m = /([A-Za-z_][A-Za-z0-9_]*)\(/.exec(sig);
        if (m) names.add(m[1]!);
      }
      knownFunctionNames.set(this.profile, names);
    }
    return names;
  }

  get cachedPrograms(): number {
    return this.cache.size;
  }
}

/**
 * Code generation costs tens of µs (new Function), more than many evaluations; like V8 itself, run
 * the interpreter first and generate the fast path once an expression is evaluated a few times, so
 * compiling a 1,000-resource RGD does not pay for code most expressions never need.
 */
const JIT_AFTER_EVALS = 2;
function lazyFast(ast: ASTNode, interpret: Evaluator): Evaluator {
  let calls = 0;
  let current: Evaluator | undefined;
  return (a) => {
    if (current) return current(a);
    if (++calls > JIT_AFTER_EVALS) {
      current = compileFast(ast, interpret) ?? interpret;
      return current(a);
    }
    return interpret(a);
  };
}

/** cel-js nested field types: a type string or a nested object of fields. */
export interface FieldTypes {
  [field: string]: string | FieldTypes;
}

/**
 * A type checker with typed variable declarations (e.g. `schema` typed from the SimpleSchema), used
 * at build time the way kro type-checks against OpenAPI; evaluation stays on the dyn environment.
 */
export class CelTypeChecker {
  private readonly env: Environment;

  constructor(declarations: Record<string, string | FieldTypes>, profile: CelProfile = 'kro') {
    this.env = base(profile).clone();
    for (const [name, t] of Object.entries(declarations)) {
      if (typeof t === 'string') this.env.registerVariable(name, t);
      else this.env.registerVariable({ name, schema: t });
    }
  }

  /** Checked result type, or the first line of the type error. */
  check(expression: string): { valid: true; type: string } | { valid: false; error: string } {
    try {
      const r = this.env.check(expression);
      return r.valid
        ? { valid: true, type: r.type ?? 'dyn' }
        : { valid: false, error: celErrorSummary(r.error) };
    } catch (e) {
      return { valid: false, error: celErrorSummary(e) };
    }
  }
}

/** First line of a cel-js error (the rest is a source excerpt with a caret). */
export function celErrorSummary(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0]!.trim();
}
