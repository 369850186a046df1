/**
 * get / create / update / patch / delete of single objects, generic over the resource table.
 */
import { makeStored, objectKey, type KubeObject, type Stored } from '../store/store.js';
import { bodyMediaType, decodeBody, decodeLoose, patchTypeOf, strictDecoding } from './codec.js';
import { toJson } from '../store/json.js';
import type { ApiContext, ApiRequest, ApiResult } from './context.js';
import {
  canonicalize,
  clone,
  generateSuffix,
  jsonEqual,
  managerName,
  newUid,
  nowSeconds,
  viewJson,
  type ManagedFieldsEntry,
} from './objects.js';
import { afterUpdate, createdFields } from './managed-fields.js';
import { jsonPatch, mergePatch } from './patch.js';
import { checkCreateResourceVersion, checkUidPrecondition } from './preconditions.js';
import type { ResourceType } from './resources.js';
import { strategicMergePatch } from './strategic-merge.js';
import { partialObjectMetadata, tableOf, tableOptions } from './table.js';
import { errors } from './status.js';

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Server-owned metadata that clients cannot set on create. */
const serverMeta = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
  'selfLink',
];

function decodeObject(rt: ResourceType, req: ApiRequest): KubeObject {
  const type = bodyMediaType(req.contentType);
  const v = decodeBody(req.body ?? Buffer.alloc(0), type, rt.kind);
  if (!isObj(v)) {
    throw errors.badRequest(
      `the object provided is unrecognized (must be of type ${rt.kind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
  }
  checkTypeMeta(rt, v);
  if (v.metadata === undefined || v.metadata === null) v.metadata = {};
  if (!isObj(v.metadata)) {
    throw errors.badRequest(
      `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: json: cannot unmarshal ${typeof v.metadata} into Go struct field ${rt.kind}.metadata of type v1.ObjectMeta`,
    );
  }
  strictDecoding(rt.kind, rt.version, req, type, v, rt.custom);
  return v as KubeObject;
}

function checkTypeMeta(rt: ResourceType, v: Record<string, unknown>): void {
  if (rt.custom) {
    if (v.apiVersion !== rt.groupVersion) {
      throw errors.badRequest(
        `the API version in the data (${typeof v.apiVersion === 'string' ? v.apiVersion : ''}) does not match the expected API version (${rt.groupVersion})`,
      );
    }
    // A non-empty kind other than the resource's is the strategy's 422 (ValidateTypeMeta).
    if (typeof v.kind !== 'string' || v.kind === '') {
      throw errors.badRequest(
        `the kind in the data (${typeof v.kind === 'string' ? v.kind : ''}) does not match the expected kind (${rt.kind})`,
      );
    }
    return;
  }
  const kind = v.kind === undefined || v.kind === '' ? rt.kind : v.kind;
  const apiVersion = v.apiVersion === undefined || v.apiVersion === '' ? rt.groupVersion : v.apiVersion;
  if (kind !== rt.kind || apiVersion !== rt.groupVersion) {
    throw errors.badRequest(
      `${String(kind)} in version "${String(apiVersion).split('/').pop()}" cannot be handled as a ${rt.kind}: converting (${String(apiVersion).split('/').pop()}.${String(kind)}) to (${rt.group || 'core'}.${rt.kind}): unknown conversion`,
    );
  }
  v.kind = rt.kind;
  v.apiVersion = rt.groupVersion;
}

function checkStringMaps(rt: ResourceType, obj: KubeObject): void {
  const meta = obj.metadata as Record<string, unknown>;
  for (const f of ['labels', 'annotations']) {
    const m = meta[f];
    if (m === undefined || m === null) {
      delete meta[f];
      continue;
    }
    const bad = isObj(m) ? Object.values(m).find((x) => typeof x !== 'string') : m;
    if (!isObj(m) || bad !== undefined) {
      // Go's JSON type names: a YAML `yes` label value is a bool here, as in kube-apiserver.
      const goType = Array.isArray(bad)
        ? 'array'
        : typeof bad === 'boolean'
          ? 'bool'
          : bad === null
            ? 'null'
            : typeof bad;
      throw errors.badRequest(
        `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: json: cannot unmarshal ${goType} into Go struct field ObjectMeta.metadata.${f} of type ${isObj(m) ? 'string' : 'map[string]string'}`,
      );
    }
  }
  if (
    meta.finalizers !== undefined &&
    (!Array.isArray(meta.finalizers) || meta.finalizers.some((f) => typeof f !== 'string'))
  ) {
    throw errors.badRequest(
      `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: metadata.finalizers must be a list of strings`,
    );
  }
  if (Array.isArray(meta.finalizers) && meta.finalizers.length === 0) delete meta.finalizers;
  if (typeof meta.name !== 'string' && meta.name !== undefined) {
    throw errors.badRequest(
      `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: json: cannot unmarshal ${typeof meta.name} into Go struct field ObjectMeta.metadata.name of type string`,
    );
  }
}

export function requireNamespace(ctx: ApiContext, rt: ResourceType, ns: string, name: string): void {
  if (!rt.namespaced) return;
  const nsObj = ctx.store.get('namespaces', ns);
  if (!nsObj) throw errors.notFound({ plural: 'namespaces', group: '' }, ns);
  if ((nsObj.obj.metadata as Record<string, unknown>).deletionTimestamp) {
    throw errors.forbidden(
      `${rt.group ? `${rt.plural}.${rt.group}` : rt.plural} "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
      {
        name,
        ...(rt.group ? { group: rt.group } : {}),
        kind: rt.plural,
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${ns} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      },
    );
  }
}

