/**
 * What Milo's project webhooks do, as admission of the embedded control plane:
 * - mutating (`mproject.datum.net`, create): only through an organization's control plane; the
 *   organization must exist; sets the organization-name label, spec.ownerRef and an ownerReference
 *   to the Organization (so deleting it collects its projects);
 * - validating (`vproject.datum.net`, create/update): names of at most 55 characters, ownerRef set,
 *   and the organization-name label can be neither removed nor changed.
 * Errors are the API server's wrapping of a webhook denial: `admission webhook "…" denied the
 * request: …` with the webhook's code. The status subresource is not covered (as in Milo).
 */
import type { ApiContext, ApiRequest } from '../api/context.js';
import type { ResourceType } from '../api/resources.js';
import { ApiError, errors, type StatusCause } from '../api/status.js';
import type { KubeObject } from '../store/store.js';
import { MILO_API_VERSION, MILO_GROUP, ORGANIZATION_NAME_LABEL } from './crds.js';

type Obj = Record<string, unknown>;
const projectsKey = `projects.${MILO_GROUP}`;
const organizationsKey = `organizations.${MILO_GROUP}`;
const mutating = 'mproject.datum.net';
const validating = 'vproject.datum.net';

function denied(webhook: string, code: number, reason: string, message: string, details?: Obj): ApiError {
  return new ApiError(code, reason, `admission webhook "${webhook}" denied the request: ${message}`, details);
}

function invalid(name: string, causes: StatusCause[]): ApiError {
  const e = errors.invalid('Project', MILO_GROUP, name, causes);
  return denied(validating, 422, 'Invalid', e.message, e.details as Obj);
}

/** The mutating webhook: the project's parent is the organization of the request's scope. */
function mutate(root: ApiContext, obj: KubeObject, req: ApiRequest): void {
  if (!req.scope) {
    throw denied(mutating, 403, 'Forbidden', 'request context does not have the required parent information');
  }
  if (req.scope.kind !== 'organization') {
    throw denied(
      mutating,
      403,
      'Forbidden',
      `request context has invalid parent information, must be Organization from the ${MILO_GROUP} API group`,
    );
  }
  const orgName = req.scope.name;
  const org = root.store.get(organizationsKey, orgName);
  if (!org) {
    const nf = errors.notFound({ plural: 'organizations', group: MILO_GROUP }, orgName);
    throw denied(mutating, 404, 'NotFound', nf.message, nf.details as Obj);
  }
  const meta = obj.metadata as Obj;
  meta.labels = { ...((meta.labels as Record<string, string>) ?? {}), [ORGANIZATION_NAME_LABEL]: orgName };
  obj.spec = { ...((obj.spec as Obj) ?? {}), ownerRef: { kind: 'Organization', name: orgName } };
  meta.ownerReferences = [
    { apiVersion: MILO_API_VERSION, kind: 'Organization', name: orgName, uid: org.obj.metadata.uid },
  ];
}

function validateCreate(obj: KubeObject): void {
  const name = obj.metadata.name;
  const causes: StatusCause[] = [];
  if (name.length > 55) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(name)}: name exceeds maximum length of 55 characters. Choose a shorter name and try again`,
      field: 'metadata.name',
    });
  }
  const ref = ((obj.spec as Obj | undefined)?.ownerRef ?? {}) as Obj;
  if (!ref.kind)
    causes.push({
      reason: 'FieldValueInvalid',
      message: 'Invalid value: "": must be set',
      field: 'spec.ownerRef.kind',
    });
  if (ref.kind !== 'Organization') {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(ref.kind ?? '')}: must be 'Organization'`,
      field: 'spec.ownerRef.kind',
    });
  }
  if (!ref.name)
    causes.push({
      reason: 'FieldValueInvalid',
      message: 'Invalid value: "": must be set',
      field: 'spec.ownerRef.name',
    });
  if (causes.length) throw invalid(name, causes);
}

function validateUpdate(obj: KubeObject, old: KubeObject): void {
  const field = `metadata.labels[${ORGANIZATION_NAME_LABEL}]`;
  const before = old.metadata.labels?.[ORGANIZATION_NAME_LABEL];
  const after = obj.metadata.labels?.[ORGANIZATION_NAME_LABEL];
  if (after === undefined) {
    throw invalid(obj.metadata.name, [
      { reason: 'FieldValueForbidden', message: 'Forbidden: organization label cannot be removed', field },
    ]);
  }
  if (before !== after) {
    throw invalid(obj.metadata.name, [
      { reason: 'FieldValueForbidden', message: 'Forbidden: organization label cannot be changed', field },
    ]);
  }
}

/** Wraps the server's admission with Milo's project webhooks (mutating first, validating last). */
export function installProjectAdmission(root: ApiContext): void {
  const inner = root.hooks.admit;
  root.hooks.admit = (rt: ResourceType, obj, old, req) => {
    const project = rt.storageKey === projectsKey && !req.subresource;
    if (project && !old) mutate(root, obj, req);
    const warnings = inner?.(rt, obj, old, req);
    if (project) {
      if (old) validateUpdate(obj, old);
      else validateCreate(obj);
    }
    return warnings;
  };
}
