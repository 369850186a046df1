/**
 * Admission of objects on create/update: built-in defaulting, CRD object defaulting/validation,
 * and for custom resources pruning (Warning headers or Strict 400), schema defaults, OpenAPI and
 * CEL validation (422 with the real causes).
 */
import type { ApiRequest } from '../api/context.js';
import type { ResourceType } from '../api/resources.js';
import { errors } from '../api/status.js';
import { builtinDefaults } from '../builtins/defaults.js';
import type { KubeObject } from '../store/store.js';
import { crdDefaults, validateCrd } from './definition.js';
import { applyDefaults, hasCelRules, prune, validateCel, validateSchema } from './schema.js';

const notChecked =
  'Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

export function admit(
  rt: ResourceType,
  obj: KubeObject,
  old: KubeObject | undefined,
  req: ApiRequest,
): string[] | void {
  if (!rt.custom) {
    builtinDefaults(rt, obj, old ? 'update' : 'create');
    if (rt.storageKey === 'customresourcedefinitions.apiextensions.k8s.io') {
      crdDefaults(obj, !old);
      validateCrd(obj);
    }
    return;
  }
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
  const causes = [...v.causes];
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
