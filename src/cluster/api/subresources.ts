/**
 * Subresources beyond status/scale, and bindings (answered without the store; the access and token
 * reviews are http/reviews.ts). Discovery lists an extra subresource only while `handlers` serves
 * it, so nothing advertised answers 404. Nothing runs on the simulated nodes: logs are empty,
 * exec/attach/port-forward and proxies answer as a kubelet-less node would.
 */
import { makeStored, objectKey, type KubeObject } from '../store/store.js';
import { bodyMediaType, decodeBody } from './codec.js';
import type { ApiContext, ApiRequest, ApiResult } from './context.js';
import { clone, nowSeconds } from './objects.js';
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

/** pods/binding (and POST bindings): sets spec.nodeName once, like the scheduler's binding. */
function bind(ctx: ApiContext, req: ApiRequest, podName: string, body: Obj): ApiResult {
  needs(req, ['POST']);
  const target = (body.target as Obj | undefined) ?? {};
  const podsRt = ctx.registry.get('v1', 'pods')!;
  const cur = ctx.store.get('pods', objectKey(req.ns, podName));
  if (!cur) throw errors.notFound(podsRt, podName);
  const spec = (cur.obj.spec as Obj | undefined) ?? {};
  if (typeof target.name !== 'string' || !target.name) {
    throw errors.invalid('Binding', '', podName, [
      { reason: 'FieldValueRequired', message: 'Required value', field: 'target.name' },
    ]);
  }
  if (spec.nodeName) {
    throw new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on pods/binding "${podName}": pod ${podName} is already assigned to node "${String(spec.nodeName)}"`,
      { name: podName, kind: 'pods/binding' },
    );
  }
  const next = clone(cur.obj) as KubeObject;
  (next.spec as Obj).nodeName = target.name;
  const status = ((next.status as Obj | undefined) ?? (next.status = {})) as Obj;
  const conditions = ((status.conditions as Obj[] | undefined) ?? []).filter(
    (c) => c.type !== 'PodScheduled',
  );
  conditions.push({
    type: 'PodScheduled',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: nowSeconds(),
  });
  status.conditions = conditions;
  const rv = ctx.store.nextRv();
  (next.metadata as Obj).resourceVersion = String(rv);
  ctx.store.commit('pods', 'MODIFIED', makeStored(next, rv), cur);
  return {
    code: 201,
    body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }),
  };
}

const handlers: Record<string, Handler> = {
  'pods/attach': streaming,
  'pods/exec': streaming,
  'pods/portforward': streaming,
  'pods/log': podLog,
  'pods/proxy': proxy,
  'services/proxy': proxy,
  'nodes/proxy': proxy,
  'pods/binding': (ctx, req) => bind(ctx, req, req.name!, bindingBody(req)),
};
/**
 * Served by the ordinary object path, which changes only part of the object: CSR approval as the
 * status subresource, ephemeral containers as their own part of the pod spec.
 */
const objectPath: Record<string, string> = {
  'certificatesigningrequests/approval': 'status',
  'pods/ephemeralcontainers': 'ephemeralcontainers',
};

function bindingBody(req: ApiRequest): Obj {
  const v = decodeBody(req.body ?? Buffer.alloc(0), bodyMediaType(req.contentType), 'Binding');
  return v && typeof v === 'object' ? (v as Obj) : {};
}

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
  if (req.rt.virtual === 'binding') {
    const body = bindingBody(req);
    const name = (body.metadata as Obj | undefined)?.name;
    if (typeof name !== 'string' || !name) {
      throw errors.invalid('Binding', '', '', [
        {
          reason: 'FieldValueRequired',
          message: 'Required value: name or generateName is required',
          field: 'metadata.name',
        },
      ]);
    }
    return bind(ctx, req, name, body);
  }
  // Reviews are answered by http/reviews.ts, which knows who is asking.
  throw errors.methodNotAllowed();
}
