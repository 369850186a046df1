/**
 * The `scale` subresource (autoscaling/v1 Scale) of deployments and of custom resources that
 * declare it: reads project spec/status replicas, writes change only the replica count.
 */
import { makeStored, type KubeObject, type Stored } from '../store/store.js';
import { bodyMediaType, decodeBody, decodeLoose } from './codec.js';
import type { ApiContext, ApiRequest, ApiResult } from './context.js';
import { currentObject, writeUpdate } from './handlers.js';
import { clone, managerName } from './objects.js';
import { jsonPatch, mergePatch } from './patch.js';
import type { ResourceType } from './resources.js';
import { errors } from './status.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function paths(rt: ResourceType): { spec: string[]; status: string[]; selector?: string[] } {
  const split = (p: string) => p.replace(/^\./, '').split('.');
  if (rt.scale) {
    return {
      spec: split(rt.scale.specReplicasPath),
      status: split(rt.scale.statusReplicasPath),
      selector: rt.scale.labelSelectorPath ? split(rt.scale.labelSelectorPath) : undefined,
    };
  }
  return { spec: ['spec', 'replicas'], status: ['status', 'replicas'] };
}

function getPath(o: unknown, p: string[]): unknown {
  let cur = o;
  for (const k of p) cur = isObj(cur) ? cur[k] : undefined;
  return cur;
}

function setPath(o: Obj, p: string[], v: unknown): void {
  let cur = o;
  for (const k of p.slice(0, -1)) {
    if (!isObj(cur[k])) cur[k] = {};
    cur = cur[k] as Obj;
  }
  cur[p[p.length - 1]!] = v;
}

function selectorString(obj: KubeObject): string | undefined {
  const sel = getPath(obj, ['spec', 'selector', 'matchLabels']);
  if (!isObj(sel)) return undefined;
  return Object.entries(sel)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
}

export function scaleOf(rt: ResourceType, s: Stored): Obj {
  const p = paths(rt);
  const m = s.obj.metadata as Obj;
  const status: Obj = { replicas: (getPath(s.obj, p.status) as number | undefined) ?? 0 };
  const selector = p.selector ? getPath(s.obj, p.selector) : selectorString(s.obj);
  if (selector !== undefined) status.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: (getPath(s.obj, p.spec) as number | undefined) ?? 0 },
    status,
  };
}

function writeScale(ctx: ApiContext, req: ApiRequest, cur: Stored, scale: unknown): ApiResult {
  if (!isObj(scale)) throw errors.badRequest('the object provided is unrecognized (must be of type Scale)');
  const meta = isObj(scale.metadata) ? scale.metadata : {};
  if (
    meta.resourceVersion !== undefined &&
    meta.resourceVersion !== '' &&
    String(meta.resourceVersion) !== String(cur.rv)
  ) {
    throw errors.conflict(req.rt, req.name!);
  }
  const replicas = isObj(scale.spec) ? scale.spec.replicas : undefined;
  if (
    replicas !== undefined &&
    (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
  ) {
    throw errors.invalid('Scale', 'autoscaling', req.name!, [
      {
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
        field: 'spec.replicas',
      },
    ]);
  }
  const next = clone(cur.obj);
  setPath(next, paths(req.rt).spec, replicas ?? 0);
  const manager = managerName(req.query.get('fieldManager'), req.userAgent);
  const r = writeUpdate(ctx, { ...req, subresource: undefined }, cur, next, { manager });
  const after =
    ctx.store.get(req.rt.storageKey, cur.key) ?? makeStored(JSON.parse(r.body) as KubeObject, cur.rv);
  return { code: 200, body: JSON.stringify(scaleOf(req.rt, after)) };
}

export function scaleRequest(ctx: ApiContext, req: ApiRequest): ApiResult {
  const cur = currentObject(ctx, req);
  switch (req.method) {
    case 'GET':
    case 'HEAD':
      return { code: 200, body: JSON.stringify(scaleOf(req.rt, cur)) };
    case 'PUT': {
      const body = decodeBody(req.body ?? Buffer.alloc(0), bodyMediaType(req.contentType), 'Scale');
      return writeScale(ctx, req, cur, body);
    }
    case 'PATCH': {
      const ct = (req.contentType ?? '').split(';')[0]!.trim();
      const patch = decodeLoose(req.body ?? Buffer.alloc(0), ct.includes('yaml'));
      const scale = scaleOf(req.rt, cur);
      let next: unknown;
      if (ct === 'application/json-patch+json') next = jsonPatch(scale, patch);
      else if (
        ct === 'application/merge-patch+json' ||
        ct === 'application/strategic-merge-patch+json' ||
        ct === 'application/apply-patch+yaml'
      ) {
        if (!isObj(patch)) throw errors.badRequest('error decoding patch: the patch must be a JSON object');
        next = mergePatch(scale, patch);
      } else throw errors.unsupportedMediaType();
      return writeScale(ctx, req, cur, next);
    }
    default:
      throw errors.methodNotAllowed();
  }
}
