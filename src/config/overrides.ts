/**
 * `--set path=value` overrides. Paths use dots, with numbers for list items (`phases.0.qps=50`, also
 * `phases[0].qps=50`); values are parsed as YAML scalars/flow values (`true`, `10`, `[a, b]`, `"10"`).
 */
import { parse } from 'yaml';
import { InputError } from '../core/errors.js';

export interface Override {
  /** The flag as the user typed it, for error messages. */
  raw: string;
  path: (string | number)[];
  value: unknown;
}

export function parseOverride(raw: string): Override {
  const eq = raw.indexOf('=');
  if (eq <= 0) {
    throw new InputError(`--set ${raw}: expected path=value, e.g. --set phases.0.objects=1000`);
  }
  const pathText = raw.slice(0, eq).trim();
  const path = pathText
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  if (path.some((s) => s === '')) throw new InputError(`--set ${raw}: empty segment in path "${pathText}"`);
  const valueText = raw.slice(eq + 1);
  let value: unknown;
  try {
    value = valueText === '' ? '' : parse(valueText);
  } catch {
    value = valueText;
  }
  return { raw, path, value };
}

/**
 * Why `o` cannot be applied to `config` (the study as plain data), or undefined. A --set may change
 * any value and add a field to a map, but it does not invent list items or reach inside a scalar.
 */
export function overrideProblem(config: unknown, o: Override): string | undefined {
  const name = (n: number) => o.path.slice(0, n).join('.');
  let cur: unknown = config;
  for (let i = 0; i < o.path.length; i++) {
    const seg = o.path[i]!;
    if (Array.isArray(cur)) {
      const range = cur.length ? `0…${cur.length - 1}` : 'none';
      if (typeof seg !== 'number')
        return `"${name(i)}" is a list: use an index (${range}), e.g. ${[...o.path.slice(0, i), 0, ...o.path.slice(i + 1)].join('.')}`;
      if (seg >= cur.length)
        return `"${name(i)}" has ${cur.length} item(s) (${range}); --set changes items, it does not add them`;
    } else if (cur === null || typeof cur !== 'object') {
      return `"${name(i)}" is ${describe(cur)}, so it has no field "${seg}"`;
    }
    cur = (cur as Record<PropertyKey, unknown>)[seg];
    if (cur === undefined) return undefined; // missing maps on the way are created
  }
  return undefined;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 30 ? v.slice(0, 30) + '…' : v)}`;
  return `the ${typeof v} ${JSON.stringify(v)}`;
}
