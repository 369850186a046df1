/**
 * Field sets as sigs.k8s.io/structured-merge-diff builds them for managedFields: paths of fields
 * (`f:name`), list-map items (`k:{"name":"app"}`), set items (`v:"x"`), the ToFieldSet of an applied
 * configuration, the Compare of two objects (added / modified / removed paths, items included so a
 * new map or item owns itself: the `"."` of fieldsV1), and fieldsV1 encoding in SMD's order.
 */
import { jsonEqual } from './objects.js';
import { fieldType, isAtomic, rootField, type GoType } from './typed.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Path elements joined by SEP; a set of them is a field set. */
export const SEP = '\u0000';
export type FieldSet = Set<string>;

/** Which part of an object a write owns: main resources leave status to /status and vice versa. */
export type Scope = 'all' | 'noStatus' | 'onlyStatus';

/** Metadata the field manager never tracks (internal/stripmeta.go). */
const strippedMeta = new Set([
  'name',
  'namespace',
  'creationTimestamp',
  'selfLink',
  'uid',
  'clusterName',
  'generation',
  'managedFields',
  'resourceVersion',
]);

function tracked(path: string, key: string, scope: Scope): boolean {
  if (path === '') {
    if (key === 'apiVersion' || key === 'kind') return false;
    if (scope === 'noStatus') return key !== 'status';
    if (scope === 'onlyStatus') return key === 'status';
    return true;
  }
  return !(path === 'f:metadata' && strippedMeta.has(key));
}

function childOf(path: string, t: GoType, key: string) {
  return path === '' ? rootField(t, key) : fieldType(t, key);
}

const join = (path: string, el: string): string => (path === '' ? el : path + SEP + el);

/** JSON of a list-map key as SMD writes it: key fields sorted by name, defaults filled in. */
export function itemElement(t: GoType, item: unknown): string {
  if (t.k !== 'list') return 'i:0';
  if (t.list === 'set') return 'v:' + JSON.stringify(item);
  const o = isObj(item) ? item : {};
  const key: Obj = {};
  for (const k of t.list === 'map' ? [...t.keys].sort() : []) {
    const v = o[k] ?? (t.list === 'map' ? t.defaults[k] : undefined);
    if (v !== undefined) key[k] = v;
  }
  return 'k:' + JSON.stringify(key);
}

function emptyish(v: unknown): boolean {
  return (
    v === undefined ||
    v === null ||
    (isObj(v) && Object.keys(v).length === 0) ||
    (Array.isArray(v) && v.length === 0)
  );
}

