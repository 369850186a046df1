/**
 * Structural schema handling of custom resources, as the apiextensions server does it: defaults
 * (nested included), pruning of unknown fields, OpenAPI v3 validation with the real error wording,
 * and CEL `x-kubernetes-validations` rules (src/cel's `kubernetes` profile: the libraries kube-apiserver
 * offers CRD rules, e.g. quantity(), url(), ip(), cidr(), semver(), sets.*).
 */
import { CelEngine } from '../../cel/engine.js';
import type { StatusCause } from '../api/status.js';

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-validations'?: {
    rule: string;
    message?: string;
    messageExpression?: string;
    fieldPath?: string;
  }[];
  anyOf?: Schema[];
  allOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Fills `default`s top-down so defaults of freshly defaulted objects apply too. */
export function applyDefaults(schema: Schema | undefined, value: unknown): void {
  if (!schema) return;
  if (isObj(value)) {
    if (schema.properties) {
      for (const [k, s] of Object.entries(schema.properties)) {
        if (value[k] === undefined && s.default !== undefined) value[k] = structuredClone(s.default);
        if (value[k] !== undefined) applyDefaults(s, value[k]);
      }
    }
    if (isObj(schema.additionalProperties)) {
      for (const [k, v] of Object.entries(value))
        if (!schema.properties?.[k]) applyDefaults(schema.additionalProperties, v);
    }
  } else if (Array.isArray(value) && schema.items) {
    for (const v of value) applyDefaults(schema.items, v);
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** Removes fields the schema does not know; returns their paths (`spec.bogus`). */
export function prune(
  schema: Schema | undefined,
  value: unknown,
  path = '',
  root = true,
  out: string[] = [],
): string[] {
  if (!schema) return out;
  if (isObj(value)) {
    if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return out;
    if (schema['x-kubernetes-embedded-resource'] || root) {
      // apiVersion/kind/metadata are always kept at the root (metadata is validated as ObjectMeta).
    }
    for (const k of Object.keys(value)) {
      if (root && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
      const s =
        schema.properties?.[k] ??
        (isObj(schema.additionalProperties) ? schema.additionalProperties : undefined);
      if (s) prune(s, value[k], join(path, k), false, out);
      else if (schema.additionalProperties === true || schema['x-kubernetes-preserve-unknown-fields'])
        continue;
      else {
        out.push(join(path, k));
        delete value[k];
      }
    }
  } else if (Array.isArray(value) && schema.items) {
    value.forEach((v, i) => prune(schema.items, v, `${path}[${i}]`, false, out));
  }
  return out;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  return 'object';
}

function fmtValue(v: unknown): string {
  return typeof v === 'string'
    ? JSON.stringify(v)
    : typeof v === 'object'
      ? JSON.stringify(JSON.stringify(v))
      : String(v);
}

function typeOk(type: string, v: unknown, intOrString: boolean): boolean {
  if (intOrString) return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
  switch (type) {
    case 'object':
      return isObj(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    default:
      return true;
  }
}

export interface ValidationResult {
  causes: StatusCause[];
  /** Errors that stop CEL rules from running (type, required, maxLength, pattern, maxItems). */
  structural: boolean;
}

const patternCache = new Map<string, RegExp>();

function validateNode(schema: Schema, v: unknown, path: string, r: ValidationResult): void {
  const field = path || '<nil>';
  if (v === null) {
    if (schema.nullable) return;
    if (schema.type || schema['x-kubernetes-int-or-string']) {
      r.causes.push({
        reason: 'FieldValueTypeInvalid',
        message: `Invalid value: "null": ${path} in body must be of type ${schema.type ?? 'string'}: "null"`,
        field,
      });
      r.structural = true;
    }
    return;
  }
  const intOrString = !!schema['x-kubernetes-int-or-string'];
  if ((schema.type || intOrString) && !typeOk(schema.type ?? '', v, intOrString)) {
    const t = typeName(v);
    const expected = intOrString ? 'integer,string' : schema.type;
    r.causes.push({
      reason: 'FieldValueTypeInvalid',
      message: `Invalid value: "${t}": ${path} in body must be of type ${expected}: "${t}"`,
      field,
    });
    r.structural = true;
    return;
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
    r.causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${fmtValue(v)}: supported values: ${schema.enum.map(fmtValue).join(', ')}`,
      field,
    });
  }
  if (typeof v === 'number') {
    if (
      schema.minimum !== undefined &&
      (schema.exclusiveMinimum ? v <= schema.minimum : v < schema.minimum)
    ) {
      r.causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${v}: ${path} in body should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${schema.minimum}`,
        field,
      });
    }
    if (
      schema.maximum !== undefined &&
      (schema.exclusiveMaximum ? v >= schema.maximum : v > schema.maximum)
    ) {
      r.causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${v}: ${path} in body should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${schema.maximum}`,
        field,
      });
    }
    if (schema.multipleOf && Math.abs(v / schema.multipleOf - Math.round(v / schema.multipleOf)) > 1e-9) {
      r.causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${v}: ${path} in body should be a multiple of ${schema.multipleOf}`,
        field,
      });
    }
  }
  if (typeof v === 'string') {
    const len = [...v].length;
    if (schema.maxLength !== undefined && len > schema.maxLength) {
      r.causes.push({
        reason: 'FieldValueTooLong',
        message: `Too long: may not be longer than ${schema.maxLength}`,
        field,
      });
      r.structural = true;
    } else if (schema.minLength !== undefined && len < schema.minLength) {
      r.causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(v)}: ${path} in body should be at least ${schema.minLength} chars long`,
        field,
      });
      r.structural = true;
    } else if (schema.pattern !== undefined) {
      let re = patternCache.get(schema.pattern);
      if (!re) {
        try {
          re = new RegExp(schema.pattern, 'u');
        } catch {
          re = /(?:)/;
        }
        patternCache.set(schema.pattern, re);
      }
      if (!re.test(v)) {
        r.causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(v)}: ${path} in body should match '${schema.pattern}'`,
          field,
        });
        r.structural = true;
      }
    }
  }
  if (Array.isArray(v)) {
    if (schema.maxItems !== undefined && v.length > schema.maxItems) {
      r.causes.push({
        reason: 'FieldValueTooMany',
        message: `Too many: ${v.length}: must have at most ${schema.maxItems} items`,
        field,
      });
      r.structural = true;
    }
    if (schema.minItems !== undefined && v.length < schema.minItems) {
      r.causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${v.length}: ${path} in body should have at least ${schema.minItems} items`,
        field,
      });
      r.structural = true;
    }
    if (schema.items) v.forEach((x, i) => validateNode(schema.items!, x, `${path}[${i}]`, r));
  }
  if (isObj(v)) {
    for (const req of schema.required ?? []) {
      if (v[req] === undefined) {
        r.causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: join(path, req) });
        r.structural = true;
      }
    }
    const n = Object.keys(v).length;
    if (schema.maxProperties !== undefined && n > schema.maxProperties) {
      r.causes.push({
        reason: 'FieldValueTooMany',
        message: `Too many: ${n}: must have at most ${schema.maxProperties} items`,
        field,
      });
      r.structural = true;
    }
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue;
      const s =
        schema.properties?.[k] ??
        (isObj(schema.additionalProperties) ? schema.additionalProperties : undefined);
      if (s) validateNode(s, x, join(path, k), r);
    }
  }
}

/** OpenAPI validation of a CR (metadata excluded: ObjectMeta is validated separately). */
export function validateSchema(schema: Schema | undefined, obj: Obj): ValidationResult {
  const r: ValidationResult = { causes: [], structural: false };
  if (!schema) return r;
  const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = obj;
  const rootSchema: Schema = {
    ...schema,
    required: (schema.required ?? []).filter((x) => !['metadata', 'apiVersion', 'kind'].includes(x)),
  };
  validateNode(rootSchema, rest, '', r);
  return r;
}

type CelProgram = (ctx: Obj) => unknown;
const celCache = new Map<string, CelProgram | Error>();
let celEngine: CelEngine | undefined;

function compile(rule: string): CelProgram | Error {
  let p = celCache.get(rule);
  if (!p) {
    try {
      p = (celEngine ??= new CelEngine({ profile: 'kubernetes' })).compile(rule).evaluate;
    } catch (e) {
      p = e instanceof Error ? e : new Error(String(e));
    }
    celCache.set(rule, p);
  }
  return p;
}

/** CEL wants ints as bigint where the schema says integer. */
function toCel(schema: Schema | undefined, v: unknown): unknown {
  if (v === null || v === undefined || !schema) return v;
  if (typeof v === 'number' && (schema.type === 'integer' || schema['x-kubernetes-int-or-string']))
    return BigInt(v);
  if (Array.isArray(v)) return v.map((x) => toCel(schema.items, x));
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = toCel(
        schema.properties?.[k] ??
          (isObj(schema.additionalProperties) ? schema.additionalProperties : undefined),
        x,
      );
    }
    return out;
  }
  return v;
}

/** Runs every x-kubernetes-validations rule in the tree; `old` enables transition rules (oldSelf). */
export function validateCel(schema: Schema | undefined, v: unknown, old: unknown, path = ''): StatusCause[] {
  const out: StatusCause[] = [];
  if (!schema || v === undefined || v === null) return out;
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    const usesOld = /\boldSelf\b/.test(rule.rule);
    if (usesOld && (old === undefined || old === null)) continue;
    const prog = compile(rule.rule);
    let ok: unknown;
    if (prog instanceof Error) ok = false;
    else {
      try {
        ok = prog({ self: toCel(schema, v), ...(usesOld ? { oldSelf: toCel(schema, old) } : {}) });
      } catch {
        ok = false;
      }
    }
    if (ok !== true) {
      const msg = rule.message ?? `failed rule: ${rule.rule}`;
      const field = rule.fieldPath ? join(path, rule.fieldPath.replace(/^\./, '')) : path || '<nil>';
      out.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${typeName(v)}": ${msg}`, field });
    }
  }
  if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) {
      const s =
        schema.properties?.[k] ??
        (isObj(schema.additionalProperties) ? schema.additionalProperties : undefined);
      if (s) out.push(...validateCel(s, x, isObj(old) ? old[k] : undefined, join(path, k)));
    }
  } else if (Array.isArray(v) && schema.items) {
    v.forEach((x, i) => out.push(...validateCel(schema.items, x, undefined, `${path}[${i}]`)));
  }
  return out;
}

export function hasCelRules(schema: Schema | undefined): boolean {
  if (!schema) return false;
  if (schema['x-kubernetes-validations']?.length) return true;
  if (schema.properties && Object.values(schema.properties).some(hasCelRules)) return true;
  if (isObj(schema.additionalProperties) && hasCelRules(schema.additionalProperties as Schema)) return true;
  return hasCelRules(schema.items);
}