export function dryRun(req: ApiRequest): boolean {
  const d = req.query.getAll('dryRun');
  for (const v of d) if (v !== 'All') throw errors.badRequest(`Invalid dry run value: ${v}`);
  return d.length > 0;
}

export function ok(code: number, s: Stored | string, warnings?: string[]): ApiResult {
  return typeof s === 'string' ? { code, body: s, warnings } : { code, body: s.json, warnings, stored: s };
}

/** The stored object a request names, or its 404. */
export function currentObject(ctx: ApiContext, req: ApiRequest): Stored {
  const s = ctx.store.get(req.rt.storageKey, objectKey(req.ns, req.name!));
  if (!s) throw errors.notFound(req.rt, req.name!);
  return s;
}

export function getObject(ctx: ApiContext, req: ApiRequest): ApiResult {
  const s = currentObject(ctx, req);
  return ok(200, req.rt.custom ? viewJson(req.rt, s) : s);
}

export function getTable(ctx: ApiContext, req: ApiRequest): ApiResult {
  const s = currentObject(ctx, req);
  if (req.metadataOnly) return ok(200, partialObjectMetadata(s));
  return ok(200, tableOf(req.rt, [s], { resourceVersion: String(s.rv) }, true, tableOptions(req)));
}

/** Create: POST to a collection. */
export function createObject(ctx: ApiContext, req: ApiRequest): ApiResult {
  const rt = req.rt;
  const obj = decodeObject(rt, req);
  const now = nowSeconds();
  return insertNew(ctx, req, obj, now, 'Update');
}

export function insertNew(
  ctx: ApiContext,
  req: ApiRequest,
  obj: KubeObject,
  now: string,
  operation: 'Update' | 'Apply',
  applyFields?: Record<string, unknown>,
): ApiResult {
  const rt = req.rt;
  checkStringMaps(rt, obj);
  const meta = obj.metadata as Record<string, unknown>;
  if (rt.namespaced) {
    if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== req.ns) {
      throw errors.badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    meta.namespace = req.ns;
  } else delete meta.namespace;
  if (!meta.name && typeof meta.generateName === 'string' && meta.generateName) {
    meta.name = meta.generateName + generateSuffix();
  }
  const name = typeof meta.name === 'string' ? meta.name : '';
  // The storage layer refuses a set resourceVersion (500) before it looks for the key; not on dry runs.
  const presetRv = dryRun(req) ? undefined : meta.resourceVersion;
  for (const k of serverMeta) delete meta[k];
  delete meta.managedFields;
  // PrepareForCreate: status is the server's (defaulting sets each kind's initial status).
  if (rt.subresources.status && rt.storageKey !== 'nodes') delete obj.status;
  meta.uid = newUid();
  meta.creationTimestamp = now;
  if (rt.hasGeneration) meta.generation = 1;
  // Defaulting and validation (422) come before the namespace check (404/403) and storage (409).
  const warnings = ctx.hooks.admit?.(rt, obj, undefined, req) ?? undefined;
  requireNamespace(ctx, rt, req.ns, name);
  checkCreateResourceVersion({ resourceVersion: presetRv });
  const key = objectKey(rt.namespaced ? req.ns : '', name);
  if (ctx.store.get(rt.storageKey, key)) throw errors.alreadyExists(rt, name);
  const manager = managerName(req.query.get('fieldManager'), req.userAgent);
  meta.managedFields = [
    {
      manager,
      operation,
      apiVersion: rt.groupVersion,
      time: now,
      fieldsType: 'FieldsV1',
      fieldsV1: applyFields ?? createdFields(rt, obj),
    } satisfies ManagedFieldsEntry,
  ];
  if (dryRun(req)) return ok(201, toJson(canonicalize(rt, obj)), warnings);
  const rv = ctx.store.nextRv();
  meta.resourceVersion = String(rv);
  const stored = makeStored(canonicalize(rt, obj), rv);
  ctx.store.commit(rt.storageKey, 'ADDED', stored);
  return ok(201, stored, warnings);
}