/** Is this node a leaf of the walk (SMD: atomic types, scalars, and maps/lists empty on both sides)? */
function leaf(t: GoType, l: unknown, r: unknown): boolean {
  if (isAtomic(t)) return true;
  if (t.k === 'list') {
    if (
      (l !== undefined && l !== null && !Array.isArray(l)) ||
      (r !== undefined && r !== null && !Array.isArray(r))
    )
      return true;
  } else if ((l !== undefined && l !== null && !isObj(l)) || (r !== undefined && r !== null && !isObj(r)))
    return true;
  return emptyish(l) && emptyish(r);
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** typed.Compare: what changed from `l` to `r` (both whole objects of type `t`). */
export function compare(l: unknown, r: unknown, t: GoType, scope: Scope): Comparison {
  const c: Comparison = { added: new Set(), modified: new Set(), removed: new Set() };
  walkCompare('', l, r, t, scope, c);
  return c;
}

function walkCompare(path: string, l: unknown, r: unknown, t: GoType, scope: Scope, c: Comparison): void {
  if (path !== '' && leaf(t, l, r)) {
    if (l === undefined) c.added.add(path);
    else if (r === undefined) c.removed.add(path);
    else if (!jsonEqual(l, r)) c.modified.add(path);
    return;
  }
  const visit = (child: string, lc: unknown, rc: unknown, ct: GoType) => {
    walkCompare(child, lc, rc, ct, scope, c);
    if (lc === undefined && rc !== undefined) c.added.add(child);
    else if (rc === undefined && lc !== undefined) c.removed.add(child);
  };
  if (t.k === 'list') {
    const items = new Map<string, [unknown, unknown]>();
    if (Array.isArray(l)) for (const x of l) items.set(itemElement(t, x), [x, undefined]);
    if (Array.isArray(r))
      for (const x of r) {
        const el = itemElement(t, x);
        items.set(el, [items.get(el)?.[0], x]);
      }
    for (const [el, [lc, rc]] of items) visit(join(path, el), lc, rc, t.elem);
    return;
  }
  const lo = isObj(l) ? l : undefined;
  const ro = isObj(r) ? r : undefined;
  const keys = new Set([...Object.keys(lo ?? {}), ...Object.keys(ro ?? {})]);
  for (const k of keys) {
    if (!tracked(path, k, scope)) continue;
    const lc = lo?.[k];
    const rc = ro?.[k];
    if (lc === undefined && rc === undefined) continue;
    visit(join(path, 'f:' + k), lc, rc, childOf(path, t, k).type);
  }
}

/** TypedValue.ToFieldSet of an applied configuration: what its applier owns. */
export function toFieldSet(obj: unknown, t: GoType, scope: Scope): FieldSet {
  const out: FieldSet = new Set();
  walkSet('', obj, t, scope, out);
  return out;
}

function walkSet(path: string, v: unknown, t: GoType, scope: Scope, out: FieldSet): void {
  if (path !== '' && (isAtomic(t) || (t.k === 'list' ? !Array.isArray(v) : !isObj(v)))) {
    out.add(path);
    return;
  }
  if (t.k === 'list') {
    for (const x of v as unknown[]) {
      const child = join(path, itemElement(t, x));
      walkSet(child, x, t.elem, scope, out);
      out.add(child);
    }
    return;
  }
  for (const [k, x] of Object.entries(v as Obj)) {
    if (x === undefined || !tracked(path, k, scope)) continue;
    const child = join(path, 'f:' + k);
    const f = childOf(path, t, k);
    walkSet(child, x, f.type, scope, out);
    if (x === null || (isObj(x) && Object.keys(x).length === 0) || !f.declared) out.add(child);
  }
}

/**
 * fieldsV1 of a newly created object, straight from the object (the create path, on every POST):
 * the same as encode(compare(zero value, obj)) but without building sets. A map or item absent
 * from Go's zero value gets its `"."`.
 */
export function createdFieldsV1(obj: Obj, t: GoType, scope: Scope): Obj {
  return createdNode('', obj, t, true, scope, false) ?? {};
}

const byName = (a: [string, Obj], b: [string, Obj]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
const byElement = (a: [string, Obj], b: [string, Obj]): number => compareElements(a[0], b[0]);

/** The fieldsV1 node of a non-leaf value, `"."` first when `dot`; undefined when nothing in it is tracked. */
function createdNode(
  path: string,
  v: unknown,
  t: GoType,
  inZero: boolean,
  scope: Scope,
  dot: boolean,
): Obj | undefined {
  const entries: [string, Obj][] = [];
  let items = false;
  if (t.k === 'list') {
    items = true;
    const et = t.elem;
    for (const x of v as unknown[]) {
      const node = leaf(et, undefined, x) ? undefined : createdNode('i', x, et, false, scope, true);
      entries.push([itemElement(t, x), node ?? {}]);
    }
  } else {
    const o = v as Obj;
    for (const k in o) {
      const x = o[k];
      if (x === undefined || !tracked(path, k, scope)) continue;
      const f = childOf(path, t, k);
      const zero = inZero && f.zero;
      // Equal to the zero value it replaces (a template's `creationTimestamp: null`): not a change.
      if (zero && (x === null || x === '' || x === 0 || x === false)) continue;
      if (leaf(f.type, undefined, x)) {
        entries.push(['f:' + k, {}]);
        continue;
      }
      const node = createdNode(path === '' ? 'f:' + k : 'x', x, f.type, zero, scope, !zero);
      // Only untracked fields inside (a metadata of name/namespace only): nothing to own here.
      if (node) entries.push(['f:' + k, node]);
    }
  }
  if (!entries.length) return undefined;
  entries.sort(items ? byElement : byName);
  const out: Obj = {};
  if (dot) out['.'] = {};
  for (const [k, n] of entries) out[k] = n;
  return out;
}

function rank(el: string): number {
  switch (el.charCodeAt(0)) {
    case 102: // f
      return 0;
    case 107: // k
      return 1;
    case 118: // v
      return 2;
    default:
      return 3;
  }
}

/** SMD's total order of JSON values: numbers < strings < booleans < lists < maps < null. */
function compareValues(a: unknown, b: unknown): number {
  const kind = (v: unknown) =>
    typeof v === 'number'
      ? 0
      : typeof v === 'string'
        ? 1
        : typeof v === 'boolean'
          ? 2
          : Array.isArray(v)
            ? 3
            : v === null
              ? 5
              : 4;
  const ka = kind(a);
  const kb = kind(b);
  if (ka !== kb) return ka - kb;
  if (ka === 0) return (a as number) - (b as number);
  if (ka === 1) return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
  if (ka === 2) return a === b ? 0 : a ? 1 : -1;
  return 0;
}

/** fieldpath.PathElement ordering: fields < keys < values < indexes. */
function compareElements(a: string, b: string): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return a === b ? 0 : a < b ? -1 : 1;
  if (ra === 1) {
    const ka = Object.entries(JSON.parse(a.slice(2)) as Obj);
    const kb = Object.entries(JSON.parse(b.slice(2)) as Obj);
    if (ka.length !== kb.length) return ka.length - kb.length;
    for (let i = 0; i < ka.length; i++) {
      if (ka[i]![0] !== kb[i]![0]) return ka[i]![0] < kb[i]![0] ? -1 : 1;
      const c = compareValues(ka[i]![1], kb[i]![1]);
      if (c) return c;
    }
    return 0;
  }
  if (ra === 2) return compareValues(JSON.parse(a.slice(2)), JSON.parse(b.slice(2)));
  return Number(a.slice(2)) - Number(b.slice(2));
}

interface Trie {
  member: boolean;
  children: Map<string, Trie>;
}

/** fieldsV1 JSON of a set: `"."` first when a node is itself a member, children in SMD order. */
export function encodeFieldsV1(set: FieldSet): Obj {
  const root: Trie = { member: false, children: new Map() };
  for (const p of set) {
    let node = root;
    for (const el of p.split(SEP)) {
      let next = node.children.get(el);
      if (!next) node.children.set(el, (next = { member: false, children: new Map() }));
      node = next;
    }
    node.member = true;
  }
  const emit = (n: Trie): Obj => {
    const out: Obj = {};
    if (n.member && n.children.size) out['.'] = {};
    for (const el of [...n.children.keys()].sort(compareElements)) out[el] = emit(n.children.get(el)!);
    return out;
  };
  return emit(root);
}

export function decodeFieldsV1(f: unknown): FieldSet {
  const out: FieldSet = new Set();
  const walk = (node: unknown, path: string) => {
    if (!isObj(node)) return;
    let children = 0;
    for (const k of Object.keys(node)) {
      if (k === '.') {
        if (path) out.add(path);
        continue;
      }
      children++;
      walk(node[k], join(path, k));
    }
    if (children === 0 && path) out.add(path);
  };
  walk(f, '');
  return out;
}

/** fieldpath.Path.String(): `.spec.containers[name="app"].image`, `.metadata.finalizers[="x"]`. */
export function pathString(path: string): string {
  return path
    .split(SEP)
    .map((el) => {
      const body = el.slice(2);
      if (el.startsWith('f:')) return '.' + body;
      if (el.startsWith('k:')) {
        const key = JSON.parse(body) as Obj;
        return `[${Object.entries(key)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
      }
      if (el.startsWith('v:')) return `[=${body}]`;
      return `[${body}]`;
    })
    .join('');
}

/** Is `prefix` the path of `path` or of one of its ancestors? */
export function isPrefix(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(prefix + SEP);
}
