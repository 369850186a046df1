/**
 * Complexity classes for CEL expressions, from AST facts alone (no evaluation), matching the
 * reference study's buckets: simple (a field), medium (operators, a ternary), complex (deep paths,
 * indexing, calls), very-complex (comprehensions). The cost order is the asymptotic evaluation cost
 * in n = size of the lists iterated: nested quantifiers over the same list cost O(n²).
 */
import type { AstFacts } from './ast.js';

export type Complexity = 'simple' | 'medium' | 'complex' | 'very-complex';
export const COMPLEXITIES: readonly Complexity[] = ['simple', 'medium', 'complex', 'very-complex'];

export interface Classification {
  complexity: Complexity;
  costOrder: string;
  /** Why this class, for humans (`rgd inspect`). */
  reason: string;
}

const SUPERSCRIPT = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

export function costOrder(comprehensionDepth: number): string {
  if (comprehensionDepth <= 0) return 'O(1)';
  if (comprehensionDepth === 1) return 'O(n)';
  const exp = String(comprehensionDepth)
    .split('')
    .map((d) => SUPERSCRIPT[Number(d)])
    .join('');
  return `O(n${exp})`;
}

/** Functions whose cost grows with string length (regex, split, parsing…): at least complex. */
const LINEAR_FUNCTIONS = new Set([
  'matches',
  'find',
  'findAll',
  'split',
  'join',
  'replace',
  'format',
  'unmarshal',
  'marshal',
  // Kubernetes library parsers (≈1–2 µs each, interpreted)
  'quantity',
  'isQuantity',
  'url',
  'isURL',
  'ip',
  'isIP',
  'cidr',
  'isCIDR',
  'semver',
  'isSemver',
]);

export function classify(f: AstFacts): Classification {
  const order = costOrder(f.comprehensionDepth);
  if (f.comprehensionDepth >= 2 || f.comprehensionCount >= 2) {
    return {
      complexity: 'very-complex',
      costOrder: order,
      reason:
        f.comprehensionDepth >= 2
          ? `nested comprehensions (depth ${f.comprehensionDepth})`
          : `${f.comprehensionCount} comprehensions`,
    };
  }
  if (f.comprehensionCount === 1) {
    return { complexity: 'complex', costOrder: order, reason: 'one comprehension over a list' };
  }
  const heavyCall = f.functions.some((fn) => LINEAR_FUNCTIONS.has(fn));
  if (heavyCall || f.indexCount > 0 || f.selectChain >= 5 || f.nodeCount > 15 || f.depth > 8) {
    return {
      complexity: 'complex',
      costOrder: heavyCall ? 'O(len)' : order,
      reason: heavyCall
        ? 'string/regex/JSON function'
        : f.indexCount > 0
          ? 'index access'
          : f.selectChain >= 5
            ? `deep field path (${f.selectChain} selects)`
            : `${f.nodeCount} AST nodes`,
    };
  }
  if (f.nodeCount > 3 || f.branchCount > 0 || f.functions.length > 0) {
    return { complexity: 'medium', costOrder: order, reason: 'operators, calls or branches' };
  }
  return { complexity: 'simple', costOrder: order, reason: 'a field or literal' };
}
