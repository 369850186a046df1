/**
 * Key order of stored objects as kube-apiserver's encoders produce it. Built-in kinds are Go
 * structs: fields in declared order (the type table, src/cluster/types), every map (labels, annotations, data,
 * selectors, resource lists…) with sorted keys, JSON values of apiextensions kept as sent; parts the
 * table does not describe keep the client's order. Custom resources are unstructured: sorted keys at
 * every level. Maps whose order a JS object cannot hold are recorded for store/json.ts.
 */
import { keyOrder } from '../store/json.js';
import type { KubeObject } from '../store/store.js';
import type { ResourceType } from './resources.js';
import { objectMetaType, rootType, type GoStruct, type GoType } from './typed.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** An array-index key: JS iterates those first, in numeric order, whatever the insertion order. */
function indexLike(k: string): boolean {
  const c = k.charCodeAt(0);
  return c >= 48 && c <= 57 && /^(0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295;
}

/** A map with Go's sorted keys (byte order; JS's code-unit order is the same outside astral planes). */
function sortedMap(root: object, m: Obj, elem: GoType | undefined): Obj {
  const keys = Object.keys(m);
  let sorted = true;
  let index = false;
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && keys[i - 1]! > keys[i]!) sorted = false;
    if (!index && indexLike(keys[i]!)) index = true;
  }
  // Already in order, nothing inside to reorder: keep the object (most labels and data maps).
  if (sorted && !index && elem?.k === 'scalar') return m;
  if (!sorted) keys.sort();
  const out: Obj = {};
  for (const k of keys) out[k] = elem ? order(root, m[k], elem) : sortAll(root, m[k]);
  if (index && Object.keys(out).some((k, i) => k !== keys[i])) keyOrder(root, out, keys);
  return out;
}

function sortAll(root: object, v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => sortAll(root, x));
  return isObj(v) ? sortedMap(root, v, undefined) : v;
}

function orderStruct(root: object, v: Obj, s: GoStruct, out: Obj = {}, typeMeta = false): Obj {
  let placed = 0;
  let present = 0;
  for (const k in v) if (v[k] !== undefined) present++;
  // The root's kind and apiVersion are placed by the caller.
  if (typeMeta) present -= (v.kind !== undefined ? 1 : 0) + (v.apiVersion !== undefined ? 1 : 0);
  for (const f of s.fields) {
    const x = v[f.name];
    if (x === undefined) continue;
    out[f.name] = order(root, x, f.type);
    if (++placed === present) return out;
  }
  // Fields the table does not know keep their place after the known ones.
  for (const k in v) if (v[k] !== undefined && !s.byName.has(k) && !(k in out)) out[k] = v[k];
  return out;
}

function order(root: object, v: unknown, t: GoType): unknown {
  if (v === null || typeof v !== 'object') return v;
  switch (t.k) {
    case 'struct':
      return isObj(v) ? orderStruct(root, v, t.s) : v;
    case 'map':
      return isObj(v) ? sortedMap(root, v, t.elem) : v;
    case 'list':
      return Array.isArray(v) ? v.map((x) => order(root, x, t.elem)) : v;
    default:
      return v;
  }
}

/**
 * The stored form of `obj`: kind, apiVersion, then the kind's fields in Go order (status last for
 * kinds the table does not describe), or sorted keys everywhere for custom resources.
 */
export function goOrdered(rt: ResourceType, obj: KubeObject): KubeObject {
  const root: Obj = {};
  if (rt.custom) {
    for (const k of Object.keys(obj).sort()) root[k] = sortAll(root, obj[k]);
    return root as KubeObject;
  }
  root.kind = obj.kind;
  root.apiVersion = obj.apiVersion;
  const t = rootType(rt);
  if (t.k === 'struct') return orderStruct(root, obj, t.s, root, true) as KubeObject;
  root.metadata = order(root, obj.metadata, objectMetaType);
  for (const k of Object.keys(obj)) {
    if (k !== 'kind' && k !== 'apiVersion' && k !== 'metadata' && k !== 'status') root[k] = obj[k];
  }
  if (obj.status !== undefined) root.status = obj.status;
  return root as KubeObject;
}
