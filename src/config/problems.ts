/**
 * Turns zod issues into `FILE:LINE:COL: path.to.field: message` lines, with "did you mean" for
 * unknown fields.
 */
import type { z } from 'zod';
import { editDistance } from '../phases/registry.js';

export type Locator = (path: readonly PropertyKey[], key?: string) => string;

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out || '(top level)';
}

export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** Known keys of the object schema at `path` inside `schema`, when it can be found (for suggestions). */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: any = schema;
  for (const seg of path) {
    s = unwrap(s);
    if (!s) return [];
    if (typeof seg === 'number') s = s.def?.element;
    else s = s.shape?.[seg as string];
  }
  s = unwrap(s);
  return s?.shape ? Object.keys(s.shape) : [];
}

function unwrap(s: any): any {
  while (s && (s.def?.innerType || s.def?.in)) s = s.def.innerType ?? s.def.in;
  return s;
}

export function issuesToProblems(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  locate: Locator,
  prefix: readonly PropertyKey[] = [],
  extraKnownKeys: readonly string[] = [],
): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const known = [...knownKeysAt(schema, issue.path), ...(issue.path.length === 0 ? extraKnownKeys : [])];
      for (const key of issue.keys) {
        const hint = closest(key, known);
        out.push(
          `${locate(path, key)}: ${formatPath([...path, key])}: unknown field "${key}"` +
            (hint
              ? ` (did you mean "${hint}"?)`
              : known.length
                ? ` (known fields: ${known.join(', ')})`
                : ''),
        );
      }
      continue;
    }
    out.push(`${locate(path)}: ${formatPath(path)}: ${issue.message}`);
  }
  return out;
}