/** Spec-ish content: everything but metadata and status. */
function specOf(o: KubeObject): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  for (const k of Object.keys(o))
    if (k !== 'metadata' && k !== 'status' && k !== 'apiVersion' && k !== 'kind') r[k] = o[k];
  return r;
}

/**
 * Commits `next` as the new state of `cur` (after PUT or PATCH). Handles subresource rules,
 * generation, no-op detection, finalizer-driven removal and managedFields.
 */
export function writeUpdate(
  ctx: ApiContext,
  req: ApiRequest,
  cur: Stored,
  next: KubeObject,
  opts: { manager: string; operation?: 'Update' | 'Apply'; managedFields?: ManagedFieldsEntry[] },
): ApiResult {
  const rt = req.rt;
  checkStringMaps(rt, next);
  const old = cur.obj;
  const oldMeta = old.metadata as Record<string, unknown>;
  const sub = req.subresource;
  let result: KubeObject;
  if (sub === 'status') {
    // Status writes change only status (spec and metadata other than what the server keeps stay).
    result = clone(old);
    if (next.status === undefined) delete result.status;
    else result.status = next.status;
  } else if (sub === 'ephemeralcontainers') {
    // pods/ephemeralcontainers changes spec.ephemeralContainers only.
    result = clone(old);
    const ec = (next.spec as Record<string, unknown> | undefined)?.ephemeralContainers;
    const spec = (result.spec ??= {}) as Record<string, unknown>;
    if (ec === undefined) delete spec.ephemeralContainers;
    else spec.ephemeralContainers = ec;
  } else {
    result = next;
    const meta = result.metadata as Record<string, unknown>;
    for (const k of [
      'uid',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'generation',
      'generateName',
    ]) {
      if (oldMeta[k] === undefined) delete meta[k];
      else meta[k] = oldMeta[k];
    }
    if (rt.subresources.status) {
      if (old.status === undefined) delete result.status;
      else result.status = clone(old.status);
    }
    if (oldMeta.deletionTimestamp) {
      const before = new Set((oldMeta.finalizers as string[] | undefined) ?? []);
      const added = ((meta.finalizers as string[] | undefined) ?? []).filter((f) => !before.has(f));
      if (added.length) {
        const msg = `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`;
        throw errors.invalid(rt.kind, rt.custom ? rt.group : '', cur.name, [
          { reason: 'FieldValueForbidden', message: msg, field: 'metadata.finalizers' },
          { reason: 'FieldValueForbidden', message: msg, field: 'metadata.finalizers' },
        ]);
      }
    }
  }
  const meta = result.metadata as Record<string, unknown>;
  meta.name = cur.name;
  if (rt.namespaced) meta.namespace = cur.ns;
  const warnings = ctx.hooks.admit?.(rt, result, old, req) ?? undefined;
  if (rt.hasGeneration && typeof oldMeta.generation === 'number') {
    const changed = rt.subresources.status
      ? !jsonEqual(specOf(old), specOf(result))
      : !jsonEqual(specOf(old), specOf(result)) || !jsonEqual(old.status, result.status);
    meta.generation = changed && sub !== 'status' ? oldMeta.generation + 1 : oldMeta.generation;
  }
  // No-op: same content → same RV, no event, managedFields untouched.
  meta.managedFields = oldMeta.managedFields;
  meta.resourceVersion = oldMeta.resourceVersion;
  // An apply that only changes ownership (a second manager applying equal values) is a write.
  if (jsonEqual(old, result) && (!opts.managedFields || jsonEqual(opts.managedFields, oldMeta.managedFields)))
    return ok(200, cur, warnings);
  meta.managedFields =
    opts.managedFields ??
    afterUpdate(
      oldMeta.managedFields as ManagedFieldsEntry[] | undefined,
      opts.manager,
      rt,
      old,
      result,
      sub,
    );
  if (dryRun(req)) return ok(200, toJson(canonicalize(rt, result)), warnings);
  const rv = ctx.store.nextRv();
  meta.resourceVersion = String(rv);
  const stored = makeStored(canonicalize(rt, result), rv);
  // Cleared finalizers complete a delete (a namespace also needs its spec.finalizers cleared).
  const specFinalizers =
    rt.storageKey === 'namespaces' ? (result.spec as { finalizers?: unknown[] })?.finalizers : undefined;
  if (
    meta.deletionTimestamp &&
    !(meta.finalizers as string[] | undefined)?.length &&
    !specFinalizers?.length
  ) {
    ctx.store.commit(rt.storageKey, 'DELETED', stored, cur);
    return ok(200, stored, warnings);
  }
  ctx.store.commit(rt.storageKey, 'MODIFIED', stored, cur);
  return ok(200, stored, warnings);
}

