/**
 * One walk over a cel-js AST that collects what the RGD engine and the complexity classifier need:
 * free identifiers (resource references; comprehension and cel.bind variables are bound, not free),
 * called functions, node count, depth and comprehension nesting.
 */
import type { ASTNode } from '@marcbachmann/cel-js';
import { NAMESPACED_FUNCTIONS } from './lib/macros.js';

/** Macros binding one variable (first argument). */
const COMPREHENSIONS = new Set([
  'all',
  'exists',
  'exists_one',
  'map',
  'filter',
  'sortBy',
  'optMap',
  'optFlatMap',
]);
/** cel-go two-variable comprehensions (3 or 4 arguments; the first two are bound). */
const TWO_VAR = new Set([
  'all',
  'exists',
  'exists_one',
  'existsOne',
  'transformList',
  'transformMap',
  'transformMapEntry',
]);
/** Comprehensions that loop over a collection (optMap/optFlatMap bind a variable but do not loop). */
const LOOPS = new Set([...TWO_VAR, 'map', 'filter', 'sortBy']);

export interface AstFacts {
  /** Free root identifiers in first-seen order (e.g. schema, deployment). */
  identifiers: string[];
  /** Function and method names called (macros included). */
  functions: string[];
  nodeCount: number;
  depth: number;
  /** Deepest nesting of comprehension macros (exists inside all = 2). */
  comprehensionDepth: number;
  comprehensionCount: number;
  /** Index accesses (a[0], m['k']). */
  indexCount: number;
  /** Ternaries, && and ||. */
  branchCount: number;
  /** Longest select chain (a.b.c.d = 3). */
  selectChain: number;
}

export function analyzeAst(root: ASTNode): AstFacts {
  const identifiers: string[] = [];
  const seenIds = new Set<string>();
  const functions = new Set<string>();
  const facts: AstFacts = {
    identifiers,
    functions: [],
    nodeCount: 0,
    depth: 0,
    comprehensionDepth: 0,
    comprehensionCount: 0,
    indexCount: 0,
    branchCount: 0,
    selectChain: 0,
  };
  const bound: string[] = [];

  const walk = (n: ASTNode, depth: number, compDepth: number, chain: number): void => {
    facts.nodeCount++;
    if (depth > facts.depth) facts.depth = depth;
    switch (n.op) {
      case 'id': {
        const name = n.args;
        if (!bound.includes(name) && !seenIds.has(name)) {
          seenIds.add(name);
          identifiers.push(name);
        }
        return;
      }
      case 'value':
        return;
      case '.':
      case '.?': {
        const c = chain + 1;
        if (c > facts.selectChain) facts.selectChain = c;
        walk(n.args[0], depth + 1, compDepth, c);
        return;
      }
      case '[]':
      case '[?]':
        facts.indexCount++;
        walk(n.args[0], depth + 1, compDepth, chain + 1);
        walk(n.args[1], depth + 1, compDepth, 0);
        return;
      case 'call': {
        const [name, args] = n.args;
        functions.add(name);
        for (const a of args) walk(a, depth + 1, compDepth, 0);
        return;
      }
      case 'rcall': {
        const [name, target, args] = n.args;
        const ns = target.op === 'id' ? (target.args as string) : undefined;
        if (ns && NAMESPACED_FUNCTIONS.get(ns)?.has(name)) {
          // ns.fn(…) is a qualified function (cel-go resolves it before variables), not a reference.
          functions.add(name);
          for (const a of args) walk(a, depth + 1, compDepth, 0);
          return;
        }
        functions.add(name);
        if (name === 'newCondition' && ns === 'runtime' && args[0]?.op === 'map') {
          // kro's macro turns the bare keys (type, status, …) into strings: only values are expressions.
          walk(target, depth + 1, compDepth, 0);
          for (const [, v] of args[0].args) walk(v, depth + 1, compDepth, 0);
          return;
        }
        const varNode = args[0];
        const twoVar = TWO_VAR.has(name) && args.length >= 3 && varNode?.op === 'id' && args[1]?.op === 'id';
        const isComprehension =
          twoVar || (COMPREHENSIONS.has(name) && args.length >= 2 && varNode?.op === 'id');
        const isBind = name === 'bind' && ns === 'cel' && varNode?.op === 'id';
        if (isBind) {
          // cel.bind(x, init, body): x is bound in body only.
          functions.add('cel.bind');
          walk(args[1]!, depth + 1, compDepth, 0);
          bound.push(varNode.args as string);
          walk(args[2]!, depth + 1, compDepth, 0);
          bound.pop();
          facts.nodeCount++;
          return;
        }
        walk(target, depth + 1, compDepth, 0);
        if (isComprehension) {
          const loops = LOOPS.has(name);
          const nested = loops ? compDepth + 1 : compDepth;
          if (loops) facts.comprehensionCount++;
          if (nested > facts.comprehensionDepth) facts.comprehensionDepth = nested;
          const vars = twoVar ? 2 : 1;
          for (let i = 0; i < vars; i++) bound.push(args[i]!.args as string);
          for (let i = vars; i < args.length; i++) walk(args[i]!, depth + 1, nested, 0);
          for (let i = 0; i < vars; i++) bound.pop();
          facts.nodeCount++;
          return;
        }
        for (const a of args) walk(a, depth + 1, compDepth, 0);
        return;
      }
      case 'list':
        for (const a of n.args) walk(a, depth + 1, compDepth, 0);
        return;
      case 'map':
        for (const [k, v] of n.args) {
          walk(k, depth + 1, compDepth, 0);
          walk(v, depth + 1, compDepth, 0);
        }
        return;
      case '?:':
      case '&&':
      case '||':
        facts.branchCount++;
        for (const a of n.args as ASTNode[]) walk(a, depth + 1, compDepth, 0);
        return;
      case '!_':
      case '-_':
        walk(n.args, depth + 1, compDepth, 0);
        return;
      default:
        for (const a of n.args as ASTNode[]) walk(a, depth + 1, compDepth, 0);
    }
  };
  walk(root, 1, 0, 0);
  facts.functions = [...functions];
  return facts;
}
