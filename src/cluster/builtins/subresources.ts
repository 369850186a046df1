/**
 * Core subresources with their own REST handlers in kube-apiserver:
 *  - `pods/{name}/binding` and the `bindings` collection (BindingREST): assign a node once, set
 *    PodScheduled=True; 409 when the pod is already bound or being deleted.
 *  - `serviceaccounts/{name}/token` (TokenREST): a TokenRequest answered with a signed JWT for the
 *    service account (the embedded server does not accept these tokens for authentication).
 *  - `namespaces/{name}/finalize` (FinalizeREST): replaces `spec.finalizers` only.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { bodyMediaType, decodeBody } from '../api/codec.js';
import type { ApiContext, ApiRequest, ApiResult } from '../api/context.js';
import { writeUpdate } from '../api/handlers.js';
import { canonicalize, clone, managerName, nowSeconds } from '../api/objects.js';
import { ApiError, errors } from '../api/status.js';
import { registerSubresource } from '../api/subresources.js';
import { makeStored, objectKey, type KubeObject, type Stored } from '../store/store.js';
import {
  errorText,
  index,
  invalid,
  invalidError,
  notSupported,
  required,
  type ErrorList,
} from '../validation/field.js';
import { validateFinalizerName, validateObjectMetaUpdate } from '../validation/meta.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function decode(req: ApiRequest, kind: string): Obj {
  const v = decodeBody(req.body ?? Buffer.alloc(0), bodyMediaType(req.contentType), kind);
  if (!isObj(v)) throw errors.badRequest(`the object provided is unrecognized (must be of type ${kind})`);
  if (v.kind !== undefined && v.kind !== '' && v.kind !== kind)
    throw errors.badRequest(
      `${String(v.kind)} in version "${String(v.apiVersion ?? '')
        .split('/')
        .pop()}" cannot be handled as a ${kind}`,
    );
  return v;
}

const created = (): ApiResult => ({
  code: 201,
  body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }),
});

/**
 * Binds a pod to a node like BindingREST.setPodHostAndAnnotations: one write that sets spec.nodeName,
 * merges annotations and sets the PodScheduled condition. Used by the API and the simulated scheduler.
 */
export function bindPod(
  ctx: ApiContext,
  ns: string,
  name: string,
  node: string,
  opts: { annotations?: Record<string, string>; dryRun?: boolean } = {},
): void {
  const podRt = ctx.registry.get('v1', 'pods')!;
  const cur = ctx.store.get('pods', objectKey(ns, name));
  if (!cur) throw errors.notFound(podRt, name);
  const conflict = (why: string) =>
    new ApiError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${name}": ${why}`, {
      name,
      kind: 'pods/binding',
    });
  const meta = cur.obj.metadata as Obj;
  const spec = (cur.obj.spec ?? {}) as Obj;
  if (meta.deletionTimestamp) throw conflict(`pod ${name} is being deleted, cannot be assigned to a host`);
  if (typeof spec.nodeName === 'string' && spec.nodeName)
    throw conflict(`pod ${name} is already assigned to node "${spec.nodeName}"`);
  if (Array.isArray(spec.schedulingGates) && spec.schedulingGates.length)
    throw conflict(`pod ${name} has non-empty .spec.schedulingGates`);
  const next = clone(cur.obj);
  (next.spec as Obj).nodeName = node;
  if (opts.annotations && Object.keys(opts.annotations).length)
    next.metadata.annotations = {
      ...((next.metadata.annotations as Record<string, string>) ?? {}),
      ...opts.annotations,
    };
  const status = ((next.status as Obj) ?? {}) as Obj;
  const conds = Array.isArray(status.conditions) ? [...(status.conditions as Obj[])] : [];
  const i = conds.findIndex((c) => c.type === 'PodScheduled');
  const scheduled = {
    type: 'PodScheduled',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: nowSeconds(),
  };
  if (i < 0) conds.push(scheduled);
  else if (conds[i]!.status !== 'True') conds[i] = scheduled;
  status.conditions = conds;
  next.status = status;
  if (opts.dryRun) return;
  // A storage-level update (GuaranteedUpdate): no admission, managedFields untouched.
  const rv = ctx.store.nextRv();
  next.metadata.resourceVersion = String(rv);
  ctx.store.commit('pods', 'MODIFIED', makeStored(canonicalize(podRt, next), rv), cur);
}

function validatePodBinding(b: Obj): ErrorList {
  const target = isObj(b.target) ? b.target : {};
  const errs: ErrorList = [];
  if (target.kind !== undefined && target.kind !== '' && target.kind !== 'Node')
    errs.push(notSupported('target.kind', target.kind, ['Node', '<empty>']));
  if (!target.name) errs.push(required('target.name'));
  return errs;
}

/** POST pods/{name}/binding or the bindings collection (name from the body). */
function binding(ctx: ApiContext, req: ApiRequest, name: string | undefined): ApiResult {
  if (req.method !== 'POST') throw errors.methodNotAllowed();
  const b = decode(req, 'Binding');
  const meta = isObj(b.metadata) ? b.metadata : {};
  if (name !== undefined && meta.name !== name)
    throw errors.badRequest('name in URL does not match name in Binding object');
  const podName = String(meta.name ?? '');
  const errs = validatePodBinding(b);
  // The real handler returns the bare error list, which the server reports as a 500 "Unknown".
  if (errs.length)
    throw new ApiError(500, 'Unknown', errs.map(errorText).join(errs.length > 1 ? ', ' : ''), undefined);
  bindPod(ctx, req.ns, podName, String((b.target as Obj).name), {
    annotations: isObj(meta.annotations) ? (meta.annotations as Record<string, string>) : undefined,
    dryRun: req.query.getAll('dryRun').includes('All'),
  });
  return created();
}

