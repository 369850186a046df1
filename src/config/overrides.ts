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
