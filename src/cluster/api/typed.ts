/**
 * The type of an object's fields for server-side apply and key order: the Go struct table for
 * built-in kinds (builtins/go-types.ts), the CRD's openAPIV3Schema for custom resources (with
 * x-kubernetes-list-type / -list-map-keys / -map-type as structured-merge-diff reads them), and
 * "any JSON" for the rest (granular maps, atomic lists).
 */
import {
  anyJson,
  builtinType,
  objectMetaType,
  scalar,
  type GoField,
  type GoStruct,
  type GoType,
} from '../builtins/go-types.js';
import type { Schema } from '../crd/schema.js';
import type { ResourceType } from './resources.js';

export type { GoType } from '../builtins/go-types.js';
export { anyJson } from '../builtins/go-types.js';

type ListSchema = Schema & {
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
};

const schemaTypes = new WeakMap<object, GoType>();

/** A CRD structural schema as a GoType (no field is present in an unstructured zero value). */
export function schemaType(schema: Schema | undefined): GoType {
  if (!schema) return anyJson;
  const hit = schemaTypes.get(schema);
  if (hit) return hit;
  const s = schema as ListSchema;
  let t: GoType;
  if (s['x-kubernetes-int-or-string']) t = scalar;
  else if (s.type === 'array') {
    const elem = schemaType(s.items);
    const lt = s['x-kubernetes-list-type'];
    if (lt === 'map') {
      const keys = s['x-kubernetes-list-map-keys'] ?? [];
      const defaults: Record<string, unknown> = {};
      for (const k of keys) {
        const d = s.items?.properties?.[k]?.default;
        if (d !== undefined) defaults[k] = d;
      }
      t = { k: 'list', elem, list: 'map', keys, defaults };
    } else t = { k: 'list', elem, list: lt === 'set' ? 'set' : 'atomic' };
  } else if (s.type === 'object' || s.properties || s.additionalProperties) {
    const atomic = s['x-kubernetes-map-type'] === 'atomic';
    if (s.properties) {
      const fields: GoField[] = Object.entries(s.properties).map(([name, fs]) => ({
        name,
        zero: false,
        get type() {
          return schemaType(fs);
        },
      }));
      const st: GoStruct = { name: '', fields, byName: new Map(fields.map((f) => [f.name, f])), atomic };
      t = { k: 'struct', s: st };
    } else if (typeof s.additionalProperties === 'object') {
      t = { k: 'map', elem: schemaType(s.additionalProperties), atomic };
    } else t = atomic ? { k: 'map', elem: anyJson, atomic } : anyJson;
  } else if (s.type) t = scalar;
  else t = anyJson;
  schemaTypes.set(schema, t);
  return t;
}

/**
 * The type of a whole object of this resource. Walkers treat the root specially: apiVersion and
 * kind are skipped and `metadata` is always ObjectMeta (rootField).
 */
export function rootType(rt: ResourceType): GoType {
  return rt.custom ? schemaType(rt.schema) : (builtinType(rt.group, rt.kind) ?? anyJson);
}

/** fieldType for the top level of an object: metadata is ObjectMeta whatever a CRD schema says. */
export function rootField(t: GoType, name: string): { type: GoType; declared: boolean; zero: boolean } {
  if (name === 'metadata') return { type: objectMetaType, declared: true, zero: true };
  return fieldType(t, name);
}

/** The type of field `name` inside a value of type `t` (a struct field or a map element). */
export function fieldType(t: GoType, name: string): { type: GoType; declared: boolean; zero: boolean } {
  if (t.k === 'struct') {
    const f = t.s.byName.get(name);
    if (f) return { type: f.type, declared: true, zero: f.zero };
    return { type: anyJson, declared: false, zero: false };
  }
  if (t.k === 'map') return { type: t.elem, declared: false, zero: false };
  return { type: anyJson, declared: false, zero: false };
}

/** Atomic for apply: replaced and owned as a whole. */
export function isAtomic(t: GoType): boolean {
  return (
    t.k === 'scalar' ||
    t.k === 'raw' ||
    (t.k === 'struct' && t.s.atomic) ||
    (t.k === 'map' && t.atomic) ||
    (t.k === 'list' && t.list === 'atomic')
  );
}
