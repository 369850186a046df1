/**
 * Unknown fields of a built-in object, found by walking it along the type table the way Go's
 * strict JSON decoder does (paths like `spec.template.spec.containers[0].bogus`). They are removed
 * from the object (the real decoder drops them) and returned for the Warning / Strict 400.
 */
import { message, type MessageInfo } from './index.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function walk(m: MessageInfo, v: Obj, path: string, out: string[], top: boolean): void {
  for (const key of Object.keys(v)) {
    if (top && (key === 'apiVersion' || key === 'kind')) continue;
    if (m.typeMeta && (key === 'apiVersion' || key === 'kind')) continue;
    const f = m.jsonByName.get(key);
    const here = path ? `${path}.${key}` : key;
    if (!f) {
      out.push(here);
      delete v[key];
      continue;
    }
    if (f.scalar) continue;
    const child = message(f.elem);
    if (!child || child.special) continue;
    const val = v[key];
    if (f.map) {
      if (isObj(val))
        for (const [k, x] of Object.entries(val)) if (isObj(x)) walk(child, x, `${here}[${k}]`, out, false);
    } else if (f.repeated) {
      if (Array.isArray(val)) val.forEach((x, i) => isObj(x) && walk(child, x, `${here}[${i}]`, out, false));
    } else if (isObj(val)) walk(child, val, here, out, false);
  }
}

/** Removes the fields `definition` does not declare; returns their paths in document order. */
export function pruneUnknownFields(definition: string, obj: Obj): string[] {
  const m = message(definition);
  if (!m) return [];
  const out: string[] = [];
  walk(m, obj, '', out, true);
  return out;
}
