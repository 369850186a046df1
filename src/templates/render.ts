/**
 * Executes a parsed template against data, with Go text/template semantics for dot, variables,
 * pipelines (the previous value is the last argument), truthiness, and range over lists, maps
 * (sorted keys) and integers. A missing key is an error (kube-burner renders with missingkey=error),
 * reported with file:line:col.
 */
import { builtinFuncs, goString, truthy, type TemplateFn } from './funcs.js';
import { TemplateError, type Arg, type Command, type Node, type Pipeline, type Pos } from './parse.js';

/** What Scope.get returns for an undeclared variable (no result object per lookup: rendering is per object). */
const MISSING = Symbol('missing');

class Scope {
  private readonly vars = new Map<string, unknown>();
  constructor(private readonly parent?: Scope) {}
  get(name: string): unknown {
    if (this.vars.has(name)) return this.vars.get(name);
    return this.parent ? this.parent.get(name) : MISSING;
  }
  declare(name: string, v: unknown) {
    this.vars.set(name, v);
  }
  assign(name: string, v: unknown): boolean {
    if (this.vars.has(name)) {
      this.vars.set(name, v);
      return true;
    }
    return this.parent ? this.parent.assign(name, v) : false;
  }
}

class Break {}
class Continue {}

export class Renderer {
  constructor(
    private readonly name: string,
    private readonly funcs: Record<string, TemplateFn> = builtinFuncs,
  ) {}

  /** Names of functions a template calls that are not defined (checked at load time). */
  unknownFunctions(nodes: Node[]): { name: string; pos: Pos }[] {
    const out: { name: string; pos: Pos }[] = [];
    const visitPipe = (p: Pipeline) => {
      for (const c of p.cmds)
        for (const a of c.args) {
          if (a.t === 'fn' && !(a.name in this.funcs)) out.push({ name: a.name, pos: a.pos });
          if (a.t === 'pipe') visitPipe(a.pipe);
        }
    };
    const visit = (ns: Node[]) => {
      for (const n of ns) {
        if (n.t === 'action') visitPipe(n.pipe);
        else if (n.t === 'if') {
          n.branches.forEach((b) => (visitPipe(b.cond), visit(b.body)));
          if (n.else) visit(n.else);
        } else if (n.t === 'range' || n.t === 'with') {
          visitPipe(n.pipe);
          visit(n.body);
          if (n.else) visit(n.else);
        }
      }
    };
    visit(nodes);
    return out;
  }

  render(nodes: Node[], data: unknown): string {
    const out: string[] = [];
    const root = new Scope();
    root.declare('$', data);
    this.walk(nodes, data, root, out, 0);
    return out.join('');
  }

  private fail(pos: Pos, msg: string): never {
    throw new TemplateError(this.name, pos.line, pos.col, msg);
  }

  private walk(nodes: Node[], dot: unknown, scope: Scope, out: string[], loops: number): void {
    for (const n of nodes) {
      switch (n.t) {
        case 'text':
          out.push(n.text);
          break;
        case 'action': {
          const v = this.pipeline(n.pipe, dot, scope);
          if (!n.pipe.decl) out.push(goString(v));
          break;
        }
        case 'if': {
          let done = false;
          for (const b of n.branches) {
            if (truthy(this.pipeline(b.cond, dot, scope))) {
              this.walk(b.body, dot, new Scope(scope), out, loops);
              done = true;
              break;
            }
          }
          if (!done && n.else) this.walk(n.else, dot, new Scope(scope), out, loops);
          break;
        }
        case 'with': {
          const v = this.pipeline(n.pipe, dot, scope, true);
          if (truthy(v)) this.walk(n.body, v, new Scope(scope), out, loops);
          else if (n.else) this.walk(n.else, dot, new Scope(scope), out, loops);
          break;
        }
        case 'range':
          this.range(n, dot, scope, out, loops);
          break;
        case 'break':
        case 'continue':
          if (!loops) this.fail(n.pos, `{{${n.t}}} outside {{range}}`);
          throw n.t === 'break' ? new Break() : new Continue();
      }
    }
  }

