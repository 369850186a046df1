/**
 * LIST with label/field selectors and limit/continue paging that is consistent at the first page's
 * resourceVersion (reconstructed from the store's event log). The response is assembled from each
 * object's cached JSON, so a page costs string concatenation, not serialization.
 */
import { compareKeys, type Stored } from '../store/store.js';
import type { ApiContext, ApiRequest, ApiResult } from './context.js';
import type { ResourceType } from './resources.js';
import { viewJson } from './objects.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { partialObjectMetadataList, tableOf, tableOptions } from './table.js';
import { ApiError, errors } from './status.js';
import { validateListOptions } from './request-options.js';

export type Matcher = (s: Stored) => boolean;

export function matcherFor(req: ApiRequest): Matcher | undefined {
  const rt = req.rt;
  const lm = parseLabelSelector(req.query.get('labelSelector'));
  const fm = parseFieldSelector(req.query.get('fieldSelector'), rt.storageKey, rt.custom);
  if (!lm && !fm) return undefined;
  if (lm && fm) return (s) => lm(s.obj.metadata.labels) && fm(s.obj);
  if (lm) return (s) => lm(s.obj.metadata.labels);
  return (s) => fm!(s.obj);
}

const itemPrefixCache = new WeakMap<ResourceType, string>();

/** Built-in list items carry no kind/apiVersion: strip the leading `{"kind":…,"apiVersion":…,`. */
export function itemJson(rt: ResourceType, s: Stored): string {
  if (rt.custom) return viewJson(rt, s);
  let prefix = itemPrefixCache.get(rt);
  if (prefix === undefined) {
    prefix = JSON.stringify({ kind: rt.kind, apiVersion: rt.groupVersion }).slice(0, -1) + ',';
    itemPrefixCache.set(rt, prefix);
  }
  let item = itemCache.get(s);
  if (item === undefined) {
    item = s.json.startsWith(prefix) ? '{' + s.json.slice(prefix.length) : s.json;
    itemCache.set(s, item);
  }
  return item;
}

/** List-item form of each stored state, built on first list (built-ins only). */
const itemCache = new WeakMap<Stored, string>();

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string')
      throw new Error('bad');
    return { rv: t.rv, start: t.start };
  } catch {
    throw errors.badRequest(`invalid continue token: illegal base64 data at input byte 0`);
  }
}

/** First index in sorted keys >= key. */
function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(keys[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function parseRv(text: string): number {
  if (!/^\d+$/.test(text)) {
    throw new ApiError(
      500,
      undefined,
      `resourceVersion: Invalid value: "${text}": strconv.ParseUint: parsing "${text}": invalid syntax`,
    );
  }
  return Number(text);
}

export interface Selection {
  rv: number;
  items: Stored[];
  continueToken?: string;
  remaining?: number;
}

/** Selects one page (or everything) per the list options in req. */
export function selectList(ctx: ApiContext, req: ApiRequest): Selection {
  const q = req.query;
  const rt = req.rt;
  const match = matcherFor(req);
  const rvParam = q.get('resourceVersion');
  const rvMatch = q.get('resourceVersionMatch');
  const cont = q.get('continue');
  validateListOptions(q, false);
  let limit = Number(q.get('limit') ?? '0');
  if (limit < 0) limit = 0;
  let atRv = ctx.store.currentRv;
  let startKey = '';
  if (cont) {
    if (rvParam && rvParam !== '0')
      throw errors.badRequest('specifying resource version is not allowed when using continue');
    const t = decodeContinue(cont);
    atRv = t.rv;
    startKey = t.start;
  } else if (rvParam) {
    const n = parseRv(rvParam);
    if (rvParam === '0') limit = 0;
    if (rvMatch === 'Exact') {
      if (n > ctx.store.currentRv)
        throw new ApiError(500, 'InternalError', 'etcdserver: mvcc: required revision is a future revision');
      atRv = n;
    }
  }
  const snap = ctx.store.snapshot(rt.storageKey, atRv);
  if (!snap) {
    if (cont) {
      throw new ApiError(
        410,
        'Expired',
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );
    }
    throw errors.gone('The resourceVersion for the provided list is too old.');
  }
  const { keys, objects } = snap;
  const nsPrefix = rt.namespaced && req.ns ? `${req.ns}/` : '';
  let i = lowerBound(keys, startKey > nsPrefix ? startKey : nsPrefix);
  const end = nsPrefix ? lowerBound(keys, nsPrefix.slice(0, -1) + '0') : keys.length; // '0' sorts right after '/'
  const items: Stored[] = [];
  for (; i < end; i++) {
    const s = objects.get(keys[i]!)!;
    if (match && !match(s)) continue;
    if (limit > 0 && items.length === limit) break;
    items.push(s);
  }
  const sel: Selection = { rv: atRv, items };
  if (limit > 0 && i < end) {
    // Only a true continuation if something matching remains.
    let more = !match;
    if (match) for (let j = i; j < end && !more; j++) more = match(objects.get(keys[j]!)!);
    if (more) {
      sel.continueToken = encodeContinue(atRv, items[items.length - 1]!.key + '\u0000');
      if (!match) sel.remaining = end - i;
    }
  }
  return sel;
}

export function listObjects(ctx: ApiContext, req: ApiRequest): ApiResult {
  const rt = req.rt;
  const sel = selectList(ctx, req);
  return { code: 200, body: listBody(rt, sel) };
}

export function listBody(rt: ResourceType, sel: Selection): string {
  const parts = new Array<string>(sel.items.length);
  for (let i = 0; i < sel.items.length; i++) parts[i] = itemJson(rt, sel.items[i]!);
  const items = parts.join(',');
  if (rt.custom) {
    const meta = `{"continue":${JSON.stringify(sel.continueToken ?? '')},${sel.remaining !== undefined ? `"remainingItemCount":${sel.remaining},` : ''}"resourceVersion":"${sel.rv}"}`;
    return `{"apiVersion":${JSON.stringify(rt.groupVersion)},"items":[${items}],"kind":${JSON.stringify(rt.listKind)},"metadata":${meta}}`;
  }
  let meta = `{"resourceVersion":"${sel.rv}"`;
  if (sel.continueToken) meta += `,"continue":"${sel.continueToken}"`;
  if (sel.remaining !== undefined) meta += `,"remainingItemCount":${sel.remaining}`;
  meta += '}';
  return `{"kind":${JSON.stringify(rt.listKind)},"apiVersion":${JSON.stringify(rt.groupVersion)},"metadata":${meta},"items":[${items}]}`;
}

export function listTable(ctx: ApiContext, req: ApiRequest): ApiResult {
  const sel = selectList(ctx, req);
  const meta: Record<string, unknown> = { resourceVersion: String(sel.rv) };
  if (sel.continueToken) meta.continue = sel.continueToken;
  if (sel.remaining !== undefined) meta.remainingItemCount = sel.remaining;
  return {
    code: 200,
    body: req.metadataOnly
      ? partialObjectMetadataList(sel.items, meta)
      : tableOf(req.rt, sel.items, meta, true, tableOptions(req)),
  };
}
