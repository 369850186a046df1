/**
 * Server-side apply (application/apply-patch+yaml) as structured-merge-diff does it: the
 * configuration is merged into the live object by type (list-map items by their keys, set items by
 * value, atomic lists and structs replaced, maps key by key), fields the manager applied before and
 * dropped now are removed unless someone else owns them, then managed-fields.ts checks conflicts
 * and records ownership. Creates the object when it is missing.
 */
import type { KubeObject, Stored } from '../store/store.js';
import { decodeLoose } from './codec.js';
import type { ApiContext, ApiRequest, ApiResult } from './context.js';
import {
  decodeFieldsV1,
  encodeFieldsV1,
  isPrefix,
  itemElement,
  SEP,
  toFieldSet,
  type FieldSet,
} from './fieldpath.js';
import { insertNew, writeUpdate } from './handlers.js';
import { afterApply, scopeOf } from './managed-fields.js';
import { clone, nowSeconds, type ManagedFieldsEntry } from './objects.js';
import { queryBool } from './request-options.js';
import { errors } from './status.js';
import { fieldType, isAtomic, rootField, rootType, type GoType } from './typed.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** typed.Merge of `rhs` (the configuration) into `lhs` (the live object). */
function mergeTyped(lhs: unknown, rhs: unknown, t: GoType, root = false): unknown {
  if (rhs === undefined) return lhs;
  if (lhs === undefined || lhs === null || isAtomic(t)) return clone(rhs);
  if (t.k === 'list') {
    if (!Array.isArray(lhs) || !Array.isArray(rhs)) return clone(rhs);
    return mergeList(lhs, rhs, t);
  }
  if (!isObj(lhs) || !isObj(rhs)) return clone(rhs);
  const out: Obj = { ...lhs };
  for (const [k, v] of Object.entries(rhs)) {
    const ft = (root ? rootField(t, k) : fieldType(t, k)).type;
    out[k] = mergeTyped(lhs[k], v, ft);
  }
  return out;
}

/**
 * Associative and set lists: items matched by key, in SMD's merge order (live order, with the
 * configuration's new items placed where its order puts them).
 */
function mergeList(lhs: unknown[], rhs: unknown[], t: GoType & { k: 'list' }): unknown[] {
  const lEls = lhs.map((x) => itemElement(t, x));
  const rEls = rhs.map((x) => itemElement(t, x));
  const lBy = new Map(lEls.map((e, i) => [e, lhs[i]]));
  const rBy = new Map(rEls.map((e, i) => [e, rhs[i]]));
  const item = (e: string, l: unknown, r: unknown) => (r === undefined ? l : mergeTyped(l, r, t.elem));
  const sharedOrder = rEls.filter((e) => lBy.has(e));
  let nextShared = sharedOrder.shift();
  const mergedRhs = new Set<string>();
  const out: unknown[] = [];
  let li = 0;
  let ri = 0;
  while (li < lEls.length || ri < rEls.length) {
    if (li < lEls.length && ri < rEls.length) {
      const pe = lEls[li]!;
      if (pe === rEls[ri]) {
        mergedRhs.add(pe);
        out.push(item(pe, lBy.get(pe), rBy.get(pe)));
        li++;
        ri++;
        nextShared = sharedOrder.shift();
        continue;
      }
      if (rBy.has(pe) && nextShared !== undefined && nextShared !== pe) {
        li++;
        continue;
      }
    }
    if (li < lEls.length) {
      const pe = lEls[li]!;
      if (!rBy.has(pe)) {
        out.push(lhs[li]);
        li++;
        continue;
      }
      if (mergedRhs.has(pe)) {
        li++;
        continue;
      }
    }
    if (ri < rEls.length) {
      const pe = rEls[ri]!;
      mergedRhs.add(pe);
      out.push(item(pe, lBy.get(pe), rBy.get(pe)));
      ri++;
      if (nextShared !== undefined && nextShared === pe) nextShared = sharedOrder.shift();
    }
  }
  return out;
}

/**
 * Removes what `manager` applied last time and no longer applies, unless another manager (or its
 * new configuration) still owns something there. Maps and lists left empty go too on built-ins
 * (Go's omitempty); custom resources keep them, as their unstructured storage does.
 */
