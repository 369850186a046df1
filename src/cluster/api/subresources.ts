/**
 * Subresources beyond status/scale, and the resources answered without the store (bindings,
 * access and token reviews). Discovery lists an extra subresource only while `handlers` serves
 * it, so nothing advertised answers 404. Nothing runs on the simulated nodes: logs are empty,
 * exec/attach/port-forward and proxies answer as a kubelet-less node would.
 */
import { objectKey } from '../store/store.js';
import { bodyMediaType, decodeBody } from './codec.js';
import type { ApiContext, ApiRequest, ApiResult } from './context.js';
import type { ResourceType } from './resources.js';
import { errors, ApiError } from './status.js';

type Obj = Record<string, unknown>;
type Handler = (ctx: ApiContext, req: ApiRequest) => ApiResult;

function podOf(ctx: ApiContext, req: ApiRequest) {
  const s = ctx.store.get(req.rt.storageKey, objectKey(req.ns, req.name!));
  if (!s) throw errors.notFound(req.rt, req.name!);
  return s;
}

function needs(req: ApiRequest, methods: string[]): void {
  if (!methods.includes(req.method)) throw errors.methodNotAllowed();
}

/** exec/attach/portforward: the streaming protocols need an upgrade the simulated kubelet lacks. */
const streaming: Handler = (ctx, req) => {
  needs(req, ['GET', 'POST']);
  const pod = podOf(ctx, req);
  if (!req.upgrade) throw errors.badRequest('Upgrade request required');
  const node = ((pod.obj.spec as Obj | undefined)?.nodeName as string | undefined) ?? '';
  throw new ApiError(
    400,
    'BadRequest',
    `pod ${req.name} runs on simulated node "${node}": kubeperf's embedded control plane runs no containers, so ${req.subresource} is not available`,
  );
};

const podLog: Handler = (ctx, req) => {
  needs(req, ['GET']);
  const pod = podOf(ctx, req);
  const spec = (pod.obj.spec as Obj | undefined) ?? {};
  const containers = (spec.containers as Obj[] | undefined) ?? [];
  const wanted = req.query.get('container');
  if (!wanted && containers.length > 1) {
    throw errors.badRequest(
      `a container name must be specified for pod ${req.name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`,
    );
  }
  const name = wanted ?? (containers[0]?.name as string | undefined) ?? '';
  if (!containers.some((c) => c.name === name)) {
    throw errors.badRequest(`container ${name} is not valid for pod ${req.name}`);
  }
  if ((pod.obj.status as Obj | undefined)?.phase !== 'Running') {
    throw errors.badRequest(
      `container "${name}" in pod "${req.name}" is waiting to start: ContainerCreating`,
    );
  }
  // Simulated containers write nothing.
  return { code: 200, body: '', contentType: 'text/plain' };
};

const proxy: Handler = (ctx, req) => {
  podOf(ctx, req);
  const what = req.rt.plural === 'services' ? `service "${req.name}"` : `${req.rt.singular} "${req.name}"`;
  throw new ApiError(
    503,
    'ServiceUnavailable',
    `no endpoints available for ${what}: nothing listens on simulated addresses`,
  );
};

const handlers: Record<string, Handler> = {
  'pods/attach': streaming,
  'pods/exec': streaming,
  'pods/portforward': streaming,
  'pods/log': podLog,
  'pods/proxy': proxy,
  'services/proxy': proxy,
  'nodes/proxy': proxy,
};

/**
 * Built-in kinds' own subresource handlers (pods/binding, serviceaccounts/token, namespaces/finalize
 * and the `bindings` collection: src/cluster/builtins/subresources.ts) register here when the server
 * starts, so this layer does not import the one above it.
 */
export function registerSubresource(key: string, handler: Handler): void {
  handlers[key] = handler;
}
/**
 * Served by the ordinary object path, which changes only part of the object: CSR approval as the
 * status subresource, ephemeral containers as their own part of the pod spec.
 */
const objectPath: Record<string, string> = {
  'certificatesigningrequests/approval': 'status',
  'pods/ephemeralcontainers': 'ephemeralcontainers',
};

/** Whether this server answers `sub` of `rt` (status/scale aside). */
export function servesSubresource(rt: ResourceType, sub: string): boolean {
  const key = `${rt.plural}/${sub}`;
  return (
    !rt.custom &&
    !!rt.extraSubresources?.some((s) => s.name === sub) &&
    (key in handlers || key in objectPath)
  );
}

/**
 * Handles an extra subresource; returns undefined when the request goes on through the normal
 * object path (see objectPath).
 */
export function subresourceRequest(ctx: ApiContext, req: ApiRequest): ApiResult | undefined {
  const key = `${req.rt.plural}/${req.subresource}`;
  const via = objectPath[key];
  if (via) {
    req.subresource = via;
    return undefined;
  }
  return handlers[key]!(ctx, req);
}

// ---------------------------------------------------------------------------------------------
// Reviews: the only user is the admin token (system:masters); anyone else is bound to nothing.

const admin = { username: 'kubeperf-admin', groups: ['system:masters', 'system:authenticated'] };

function review(ctx: ApiContext, req: ApiRequest): ApiResult {
  needs(req, ['POST']);
  const rt = req.rt;
  const obj = decodeBody(req.body ?? Buffer.alloc(0), bodyMediaType(req.contentType), rt.kind) as Obj;
  if (!obj || typeof obj !== 'object')
    throw errors.badRequest(`the object provided is unrecognized (must be of type ${rt.kind})`);
  const spec = (obj.spec as Obj | undefined) ?? {};
  const out: Obj = {
    kind: rt.kind,
    apiVersion: rt.groupVersion,
    metadata: { creationTimestamp: null, ...((obj.metadata as Obj | undefined) ?? {}) },
  };
  if (rt.kind !== 'SelfSubjectReview') out.spec = spec;
  switch (rt.kind) {
    case 'SelfSubjectReview':
      out.status = { userInfo: admin };
      break;
    case 'TokenReview': {
      const ok = typeof spec.token === 'string' && ctx.hooks.tokenValid?.(spec.token) === true;
      out.status = ok ? { authenticated: true, user: admin } : { user: {}, error: 'invalid bearer token' };
      break;
    }
    case 'SelfSubjectAccessReview':
      out.status = { allowed: true, reason: '' };
      break;
    case 'SelfSubjectRulesReview':
      out.status = {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      };
      break;
    default: {
      // SubjectAccessReview / LocalSubjectAccessReview: only the admin's groups hold permissions.
      const groups = (spec.groups as string[] | undefined) ?? [];
      const allowed = spec.user === admin.username || groups.includes('system:masters');
      out.status = allowed ? { allowed: true } : { allowed: false };
    }
  }
  if (rt.kind === 'LocalSubjectAccessReview') (out.metadata as Obj).namespace = req.ns;
  return { code: 201, body: JSON.stringify(out) };
}

/** Resources answered without the store (rt.virtual). */
export function virtualRequest(ctx: ApiContext, req: ApiRequest): ApiResult {
  if (req.name) throw errors.methodNotAllowed();
  if (req.rt.virtual === 'binding') return handlers.bindings!(ctx, req);
  return review(ctx, req);
}
