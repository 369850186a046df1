/**
 * DELETE on a collection (deletecollection) and server-side apply entry point.
 */
import type { KubeObject, Stored } from '../store/store.js';
import { decodeLoose } from './codec.js';
import type { ApiContext, ApiRequest, ApiResult } from './context.js';
import { deleteObject, insertNew, parseDeleteOptions, writeUpdate } from './handlers.js';
import { listBody, selectList } from './list.js';
import { afterApply, leafPaths, toFieldsV1 } from './managed-fields.js';
import { clone, nowSeconds, type ManagedFieldsEntry } from './objects.js';
import { strategicMergePatch } from './strategic-merge.js';
import { mergePatch } from './patch.js';
import { ApiError, errors } from './status.js';
import { queryBool } from './request-options.js';

export function deleteCollection(ctx: ApiContext, req: ApiRequest): ApiResult {
  const rt = req.rt;
  const opts = parseDeleteOptions(req);
  const q = new URLSearchParams(req.query);
  q.delete('limit');
  q.delete('continue');
  const sel = selectList(ctx, { ...req, query: q });
  const deleted: Stored[] = [];
  for (const s of sel.items) {
    try {
      deleteObject(ctx, { ...req, name: s.name, ns: s.ns, body: undefined }, opts);
      deleted.push(s);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e;
    }
  }
  return { code: 200, body: listBody(rt, { rv: ctx.store.currentRv, items: deleted }) };
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Server-side apply (application/apply-patch+yaml): create if missing, otherwise merge the config. */
export function applyPatch(ctx: ApiContext, req: ApiRequest, cur: Stored | undefined): ApiResult {
  const rt = req.rt;
  // fieldManager is required for apply (checked with the other PatchOptions in http/dispatch.ts).
  const manager = req.query.get('fieldManager') ?? '';
  const cfg = decodeLoose(req.body ?? Buffer.alloc(0), true);
  if (!isObj(cfg))
    throw errors.badRequest('error decoding YAML: the applied configuration must be an object');
  if (cfg.apiVersion !== rt.groupVersion || cfg.kind !== rt.kind) {
    throw errors.badRequest(
      `the API version in the data (${String(cfg.apiVersion ?? '')}) does not match the expected API version (${rt.groupVersion})`,
    );
  }
  const meta = isObj(cfg.metadata) ? cfg.metadata : {};
  cfg.metadata = meta;
  if (meta.name !== undefined && meta.name !== req.name) {
    throw errors.badRequest(
      `the name of the object (${String(meta.name)}) does not match the name on the URL (${req.name})`,
    );
  }
  meta.name = req.name;
  if (!cur) {
    const fields = toFieldsV1(leafPaths(cfg), false);
    return insertNew(ctx, req, clone(cfg) as KubeObject, nowSeconds(), 'Apply', fields);
  }
  const force = queryBool(req.query, 'force');
  // Built-ins merge keyed lists (containers by name); custom resources replace lists.
  const next = (
    rt.custom ? mergePatch(clone(cur.obj), cfg) : strategicMergePatch(rt, clone(cur.obj), cfg)
  ) as KubeObject;
  const entries = (cur.obj.metadata as Record<string, unknown>).managedFields as
    ManagedFieldsEntry[] | undefined;
  const managedFields = afterApply(
    entries,
    manager,
    rt.groupVersion,
    cur.obj,
    cfg,
    next,
    force,
    req.subresource,
  );
  return writeUpdate(ctx, req, cur, next, { manager, operation: 'Apply', managedFields });
}
