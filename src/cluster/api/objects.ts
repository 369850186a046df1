/**
 * Object metadata as kube-apiserver fills it: uid, creationTimestamp (second precision),
 * generateName suffixes, built-in key order and managedFields (name validation: src/cluster/validation).
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../store/store.js';
import type { ResourceType } from './resources.js';
import { goOrdered } from './key-order.js';
import { toJson } from '../store/json.js';

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

/**
 * Key order of the stored object as kube-apiserver writes it: Go struct order with sorted map keys
 * for built-ins, sorted keys at every level for custom resources (key-order.ts).
 */
export function canonicalize(rt: ResourceType, obj: KubeObject): KubeObject {
  return goOrdered(rt, obj);
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
  return toJson(goOrdered(rt, { ...s.obj, apiVersion: rt.groupVersion }));
}
