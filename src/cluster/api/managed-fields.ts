/**
 * managedFields bookkeeping as server-side apply does it, on sets of leaf field paths: Update
 * operations take the fields they change, Apply operations own exactly the fields of their
 * configuration, conflict with other owners holding different values (409 FieldManagerConflict
 * unless force), and remove fields they stop applying when nobody else owns them.
 * Lists are atomic leaves (the real server merges keyed lists element-wise; documented gap).
 */
import { nowSeconds, jsonEqual, type ManagedFieldsEntry } from './objects.js';
import { ApiError } from './status.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const SEP = '\u0000';

/** Leaf paths of an object (user-owned parts: metadata labels/annotations/finalizers/ownerReferences and everything else). */
export function leafPaths(obj: Obj, onlyStatus?: boolean): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, path: string[]) => {
    if (isObj(v) && Object.keys(v).length > 0) {
      for (const [k, x] of Object.entries(v)) if (x !== undefined) walk(x, [...path, k]);
    } else out.add(path.join(SEP));
  };
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind' || v === undefined) continue;
    if (onlyStatus !== undefined && (k === 'status') !== onlyStatus) continue;
    if (k === 'metadata') {
      if (!isObj(v)) continue;
      for (const mk of ['labels', 'annotations']) if (isObj(v[mk])) walk(v[mk], ['metadata', mk]);
      for (const mk of ['finalizers', 'ownerReferences'])
        if (v[mk] !== undefined) out.add(['metadata', mk].join(SEP));
      continue;
    }
    walk(v, [k]);
  }
  return out;
}

function valueAt(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const k of path.split(SEP)) cur = isObj(cur) ? cur[k] : undefined;
  return cur;
}

function deleteAt(obj: Obj, path: string): void {
  const keys = path.split(SEP);
  const stack: Obj[] = [obj];
  let cur: unknown = obj;
  for (const k of keys.slice(0, -1)) {
    cur = isObj(cur) ? cur[k] : undefined;
    if (!isObj(cur)) return;
    stack.push(cur);
  }
  delete (cur as Obj)[keys[keys.length - 1]!];
  // Drop maps emptied by the removal (but never metadata itself).
  for (let i = stack.length - 1; i > 0; i--) {
    if (Object.keys(stack[i]!).length === 0 && !(i === 1 && keys[0] === 'metadata'))
      delete stack[i - 1]![keys[i - 1]!];
    else break;
  }
}

function fieldsOfValue(v: unknown, marks: boolean): Obj {
  if (!isObj(v)) return {};
  const keys = Object.keys(v);
  if (keys.length === 0) return {};
  const out: Obj = marks ? { '.': {} } : {};
  for (const k of keys.sort()) if (v[k] !== undefined) out[`f:${k}`] = fieldsOfValue(v[k], marks);
  return out;
}

/** fieldsV1 of a whole new object, built directly (the create path: same result as toFieldsV1(leafPaths(obj))). */
export function fieldsV1Of(obj: Obj, marks: boolean): Obj {
  const out: Obj = {};
  for (const k of Object.keys(obj).sort()) {
    const v = obj[k];
    if (k === 'apiVersion' || k === 'kind' || v === undefined) continue;
    if (k === 'metadata') {
      if (!isObj(v)) continue;
      const m: Obj = {};
      for (const mk of ['annotations', 'finalizers', 'labels', 'ownerReferences']) {
        const x = v[mk];
        if (x === undefined) continue;
        if (mk === 'finalizers' || mk === 'ownerReferences') m[`f:${mk}`] = {};
        else if (isObj(x)) m[`f:${mk}`] = fieldsOfValue(x, marks);
      }
      if (Object.keys(m).length) out['f:metadata'] = m;
      continue;
    }
    out[`f:${k}`] = fieldsOfValue(v, marks);
  }
  return out;
}

export function toFieldsV1(paths: Set<string>, marks: boolean): Obj {
  const root: Obj = {};
  for (const p of [...paths].sort()) {
    let cur = root;
    const keys = p.split(SEP);
    keys.forEach((k, i) => {
      const f = `f:${k}`;
      if (!isObj(cur[f])) cur[f] = {};
      cur = cur[f] as Obj;
      if (marks && i < keys.length - 1 && !(i === 0 && k === 'metadata')) cur['.'] = {};
    });
  }
  return sortFields(root);
}

function sortFields(o: Obj): Obj {
  const out: Obj = {};
  for (const k of Object.keys(o).sort()) out[k] = isObj(o[k]) ? sortFields(o[k] as Obj) : o[k];
  return out;
}

export function fromFieldsV1(f: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown, path: string[]) => {
    if (!isObj(node)) return;
    const children = Object.keys(node).filter(
      (k) => k.startsWith('f:') || k.startsWith('k:') || k.startsWith('v:'),
    );
    if (children.length === 0) {
      if (path.length) out.add(path.join(SEP));
      return;
    }
    for (const c of children) walk(node[c], [...path, c.slice(2)]);
  };
  walk(f, []);
  return out;
}

const display = (p: string) => '.' + p.split(SEP).join('.');

function entryKey(e: ManagedFieldsEntry): string {
  return `${e.manager}|${e.operation}|${e.subresource ?? ''}`;
}

