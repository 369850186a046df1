/**
 * Object metadata as kube-apiserver fills it: uid, creationTimestamp (second precision),
 * generateName suffixes, built-in key order and managedFields (name validation: src/cluster/validation).
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../store/store.js';
import type { ResourceType } from './resources.js';

let cachedSecond = -1;
let cachedStamp = '';

/** RFC 3339 UTC with second precision (formatted once per second: it is on every write). */
export function nowSeconds(): string {
  const sec = Math.floor(Date.now() / 1000);
  if (sec !== cachedSecond) {
    cachedSecond = sec;
    cachedStamp = new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return cachedStamp;
}

export const newUid = randomUUID;

const nameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';
export function generateSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += nameAlphabet[Math.floor(Math.random() * nameAlphabet.length)];
  return s;
}

const metaOrder = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) out[k] = sortDeep(o[k]);
    return out;
  }
  return v;
}

/**
 * Key order of the stored object: built-ins follow the Go structs (kind, apiVersion, metadata, the
 * rest, status last); custom resources are sorted at every level like the real unstructured encoder.
 */
export function canonicalize(rt: ResourceType, obj: KubeObject): KubeObject {
  if (rt.custom) return sortDeep(obj) as KubeObject;
  const meta = obj.metadata as Record<string, unknown>;
  const m: Record<string, unknown> = {};
  for (const k of metaOrder) if (meta[k] !== undefined) m[k] = meta[k];
  for (const k of Object.keys(meta)) if (!(k in m) && meta[k] !== undefined) m[k] = meta[k];
  const out: Record<string, unknown> = { kind: obj.kind, apiVersion: obj.apiVersion, metadata: m };
  for (const k of Object.keys(obj)) {
    if (k !== 'kind' && k !== 'apiVersion' && k !== 'metadata' && k !== 'status') out[k] = obj[k];
  }
  if (obj.status !== undefined) out.status = obj.status;
  return out as KubeObject;
}

/** Manager name: ?fieldManager= or the User-Agent up to the first `/`. */
export function managerName(fieldManager: string | null, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  const ua = userAgent ?? '';
  const slash = ua.indexOf('/');
  return (slash >= 0 ? ua.slice(0, slash) : ua) || 'unknown';
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Update' | 'Apply';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** Deep equality of JSON values (no-op write detection). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (!jsonEqual(ao[k], bo[k])) return false;
  return true;
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}

/**
 * A custom resource as seen through one served version (conversion strategy None: only apiVersion
 * changes). Objects written through another version are re-serialized; the common case is free.
 */
export function viewJson(rt: ResourceType, s: { obj: KubeObject; json: string }): string {
  if (!rt.custom || s.obj.apiVersion === rt.groupVersion) return s.json;
  return JSON.stringify(sortDeep({ ...s.obj, apiVersion: rt.groupVersion }));
}
