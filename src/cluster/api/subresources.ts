/**
 * Subresources beyond status/scale, and bindings (answered without the store; the access and token
 * reviews are http/reviews.ts). Discovery lists an extra subresource only while `handlers` serves
 * it, so nothing advertised answers 404. Nothing runs on the simulated nodes: logs are empty,
 * exec/attach/port-forward and proxies answer as a kubelet-less node would.
 */
import type { ApiContext, ApiRequest, ApiResult } from './context.js';
import { currentObject } from './handlers.js';
import type { ResourceType } from './resources.js';
import { errors, ApiError } from './status.js';

type Obj = Record<string, unknown>;
type Handler = (ctx: ApiContext, req: ApiRequest) => ApiResult;

function needs(req: ApiRequest, methods: string[]): void {
  if (!methods.includes(req.method)) throw errors.methodNotAllowed();
}

/** exec/attach/portforward: the streaming protocols need an upgrade the simulated kubelet lacks. */
const streaming: Handler = (ctx, req) => {
  needs(req, ['GET', 'POST']);
  const pod = currentObject(ctx, req);
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
  const pod = currentObject(ctx, req);
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
  currentObject(ctx, req);
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

/** Bindings: answered without the store (rt.virtual). */
export function virtualRequest(ctx: ApiContext, req: ApiRequest): ApiResult {
  if (req.name) throw errors.methodNotAllowed();
  if (req.rt.virtual === 'binding') return handlers.bindings!(ctx, req);
  // Reviews are answered by http/reviews.ts, which knows who is asking.
  throw errors.methodNotAllowed();
}
