/**
 * managedFields bookkeeping as kube-apiserver's field manager does it (k8s.io/apiserver
 * managedfields over structured-merge-diff), on typed field sets (fieldpath.ts): creates own what
 * they set (a new map or list item owns itself: `"."`); Update operations take the fields they add
 * or change from everyone else and drop removed ones; Apply owns exactly its configuration's fields,
 * conflicts (409) with other owners of fields whose value it changes unless forced, and shares
 * ownership of equal values. Entries are sorted as the real encoder sorts them.
 */
import type { ApiError } from './status.js';
import {
  compare,
  createdFieldsV1,
  decodeFieldsV1,
  encodeFieldsV1,
  pathString,
  type Comparison,
  type FieldSet,
  type Scope,
} from './fieldpath.js';
import { nowSeconds, type ManagedFieldsEntry } from './objects.js';
import type { ResourceType } from './resources.js';
import { ApiError as StatusError } from './status.js';
import { rootType } from './typed.js';

type Obj = Record<string, unknown>;

/** Which part of the object a write through `subresource` is tracked for (reset fields). */
export function scopeOf(rt: ResourceType, subresource?: string): Scope {
  if (subresource === 'status') return 'onlyStatus';
  return rt.subresources.status ? 'noStatus' : 'all';
}

/** fieldsV1 of the creator of a new object (POST: an Update from the zero value). */
export function createdFields(rt: ResourceType, obj: Obj): Obj {
  return createdFieldsV1(obj, rootType(rt), scopeOf(rt));
}

const entryId = (e: { manager: string; operation: string; subresource?: string }): string =>
  `${e.manager}\u0000${e.operation}\u0000${e.subresource ?? ''}`;

const secondsOf = (t: string | undefined): number => (t ? Date.parse(t) / 1000 : 0);

/** internal.sortEncodedManagedFields: operation, then time, manager, apiVersion, subresource. */
function sortEntries(list: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return list.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      secondsOf(p.time) - secondsOf(q.time) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource ?? '', q.subresource ?? ''),
  );
}

interface Owned {
  e: ManagedFieldsEntry;
  set: FieldSet;
  changed: boolean;
}

function decode(entries: ManagedFieldsEntry[] | undefined): Owned[] {
  return (entries ?? []).map((e) => ({ e, set: decodeFieldsV1(e.fieldsV1), changed: false }));
}

function remove(o: Owned, paths: FieldSet): void {
  for (const p of paths) if (o.set.delete(p)) o.changed = true;
}

function encode(owned: Owned[]): ManagedFieldsEntry[] {
  const out: ManagedFieldsEntry[] = [];
  for (const o of owned) {
    if (o.set.size === 0) continue;
    out.push(o.changed ? { ...o.e, fieldsV1: encodeFieldsV1(o.set) } : o.e);
  }
  return sortEntries(out);
}

/** Managed fields after an Update (PUT, merge/JSON/strategic patch) by `manager`. */
export function afterUpdate(
  entries: ManagedFieldsEntry[] | undefined,
  manager: string,
  rt: ResourceType,
  before: Obj,
  after: Obj,
  subresource?: string,
): ManagedFieldsEntry[] {
  const c = compare(before, after, rootType(rt), scopeOf(rt, subresource));
  const taken = new Set([...c.modified, ...c.added]);
  const owned = decode(entries);
  const id = entryId({ manager, operation: 'Update', subresource });
  let mine = owned.find((o) => entryId(o.e) === id);
  for (const o of owned) {
    if (o === mine) continue;
    remove(o, taken);
    remove(o, c.removed);
  }
  if (taken.size) {
    if (!mine) {
      mine = {
        e: {
          manager,
          operation: 'Update',
          apiVersion: rt.groupVersion,
          time: '',
          fieldsType: 'FieldsV1',
          fieldsV1: {},
        },
        set: new Set(),
        changed: true,
      };
      if (subresource) mine.e.subresource = subresource;
      owned.push(mine);
    }
    for (const p of taken) mine.set.add(p);
    mine.e = { ...mine.e, time: nowSeconds() };
    mine.changed = true;
  }
  if (mine) remove(mine, c.removed);
  return encode(owned);
}

/**
 * Server-side apply's bookkeeping once the configuration is merged into the live object and
 * pruned (apply.ts): conflicts with the owners of fields whose value changes (409 unless force,
 * which takes them), removal of deleted fields from every owner, and `manager`'s Apply entry that
 * owns exactly `applied`.
 */
export function afterApply(
  entries: ManagedFieldsEntry[] | undefined,
  manager: string,
  rt: ResourceType,
  live: Obj | undefined,
  merged: Obj,
  applied: FieldSet,
  force: boolean,
  subresource?: string,
): { managedFields: ManagedFieldsEntry[]; changes: Comparison } {
  const c = compare(live ?? {}, merged, rootType(rt), scopeOf(rt, subresource));
  const owned = decode(entries);
  const id = entryId({ manager, operation: 'Apply', subresource });
  const conflicts: { owner: ManagedFieldsEntry; path: string }[] = [];
  const others = owned.filter((o) => entryId(o.e) !== id);
  for (const o of others) {
    for (const p of o.set) if (c.modified.has(p) || c.added.has(p)) conflicts.push({ owner: o.e, path: p });
  }
  if (conflicts.length && !force) throw conflictError(conflicts);
  for (const { owner, path } of conflicts) {
    const o = others.find((x) => x.e === owner)!;
    o.set.delete(path);
    o.changed = true;
  }
  for (const o of others) remove(o, c.removed);
  const prev = owned.find((o) => entryId(o.e) === id);
  const objectChanged = c.added.size + c.modified.size + c.removed.size > 0;
  const mine: Owned = {
    e: {
      manager,
      operation: 'Apply',
      apiVersion: rt.groupVersion,
      // The time moves only when the apply changed the object (managedFieldsUpdater.Apply).
      time: objectChanged || !prev ? nowSeconds() : prev.e.time,
      fieldsType: 'FieldsV1',
      fieldsV1: {},
    },
    set: applied,
    changed: true,
  };
  if (subresource) mine.e.subresource = subresource;
  return { managedFields: encode([...others, mine]), changes: c };
}

/** merge.Conflicts as the field manager words them (NewConflictError). */
function conflictError(conflicts: { owner: ManagedFieldsEntry; path: string }[]): ApiError {
  const who = (e: ManagedFieldsEntry) => {
    let s = JSON.stringify(e.manager);
    if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
    return e.operation === 'Update' ? `${s} using ${e.apiVersion}` : s;
  };
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    message = `Apply failed with 1 conflict: conflict with ${who(c.owner)}: ${pathString(c.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const k = who(c.owner);
      byManager.set(k, [...(byManager.get(k) ?? []), pathString(c.path)]);
    }
    message =
      `Apply failed with ${conflicts.length} conflicts: ` +
      [...byManager]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([m, paths]) => `conflicts with ${m}:\n${paths.map((p) => `- ${p}`).join('\n')}`)
        .join('\n');
  }
  return new StatusError(409, 'Conflict', message, {
    causes: conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${who(c.owner)}`,
      field: pathString(c.path),
    })),
  });
}
