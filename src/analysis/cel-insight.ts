/** Why a CEL expression costs what it costs, read from its text (macro nesting, regexes, string building). */
const MACROS = ['all', 'exists', 'exists_one', 'map', 'filter', 'sortBy', 'transformList', 'transformMap'];
const MACRO_CALL = new RegExp(`\\.(${MACROS.join('|')})\\s*\\(`, 'g');

/** Deepest nesting of comprehension macros (x.all(y, y.items.exists(...)) is 2). */
export function macroDepth(expression: string): number {
  let depth = 0;
  let max = 0;
  const stack: boolean[] = [];
  const opens = new Set<number>();
  for (const m of expression.matchAll(MACRO_CALL)) opens.add(m.index + m[0].length - 1);
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === '(') {
      const isMacro = opens.has(i);
      stack.push(isMacro);
      if (isMacro) max = Math.max(max, ++depth);
    } else if (c === ')') {
      if (stack.pop()) depth--;
    }
  }
  return max;
}

/** Short causes, e.g. "nested quantifiers (depth 2)", "regex matching", "string concatenation in a loop". */
export function costCauses(expression: string): string[] {
  const causes: string[] = [];
  const depth = macroDepth(expression);
  if (depth >= 2) causes.push(`nested quantifiers (depth ${depth})`);
  else if (depth === 1) causes.push('one comprehension over a list');
  if (/\.matches\s*\(/.test(expression)) causes.push('regex matching');
  if (depth >= 1 && /\+\s*['"]|['"]\s*\+/.test(expression))
    causes.push('string building inside a comprehension');
  return causes;
}