function prune(
  obj: Obj,
  t: GoType,
  previous: FieldSet,
  applied: FieldSet,
  others: FieldSet,
  builtin: boolean,
): void {
  const kept = [...applied, ...others];
  const gone = [...previous]
    .filter((p) => !applied.has(p) && !others.has(p))
    .sort((a, b) => a.split(SEP).length - b.split(SEP).length);
  const removed: string[] = [];
  for (const p of gone) {
    if (removed.some((r) => isPrefix(r, p))) continue;
    if (kept.some((q) => q !== p && isPrefix(p, q))) continue;
    if (removeAt(obj, t, p.split(SEP), builtin)) removed.push(p);
  }
}

function removeAt(root: Obj, t: GoType, els: string[], builtin: boolean): boolean {
  const chain: { container: Obj | unknown[]; key: string | number; type: GoType }[] = [];
  let cur: unknown = root;
  let ct = t;
  for (let i = 0; i < els.length; i++) {
    const el = els[i]!;
    if (el.startsWith('f:')) {
      if (!isObj(cur)) return false;
      const name = el.slice(2);
      const ft = (i === 0 ? rootField(ct, name) : fieldType(ct, name)).type;
      chain.push({ container: cur, key: name, type: ft });
      cur = cur[name];
      ct = ft;
    } else {
      if (!Array.isArray(cur) || ct.k !== 'list') return false;
      const lt = ct;
      const idx = cur.findIndex((x) => itemElement(lt, x) === el);
      if (idx < 0) return false;
      chain.push({ container: cur, key: idx, type: lt.elem });
      cur = cur[idx];
      ct = lt.elem;
    }
    if (cur === undefined) return false;
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const { container, key } = chain[i]!;
    if (Array.isArray(container)) container.splice(key as number, 1);
    else delete container[key as string];
    // Go drops a map or list that became empty (omitempty); stop at anything else.
    const parent = chain[i - 1];
    if (!builtin || !parent || (parent.type.k !== 'map' && parent.type.k !== 'list')) break;
    const left = parent.container as Obj | unknown[];
    const holder = Array.isArray(left) ? left[parent.key as number] : left[parent.key as string];
    if ((Array.isArray(holder) ? holder.length : isObj(holder) ? Object.keys(holder).length : 1) > 0) break;
  }
  return true;
}

/** Server-side apply: create if missing, otherwise merge, prune, check conflicts, write. */
export function applyPatch(ctx: ApiContext, req: ApiRequest, cur: Stored | undefined): ApiResult {
  const rt = req.rt;
  // fieldManager is required for apply (checked with the other PatchOptions in http/dispatch.ts).
  const manager = req.query.get('fieldManager') ?? '';
  const cfg = decodeLoose(req.body ?? Buffer.alloc(0), true);
  if (!isObj(cfg))
    throw errors.badRequest('error decoding YAML: the applied configuration must be an object');
  if (cfg.apiVersion !== rt.groupVersion || cfg.kind !== rt.kind) {
    throw errors.badRequest(
      `the API version in the data (${String(cfg.apiVersion ?? '')}) does not match the expected API version (${rt.groupVersion})`,
    );
  }
  const meta = isObj(cfg.metadata) ? cfg.metadata : {};
  cfg.metadata = meta;
  if (meta.name !== undefined && meta.name !== req.name) {
    throw errors.badRequest(
      `the name of the object (${String(meta.name)}) does not match the name on the URL (${req.name})`,
    );
  }
  meta.name = req.name;
  const t = rootType(rt);
  const scope = scopeOf(rt, req.subresource);
  const applied = toFieldSet(cfg, t, scope);
  if (!cur)
    return insertNew(ctx, req, clone(cfg) as KubeObject, nowSeconds(), 'Apply', encodeFieldsV1(applied));
  const live = rt.custom ? { ...clone(cur.obj), apiVersion: rt.groupVersion } : clone(cur.obj);
  const merged = mergeTyped(live, cfg, t, true) as KubeObject;
  const entries = (cur.obj.metadata as Obj).managedFields as ManagedFieldsEntry[] | undefined;
  const sub = req.subresource ?? '';
  let previous: FieldSet = new Set();
  const others: FieldSet = new Set();
  for (const e of entries ?? []) {
    const set = decodeFieldsV1(e.fieldsV1);
    if (e.manager === manager && e.operation === 'Apply' && (e.subresource ?? '') === sub) previous = set;
    else for (const p of set) others.add(p);
  }
  prune(merged, t, previous, applied, others, !rt.custom);
  const { managedFields } = afterApply(
    entries,
    manager,
    rt,
    live,
    merged,
    applied,
    queryBool(req.query, 'force'),
    req.subresource,
  );
  return writeUpdate(ctx, req, cur, merged, { manager, operation: 'Apply', managedFields });
}
