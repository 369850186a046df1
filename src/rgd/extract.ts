/**
 * `${...}` extraction with kro's scanning rules (pkg/graph/parser/cel.go): braces are counted from each
 * `${`, braces inside double-quoted strings are ignored (backslash escapes honoured; single quotes are
 * NOT tracked), a nested `${` is an error unless preceded by `"`, an unclosed `${` is literal text.
 * A string that is exactly one `${…}` is standalone; anything else with expressions is a string
 * template, compiled to `"lit" + (expr) + …` like kro's buildStringTemplate.
 */

export class ExpressionSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionSyntaxError';
  }
}

export interface ScannedString {
  /** Expressions in order, without `${` and `}`. */
  expressions: string[];
  /** Literal pieces: parts[0] expr[0] parts[1] expr[1] … parts[n]. */
  literals: string[];
  standalone: boolean;
}

/** Scan one string; returns undefined when it holds no complete expression. */
export function scanString(s: string): ScannedString | undefined {
  if (!s.includes('${')) return undefined;
  const expressions: string[] = [];
  const literals: string[] = [];
  let literal = '';
  let i = 0;
  while (i < s.length) {
    if (s[i] === '$' && s[i + 1] === '{') {
      const start = i + 2;
      let depth = 1;
      let inString = false;
      let j = start;
      for (; j < s.length; j++) {
        const c = s[j]!;
        if (inString) {
          if (c === '\\') j++;
          else if (c === '"') inString = false;
          continue;
        }
        if (c === '"') {
          inString = true;
        } else if (c === '$' && s[j + 1] === '{') {
          if (s[j - 1] !== '"')
            throw new ExpressionSyntaxError(
              'nested expressions are not allowed unless inside string literals',
            );
        } else if (c === '{') {
          depth++;
        } else if (c === '}') {
          if (--depth === 0) break;
        }
      }
      if (depth !== 0) {
        // Unclosed: kro keeps the rest as literal text.
        literal += s.slice(i);
        break;
      }
      literals.push(literal);
      literal = '';
      expressions.push(s.slice(start, j));
      i = j + 1;
      continue;
    }
    literal += s[i];
    i++;
  }
  if (expressions.length === 0) return undefined;
  literals.push(literal);
  const standalone = expressions.length === 1 && literals[0] === '' && literals[1] === '';
  return { expressions, literals, standalone };
}

/** CEL string literal for a piece of template text. */
function celString(s: string): string {
  return JSON.stringify(s);
}

/** The single CEL expression a string template compiles to (kro's buildStringTemplate). */
export function templateExpression(scan: ScannedString): string {
  if (scan.standalone) return scan.expressions[0]!;
  // A leading "" keeps every template a string concatenation, as in kro (an int part is a type error).
  const parts: string[] = [celString(scan.literals[0] ?? '')];
  for (let k = 0; k < scan.expressions.length; k++) {
    if (k > 0 && scan.literals[k]) parts.push(celString(scan.literals[k]!));
    parts.push(`(${scan.expressions[k]})`);
  }
  const tail = scan.literals[scan.expressions.length];
  if (tail) parts.push(celString(tail));
  return parts.join(' + ');
}

export interface FoundField {
  /** kro field path: spec.template.spec.containers[0].image, ["a.b"] for dotted keys. */
  path: string;
  /** The raw string value. */
  raw: string;
  scan: ScannedString;
  /** CEL source evaluated for this field. */
  expression: string;
}

function pathJoin(parent: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** Every string leaf holding `${…}` in an object tree (schemaless walk), in document order. */
export function findExpressionFields(value: unknown, base = ''): FoundField[] {
  const out: FoundField[] = [];
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'string') {
      const scan = scanString(v);
      if (scan) out.push({ path, raw: v, scan, expression: templateExpression(scan) });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, `${path}[${i}]`));
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) walk(child, pathJoin(path, k));
    }
  };
  walk(value, base);
  return out;
}

/** Leaves without any expression (for the status-field rule). */
export function findPlainLeaves(value: unknown, base = ''): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, `${path}[${i}]`));
    else if (v && typeof v === 'object')
      for (const [k, child] of Object.entries(v)) walk(child, pathJoin(path, k));
    else if (typeof v !== 'string' || !scanString(v)) out.push(path);
  };
  walk(value, base);
  return out;
}

/** Parse a path like spec.a[0]["b.c"] into segments (for setting values in rendered objects). */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(m[3]!) as string);
  }
  return out;
}
