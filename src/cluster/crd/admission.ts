/**
 * Admission of objects on create/update: built-in defaulting, CRD object defaulting/validation,
 * and for custom resources pruning (Warning headers or Strict 400), schema defaults, OpenAPI and
 * CEL validation (422 with the real causes).
 */
import type { ApiRequest } from '../api/context.js';
import type { ResourceType } from '../api/resources.js';
import { ApiError, errors } from '../api/status.js';
import { builtinDefaults } from '../builtins/defaults.js';
import { definitionFor } from '../types/index.js';
import { pruneUnknownFields } from '../types/unknown-fields.js';
import type { KubeObject } from '../store/store.js';
import { crdDefaults } from './definition.js';
import { customResourceMetaErrors, toCauses } from '../validation/index.js';
import { applyDefaults, hasCelRules, prune, validateCel, validateSchema } from './schema.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function goType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'boolean' ? 'bool' : typeof v === 'object' ? 'object' : typeof v;
}

function typeError(rt: ResourceType, v: unknown, goField: string, want: string): ApiError {
  return errors.badRequest(
    `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: json: cannot unmarshal ${goType(v)} into Go struct field ${goField} of type ${want}`,
  );
}

function checkStringMap(rt: ResourceType, obj: KubeObject, field: string): void {
  const v = obj[field];
  if (v === undefined || v === null) return;
  if (!isObj(v)) throw typeError(rt, v, `${rt.kind}.${field}`, 'map[string]string');
  for (const k in v) if (typeof v[k] !== 'string') throw typeError(rt, v[k], `${rt.kind}.${field}`, 'string');
}

/** The decode errors the real server gives for wrongly typed well-known fields of built-ins. */
function checkBuiltinTypes(rt: ResourceType, obj: KubeObject): void {
  if (rt.storageKey === 'configmaps') {
    checkStringMap(rt, obj, 'data');
    checkStringMap(rt, obj, 'binaryData');
  } else if (rt.storageKey === 'secrets') {
    checkStringMap(rt, obj, 'data');
    checkStringMap(rt, obj, 'stringData');
    const data = obj.data as Obj | undefined;
    for (const [k, x] of Object.entries(data ?? {})) {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(x as string) || (x as string).length % 4 !== 0) {
        throw errors.badRequest(
          `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: illegal base64 data at input byte ${Math.max(0, (x as string).search(/[^A-Za-z0-9+/=]/))} (key ${k})`,
        );
      }
    }
  }
  for (const f of ['spec', 'status']) {
    const v = obj[f];
    if (v !== undefined && v !== null && !isObj(v))
      throw typeError(rt, v, `${rt.kind}.${f}`, `v1.${rt.kind}${f === 'spec' ? 'Spec' : 'Status'}`);
  }
}

/** Unknown top-level fields: dropped with a warning, 400 with fieldValidation=Strict (real behaviour). */
function pruneBuiltinTopLevel(rt: ResourceType, obj: KubeObject, mode: string): string[] | undefined {
  const def = definitionFor(rt.groupVersion, rt.kind);
  // Nested too, along the type table (src/cluster/types); every built-in kind but APIService is in
  // it, and that one has only spec and status.
  const unknown = def
    ? pruneUnknownFields(def, obj)
    : Object.keys(obj).filter(
        (k) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata' && k !== 'spec' && k !== 'status',
      );
  if (!unknown.length) return undefined;
  if (mode === 'Strict') {
    throw errors.badRequest(
      `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${unknown.map((u) => `unknown field "${u}"`).join(', ')}`,
    );
  }
  for (const k of unknown) delete obj[k];
  return mode === 'Ignore' ? undefined : unknown.map((u) => `unknown field "${u}"`);
}

const notChecked =
  'Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

export function admit(
  rt: ResourceType,
  obj: KubeObject,
  old: KubeObject | undefined,
  req: ApiRequest,
): string[] | void {
  if (!rt.custom) {
    const warnings = pruneBuiltinTopLevel(rt, obj, req.query.get('fieldValidation') ?? 'Warn');
    checkBuiltinTypes(rt, obj);
    builtinDefaults(rt, obj, old ? 'update' : 'create');
    // Validation of built-ins follows in the hook builtins/index.ts installs around this one.
    if (rt.storageKey === 'customresourcedefinitions.apiextensions.k8s.io') crdDefaults(obj, !old);
    return warnings;
  }
  // Kind/apiVersion first (a mismatch is the only error reported), then metadata joins the schema's.
  const metaCauses = toCauses(customResourceMetaErrors(rt, obj, old));
  const mode = req.query.get('fieldValidation') ?? 'Warn';
  const unknown = prune(rt.schema, obj);
  let warnings: string[] | undefined;
  if (unknown.length) {
    if (mode === 'Strict') {
      throw errors.badRequest(
        `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${unknown.map((u) => `unknown field "${u}"`).join(', ')}`,
      );
    }
    if (mode !== 'Ignore') warnings = unknown.map((u) => `unknown field "${u}"`);
  }
  applyDefaults(rt.schema, obj);
  const v = validateSchema(rt.schema, obj);
  // The real order comes from Go map iteration (not stable); enum errors first, then type errors,
  // then the rest matches the captured samples.
  const rank = (r?: string) => (r === 'FieldValueNotSupported' ? 0 : r === 'FieldValueTypeInvalid' ? 1 : 2);
  const causes = [...metaCauses, ...[...v.causes].sort((a, b) => rank(a.reason) - rank(b.reason))];
  if (v.structural) {
    if (hasCelRules(rt.schema))
      causes.push({ reason: 'FieldValueInvalid', message: notChecked, field: '<nil>' });
  } else {
    const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = obj;
    const oldRest = old ? (({ metadata: _om, apiVersion: _oa, kind: _ok, ...r }) => r)(old) : undefined;
    causes.push(...validateCel(rt.schema, rest, oldRest));
  }
  if (causes.length) throw errors.invalid(rt.kind, rt.group, obj.metadata.name, causes);
  return warnings;
}