/** Managed fields after an Update by `manager` that turned `before` into `after`. */
export function afterUpdate(
  entries: ManagedFieldsEntry[] | undefined,
  manager: string,
  apiVersion: string,
  before: Obj | undefined,
  after: Obj,
  subresource?: string,
): ManagedFieldsEntry[] {
  const onlyStatus = subresource === 'status' ? true : undefined;
  const newPaths = leafPaths(after, onlyStatus);
  const oldPaths = before ? leafPaths(before, onlyStatus) : new Set<string>();
  const changed = new Set<string>();
  for (const p of newPaths)
    if (!oldPaths.has(p) || !jsonEqual(valueAt(before, p), valueAt(after, p))) changed.add(p);
  const removed = new Set([...oldPaths].filter((p) => !newPaths.has(p)));
  const list: ManagedFieldsEntry[] = [];
  let mine: Set<string> | undefined;
  for (const e of entries ?? []) {
    let set = fromFieldsV1(e.fieldsV1);
    if (e.manager === manager && e.operation === 'Update' && (e.subresource ?? '') === (subresource ?? '')) {
      mine = set;
      continue;
    }
    const before = set.size;
    set = new Set([...set].filter((p) => !changed.has(p) && !removed.has(p)));
    if (set.size === 0) continue;
    list.push(set.size === before ? e : { ...e, fieldsV1: toFieldsV1(set, e.operation === 'Update') });
  }
  const own = new Set([...(mine ?? [])].filter((p) => !removed.has(p)));
  for (const p of changed) own.add(p);
  if (own.size) {
    const entry: ManagedFieldsEntry = {
      manager,
      operation: 'Update',
      apiVersion,
      time: nowSeconds(),
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(own, true),
    };
    if (subresource) entry.subresource = subresource;
    list.push(entry);
  }
  return list;
}

/**
 * Server-side apply: checks conflicts, removes fields `manager` no longer applies, and returns the
 * new managedFields. `merged` is the object after merging the configuration (mutated in place).
 */
export function afterApply(
  entries: ManagedFieldsEntry[] | undefined,
  manager: string,
  apiVersion: string,
  current: Obj | undefined,
  config: Obj,
  merged: Obj,
  force: boolean,
  subresource?: string,
): ManagedFieldsEntry[] {
  const applied = leafPaths(config, subresource === 'status' ? true : undefined);
  const conflicts: { manager: string; update: boolean; apiVersion: string; path: string }[] = [];
  const others: { e: ManagedFieldsEntry; set: Set<string> }[] = [];
  let previous = new Set<string>();
  for (const e of entries ?? []) {
    const set = fromFieldsV1(e.fieldsV1);
    if (e.manager === manager && e.operation === 'Apply' && (e.subresource ?? '') === (subresource ?? '')) {
      previous = set;
      continue;
    }
    others.push({ e, set });
    for (const p of applied) {
      if (set.has(p) && !jsonEqual(valueAt(current, p), valueAt(config, p))) {
        conflicts.push({
          manager: e.manager,
          update: e.operation === 'Update',
          apiVersion: e.apiVersion,
          path: p,
        });
      }
    }
  }
  if (conflicts.length && !force) throw conflictError(conflicts);
  // Fields this manager stops applying go away unless someone else still owns them.
  for (const p of previous) {
    if (applied.has(p)) continue;
    if (others.some((o) => o.set.has(p))) continue;
    deleteAt(merged, p);
  }
  const list: ManagedFieldsEntry[] = [];
  for (const { e, set } of others) {
    if (!force) {
      list.push(e);
      continue;
    }
    const kept = new Set(
      [...set].filter(
        (p) => !(applied.has(p) && conflicts.some((c) => c.path === p && c.manager === e.manager)),
      ),
    );
    if (kept.size === 0) continue;
    list.push(kept.size === set.size ? e : { ...e, fieldsV1: toFieldsV1(kept, e.operation === 'Update') });
  }
  const entry: ManagedFieldsEntry = {
    manager,
    operation: 'Apply',
    apiVersion,
    time: nowSeconds(),
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(applied, false),
  };
  if (subresource) entry.subresource = subresource;
  list.push(entry);
  return list.sort((a, b) =>
    entryKey(a) === entryKey(entry) ? 1 : entryKey(b) === entryKey(entry) ? -1 : 0,
  );
}

function conflictError(
  conflicts: { manager: string; update: boolean; apiVersion: string; path: string }[],
): ApiError {
  const who = (c: { manager: string; update: boolean; apiVersion: string }) =>
    `"${c.manager}"${c.update ? ` using ${c.apiVersion}` : ''}`;
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    message = `Apply failed with 1 conflict: conflict with ${who(c)}: ${display(c.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const k = who(c);
      byManager.set(k, [...(byManager.get(k) ?? []), display(c.path)]);
    }
    message =
      `Apply failed with ${conflicts.length} conflicts: ` +
      [...byManager]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([m, paths]) => `conflicts with ${m}:\n${paths.map((p) => `- ${p}`).join('\n')}`)
        .join('\n');
  }
  return new ApiError(409, 'Conflict', message, {
    causes: conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${who(c)}`,
      field: display(c.path),
    })),
  });
}
