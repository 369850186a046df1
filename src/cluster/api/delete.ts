/**
 * DELETE of one object: immediate removal (Status), finalizers, propagation policies, graceful pod
 * termination, preconditions, dryRun.
 */
import { makeStored, objectKey, type KubeObject, type Stored } from '../store/store.js';
import { decodeLoose } from './codec.js';
import { toJson } from '../store/json.js';
import type { ApiContext, ApiRequest, ApiResult } from './context.js';
import { ok } from './handlers.js';
import { int64Param, queryBool, validateDeleteOptions } from './request-options.js';
import { canonicalize, clone, nowSeconds } from './objects.js';
import type { ResourceType } from './resources.js';
import { ApiError, errors } from './status.js';

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const returnsDeletedObject = new Set(['pods', 'services', 'serviceaccounts']);

export interface DeleteOptions {
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
  dryRun?: string[];
}

/**
 * DeleteOptions from the body, or, when there is no body, from the query (the real handler reads
 * one or the other, never both); then ValidateDeleteOptions (422).
 */
export function parseDeleteOptions(req: ApiRequest): DeleteOptions {
  let opts: DeleteOptions & { orphanDependents?: unknown } = {};
  if (req.body && req.body.length > 0) {
    const v = decodeLoose(req.body, (req.contentType ?? '').includes('yaml'));
    if (v !== null && !isObj(v))
      throw errors.badRequest('the body of the request was in an unknown format - DeleteOptions expected');
    opts = (v ?? {}) as DeleteOptions;
  } else {
    const q = req.query;
    const gp = int64Param(q, 'gracePeriodSeconds');
    if (gp !== undefined) opts.gracePeriodSeconds = gp;
    if (q.has('orphanDependents')) opts.orphanDependents = queryBool(q, 'orphanDependents');
    if (q.has('propagationPolicy')) opts.propagationPolicy = q.get('propagationPolicy')!;
    if (q.has('dryRun')) opts.dryRun = q.getAll('dryRun');
  }
  validateDeleteOptions(opts);
  // The deprecated orphanDependents=true means the Orphan policy.
  if (opts.orphanDependents === true) opts.propagationPolicy = 'Orphan';
  return opts;
}

/** DELETE of one object: finalizers and non-background policies mark it Terminating instead. */
export function deleteObject(ctx: ApiContext, req: ApiRequest, opts = parseDeleteOptions(req)): ApiResult {
  const rt = req.rt;
  const cur = ctx.store.get(rt.storageKey, objectKey(req.ns, req.name!));
  if (!cur) throw errors.notFound(rt, req.name!);
  const meta = cur.obj.metadata as Record<string, unknown>;
  const pre = opts.preconditions;
  if (pre?.uid && pre.uid !== meta.uid) {
    throw new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${rt.kind} "${cur.name}": the UID in the precondition (${pre.uid}) does not match the UID in record (${String(meta.uid)}). The object might have been deleted and then recreated`,
      { name: cur.name, ...(rt.group ? { group: rt.group } : {}), kind: rt.kind },
    );
  }
  if (pre?.resourceVersion && String(pre.resourceVersion) !== String(cur.rv)) {
    throw new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${rt.kind} "${cur.name}": the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${cur.rv}). The object might have been modified`,
      { name: cur.name, ...(rt.group ? { group: rt.group } : {}), kind: rt.kind },
    );
  }
  const isDry = (opts.dryRun?.length ?? 0) > 0;
  const finalizers = (meta.finalizers as string[] | undefined) ?? [];
  const policy = opts.propagationPolicy;
  const isCrd = rt.storageKey === 'customresourcedefinitions.apiextensions.k8s.io';
  // Like the apiextensions registry: deleting a CRD adds the cleanup finalizer; the CRD controller
  // removes its custom resources and then the finalizer.
  const extra = isCrd
    ? 'customresourcecleanup.apiextensions.k8s.io'
    : policy === 'Foreground'
      ? 'foregroundDeletion'
      : policy === 'Orphan'
        ? 'orphan'
        : undefined;
  const isNamespace = rt.plural === 'namespaces' && !rt.group;
  // Pods bound to a node terminate gracefully: deletionTimestamp = now + grace period, and the
  // kubelet removes them (the simulated kubelet after `pods.terminateDelay`). gracePeriodSeconds=0
  // (what the kubelet sends when done, or --force) removes them at once.
  const spec = cur.obj.spec as Record<string, unknown> | undefined;
  const grace =
    typeof opts.gracePeriodSeconds === 'number'
      ? opts.gracePeriodSeconds
      : typeof spec?.terminationGracePeriodSeconds === 'number'
        ? spec.terminationGracePeriodSeconds
        : 30;
  const gracefulPod =
    rt.storageKey === 'pods' && typeof spec?.nodeName === 'string' && spec.nodeName !== '' && grace > 0;
  if (rt.storageKey === 'pods' && meta.deletionTimestamp && grace === 0 && finalizers.length === 0) {
    if (isDry) return ok(200, cur);
    removeNow(ctx, rt, cur);
    return ok(200, cur);
  }
  if (finalizers.length > 0 || extra || isNamespace || gracefulPod) {
    if (meta.deletionTimestamp) return ok(200, cur);
    const next = clone(cur.obj);
    const nm = next.metadata as Record<string, unknown>;
    nm.deletionTimestamp = gracefulPod
      ? new Date((Math.floor(Date.now() / 1000) + grace) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
      : nowSeconds();
    nm.deletionGracePeriodSeconds = gracefulPod ? grace : 0;
    if (extra && !finalizers.includes(extra)) nm.finalizers = [...finalizers, extra];
    if (rt.hasGeneration && typeof nm.generation === 'number') nm.generation++;
    if (isNamespace) {
      next.spec = { finalizers: ['kubernetes'], ...((next.spec as object) ?? {}) };
      next.status = { ...((next.status as object) ?? {}), phase: 'Terminating' };
    }
    if (isDry) return ok(200, toJson(canonicalize(rt, next)));
    const rv = ctx.store.nextRv();
    nm.resourceVersion = String(rv);
    const stored = makeStored(canonicalize(rt, next), rv);
    ctx.store.commit(rt.storageKey, 'MODIFIED', stored, cur);
    return ok(200, stored);
  }
  // Stores with ReturnDeletedObject (pods, services, service accounts) answer with the object.
  if (returnsDeletedObject.has(rt.storageKey)) {
    if (!isDry) removeNow(ctx, rt, cur);
    return ok(200, cur);
  }
  const status = JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: cur.name, ...(rt.group ? { group: rt.group } : {}), kind: rt.plural, uid: meta.uid },
  });
  if (isDry) return ok(200, status);
  removeNow(ctx, rt, cur);
  return ok(200, status);
}

/** Removes an object immediately: the DELETED event carries its last state at the delete's RV. */
export function removeNow(ctx: ApiContext, rt: ResourceType, cur: Stored): void {
  const rv = ctx.store.nextRv();
  const last = { ...cur.obj, metadata: { ...cur.obj.metadata, resourceVersion: String(rv) } } as KubeObject;
  ctx.store.commit(rt.storageKey, 'DELETED', makeStored(last, rv), cur);
}