  private range(n: Extract<Node, { t: 'range' }>, dot: unknown, scope: Scope, out: string[], loops: number) {
    const names = n.pipe.decl?.names ?? [];
    const v = this.pipeline({ ...n.pipe, decl: undefined }, dot, scope);
    let entries: [unknown, unknown][];
    if (Array.isArray(v)) entries = v.map((x, i) => [i, x]);
    else if (typeof v === 'number')
      entries = Array.from({ length: Math.max(0, Math.trunc(v)) }, (_, i) => [i, i]);
    else if (v && typeof v === 'object')
      entries = Object.keys(v)
        .sort()
        .map((k) => [k, (v as Record<string, unknown>)[k]]);
    else if (v === null || v === undefined) entries = [];
    else this.fail(n.pipe.pos, `range can't iterate over ${goString(v)}`);
    if (!entries.length) {
      if (n.else) this.walk(n.else, dot, new Scope(scope), out, loops);
      return;
    }
    for (const [k, x] of entries) {
      const s = new Scope(scope);
      if (names.length === 1) s.declare(names[0]!, x);
      else if (names.length >= 2) {
        s.declare(names[0]!, k);
        s.declare(names[1]!, x);
      }
      try {
        this.walk(n.body, x, s, out, loops + 1);
      } catch (e) {
        if (e instanceof Break) break;
        if (e instanceof Continue) continue;
        throw e;
      }
    }
  }

  private pipeline(p: Pipeline, dot: unknown, scope: Scope, _isWith = false): unknown {
    let value: unknown;
    let hasValue = false;
    for (const c of p.cmds) {
      value = this.command(c, dot, scope, hasValue ? [value] : []);
      hasValue = true;
    }
    if (p.decl) {
      for (const name of p.decl.names) {
        if (p.decl.assign) {
          if (!scope.assign(name, value)) this.fail(p.pos, `undefined variable: ${name}`);
        } else scope.declare(name, value);
      }
    }
    return value;
  }

  private command(c: Command, dot: unknown, scope: Scope, piped: unknown[]): unknown {
    const head = c.args[0]!;
    if (head.t === 'fn') {
      const fn = this.funcs[head.name];
      if (!fn) this.fail(head.pos, `function "${head.name}" not defined`);
      const args: unknown[] = [];
      for (let i = 1; i < c.args.length; i++) args.push(this.arg(c.args[i]!, dot, scope));
      for (const p of piped) args.push(p);
      try {
        return fn(...args);
      } catch (e) {
        this.fail(head.pos, `error calling ${head.name}: ${(e as Error).message}`);
      }
    }
    if (c.args.length > 1 || piped.length)
      this.fail(c.pos, `can't give argument to non-function ${describe(head)}`);
    return this.arg(head, dot, scope);
  }

  private arg(a: Arg, dot: unknown, scope: Scope): unknown {
    switch (a.t) {
      case 'lit':
        return a.value;
      case 'var': {
        const v = scope.get(a.name);
        if (v === MISSING) this.fail(a.pos, `undefined variable: ${a.name}`);
        return v;
      }
      case 'field': {
        let base: unknown = dot;
        if (a.base !== 'dot') {
          base = scope.get(a.base.var);
          if (base === MISSING) this.fail(a.pos, `undefined variable: ${a.base.var}`);
        }
        return this.walkPath(base, a.path, a.pos);
      }
      case 'fn': {
        const fn = this.funcs[a.name];
        if (!fn) this.fail(a.pos, `function "${a.name}" not defined`);
        return fn();
      }
      case 'pipe':
        return this.walkPath(this.pipeline(a.pipe, dot, scope), a.path, a.pos);
    }
  }

  private walkPath(base: unknown, path: string[], pos: Pos): unknown {
    let cur = base;
    for (let i = 0; i < path.length; i++) {
      const key = path[i]!;
      if (cur === null || cur === undefined || typeof cur !== 'object') {
        this.fail(
          pos,
          `can't evaluate field ${key} in ${i ? `.${path.slice(0, i).join('.')}` : 'dot'} (${goString(cur)})`,
        );
      }
      if (!(key in (cur as object)))
        this.fail(pos, `map has no entry for key "${key}"${i ? ` in .${path.slice(0, i).join('.')}` : ''}`);
      cur = (cur as Record<string, unknown>)[key];
    }
    return cur;
  }
}

function describe(a: Arg): string {
  if (a.t === 'field') return '.' + a.path.join('.');
  if (a.t === 'var') return a.name;
  if (a.t === 'lit') return goString(a.value);
  return '(…)';
}