const tokenAudiences = ['https://kubernetes.default.svc.cluster.local'];
const tokenSecret = randomBytes(32);

const b64url = (v: string | Buffer): string => Buffer.from(v).toString('base64url');

function tokenRequest(ctx: ApiContext, req: ApiRequest): ApiResult {
  if (req.method !== 'POST') throw errors.methodNotAllowed();
  const tr = decode(req, 'TokenRequest');
  const name = req.name!;
  const meta = isObj(tr.metadata) ? tr.metadata : {};
  const kind = { kind: 'TokenRequest', group: 'authentication.k8s.io' };
  if (meta.name && meta.name !== name)
    throw invalidError(kind.kind, kind.group, name, [
      invalid('metadata.name', meta.name, 'must match the service account name if specified'),
    ]);
  if (meta.namespace && meta.namespace !== req.ns)
    throw invalidError(kind.kind, kind.group, name, [
      invalid('metadata.namespace', meta.namespace, 'must match the service account namespace if specified'),
    ]);
  const sa = ctx.store.get('serviceaccounts', objectKey(req.ns, name));
  if (!sa) throw errors.notFound({ plural: 'serviceaccounts', group: '' }, name);
  const spec = isObj(tr.spec) ? { ...tr.spec } : {};
  if (!Array.isArray(spec.audiences) || !spec.audiences.length) spec.audiences = tokenAudiences;
  spec.expirationSeconds ??= 3600;
  spec.boundObjectRef ??= null;
  const exp = Number(spec.expirationSeconds);
  const errs: ErrorList = [];
  if (exp < 600)
    errs.push(invalid('spec.expirationSeconds', exp, 'may not specify a duration less than 10 minutes'));
  if (exp > 2 ** 32)
    errs.push(invalid('spec.expirationSeconds', exp, 'may not specify a duration larger than 2^32 seconds'));
  if (errs.length) throw invalidError(kind.kind, kind.group, '', errs);
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    aud: spec.audiences,
    exp: now + exp,
    iat: now,
    iss: tokenAudiences[0],
    kubernetes: { namespace: req.ns, serviceaccount: { name, uid: sa.obj.metadata.uid } },
    nbf: now,
    sub: `system:serviceaccount:${req.ns}:${name}`,
  };
  const unsigned = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  const token = `${unsigned}.${b64url(createHmac('sha256', tokenSecret).update(unsigned).digest())}`;
  const stamp = (s: number) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    code: 201,
    body: JSON.stringify({
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace: req.ns, creationTimestamp: stamp(now) },
      spec,
      status: { token, expirationTimestamp: stamp(now + exp) },
    }),
  };
}

/** PUT namespaces/{name}/finalize: only spec.finalizers change; status stays. */
function finalize(ctx: ApiContext, req: ApiRequest): ApiResult {
  if (req.method !== 'PUT') throw errors.methodNotAllowed();
  const rt = req.rt;
  const next = decode(req, 'Namespace') as KubeObject;
  const meta: Obj = isObj(next.metadata) ? next.metadata : {};
  if (meta.name !== req.name)
    throw errors.badRequest(
      `the name of the object (${String(meta.name ?? '')}) does not match the name on the URL (${req.name})`,
    );
  const cur: Stored | undefined = ctx.store.get(rt.storageKey, req.name!);
  if (!cur) throw errors.notFound(rt, req.name!);
  if (meta.resourceVersion && String(meta.resourceVersion) !== String(cur.rv))
    throw errors.conflict(rt, req.name!);
  const result = clone(cur.obj);
  const fins =
    isObj(next.spec) && Array.isArray(next.spec.finalizers) ? next.spec.finalizers.map(String) : [];
  const errs = validateObjectMetaUpdate({ ...meta, name: req.name } as Obj, cur.obj.metadata as Obj, {
    kubeFinalizers: true,
  });
  fins.forEach((f, i) => errs.push(...validateFinalizerName(f, index('spec.finalizers', i))));
  if (errs.length) throw invalidError(rt.kind, '', req.name!, errs);
  result.spec = { ...((result.spec as Obj) ?? {}), finalizers: fins };
  if (!fins.length) delete (result.spec as Obj).finalizers;
  const manager = managerName(req.query.get('fieldManager'), req.userAgent);
  return writeUpdate(ctx, { ...req, subresource: 'finalize' }, cur, result, { manager });
}

/** Registers the handlers above with the API layer's subresource table (once per server start). */
export function registerCoreSubresources(): void {
  registerSubresource('pods/binding', (ctx, req) => binding(ctx, req, req.name));
  registerSubresource('bindings', (ctx, req) => binding(ctx, req, undefined));
  registerSubresource('serviceaccounts/token', tokenRequest);
  registerSubresource('namespaces/finalize', finalize);
}
