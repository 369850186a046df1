/**
 * DELETE on a collection (deletecollection).
 */
import type { Stored } from '../store/store.js';
import type { ApiContext, ApiRequest, ApiResult } from './context.js';
import { deleteObject, parseDeleteOptions } from './handlers.js';
import { listBody, selectList } from './list.js';
import { ApiError } from './status.js';

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