/** PUT on an object or its status. */
export function updateObject(ctx: ApiContext, req: ApiRequest): ApiResult {
  const rt = req.rt;
  const next = decodeObject(rt, req);
  const meta = next.metadata as Record<string, unknown>;
  if (meta.name !== req.name) {
    throw errors.badRequest(
      `the name of the object (${String(meta.name ?? '')}) does not match the name on the URL (${req.name})`,
    );
  }
  if (rt.namespaced && meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== req.ns) {
    throw errors.badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  const cur = ctx.store.get(rt.storageKey, objectKey(req.ns, req.name!));
  if (!cur) {
    // AllowCreateOnUpdate kinds (Services, Endpoints, Events, Leases, RBAC): PUT creates, 201.
    if (rt.createOnUpdate && !req.subresource) return insertNew(ctx, req, next, nowSeconds(), 'Update');
    throw errors.notFound(rt, req.name!);
  }
  checkUidPrecondition(rt, cur, meta.uid);
  const rv = meta.resourceVersion;
  if (rv === undefined || rv === '') {
    if (rt.custom) {
      throw errors.invalid(
        rt.plural,
        rt.group,
        req.name!,
        [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: 0x0: must be specified for an update',
            field: 'metadata.resourceVersion',
          },
        ],
        `${rt.plural}.${rt.group}`,
      );
    }
  } else if (String(rv) !== String(cur.rv)) {
    throw errors.conflict(rt, req.name!);
  }
  meta.name = req.name;
  const manager = managerName(req.query.get('fieldManager'), req.userAgent);
  return writeUpdate(ctx, req, cur, next, { manager });
}

/** PATCH on an object or its status. */
export function patchObject(
  ctx: ApiContext,
  req: ApiRequest,
  apply: (ctx: ApiContext, req: ApiRequest, cur: Stored | undefined) => ApiResult,
): ApiResult {
  const rt = req.rt;
  const type = patchTypeOf(req.contentType);
  if (!type || (rt.custom && type === 'strategic')) {
    if (rt.custom || type === 'strategic') {
      throw errors.unsupportedMediaType(
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      );
    }
    throw errors.unsupportedMediaType();
  }
  const cur = ctx.store.get(rt.storageKey, objectKey(req.ns, req.name!));
  if (type === 'apply') return apply(ctx, req, cur);
  if (!cur) throw errors.notFound(rt, req.name!);
  const patch = decodeLoose(req.body ?? Buffer.alloc(0), false);
  let next: unknown;
  // Patches apply to the object as seen through the request's version.
  const base = (): KubeObject =>
    rt.custom ? { ...clone(cur.obj), apiVersion: rt.groupVersion } : clone(cur.obj);
  if (type === 'json') next = jsonPatch(base(), patch);
  else {
    if (!isObj(patch))
      throw errors.badRequest(
        `error decoding patch: json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type map[string]interface {}`,
      );
    const pm = patch.metadata;
    if (
      isObj(pm) &&
      pm.resourceVersion !== undefined &&
      pm.resourceVersion !== null &&
      String(pm.resourceVersion) !== String(cur.rv)
    ) {
      throw errors.conflict(rt, req.name!);
    }
    next = type === 'merge' ? mergePatch(base(), patch) : strategicMergePatch(rt, base(), patch);
  }
  if (!isObj(next)) throw errors.unprocessable();
  const nextObj = next as KubeObject;
  if (!isObj(nextObj.metadata)) throw errors.unprocessable();
  checkTypeMeta(rt, nextObj);
  const nm = nextObj.metadata as Record<string, unknown>;
  if (nm.name !== cur.name)
    throw errors.badRequest(
      `the name of the object (${String(nm.name)}) does not match the name on the URL (${req.name})`,
    );
  if (type === 'json' && nm.resourceVersion !== undefined && String(nm.resourceVersion) !== String(cur.rv)) {
    throw errors.conflict(rt, req.name!);
  }
  const manager = managerName(req.query.get('fieldManager'), req.userAgent);
  return writeUpdate(ctx, req, cur, nextObj, { manager });
}

export { deleteObject, parseDeleteOptions, removeNow, type DeleteOptions } from './delete.js';
