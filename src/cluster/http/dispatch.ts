/**
 * Verb dispatch of resource requests (built-in resources answer 405 for impossible method/target
 * pairs, custom resources 400, as the real server does).
 */
import { applyPatch } from '../api/apply.js';
import { deleteCollection } from '../api/collection.js';
import type { ApiContext, ApiRequest, ApiResult } from '../api/context.js';
import {
  createObject,
  deleteObject,
  getObject,
  getTable,
  patchObject,
  updateObject,
} from '../api/handlers.js';
import { listObjects, listTable } from '../api/list.js';
import { scaleRequest } from '../api/scale.js';
import { errors } from '../api/status.js';
import { subresourceRequest, virtualRequest } from '../api/subresources.js';
import { patchTypeOf } from '../api/codec.js';
import { validateWriteOptions } from '../api/request-options.js';
import { answerReview } from './reviews.js';

/** Options validation (422) of writes, before the body is decoded, as the real handlers do. */
function validateOptions(req: ApiRequest): void {
  if (req.method === 'POST') validateWriteOptions(req.query, 'CreateOptions');
  else if (req.method === 'PUT') validateWriteOptions(req.query, 'UpdateOptions');
  else if (req.method === 'PATCH') {
    // An unknown patch type is the handler's 415, which comes first.
    const type = patchTypeOf(req.contentType);
    if (type) validateWriteOptions(req.query, 'PatchOptions', type === 'apply');
  }
}

export function objectRequest(ctx: ApiContext, req: ApiRequest): ApiResult {
  if (req.method === 'PUT' || req.method === 'PATCH') validateOptions(req);
  if (req.subresource === 'scale') return scaleRequest(ctx, req);
  if (req.rt.virtual) return virtualRequest(ctx, req);
  if (req.subresource && req.subresource !== 'status') {
    const r = subresourceRequest(ctx, req);
    if (r) return r;
  }
  switch (req.method) {
    case 'GET':
    case 'HEAD':
      return req.table || req.metadataOnly ? getTable(ctx, req) : getObject(ctx, req);
    case 'PUT':
      return updateObject(ctx, req);
    case 'PATCH':
      return patchObject(ctx, req, applyPatch);
    case 'DELETE':
      if (req.subresource) throw errors.methodNotAllowed();
      return deleteObject(ctx, req);
    case 'POST':
      if (req.rt.custom) {
        throw errors.badRequest(
          `the object provided is unrecognized (must be of type ${req.rt.kind}): Object 'Kind' is missing in '{}' ({})`,
        );
      }
      throw errors.methodNotAllowed();
    default:
      throw errors.methodNotAllowed();
  }
}

export function collectionRequest(ctx: ApiContext, req: ApiRequest): ApiResult {
  if (req.rt.virtual === 'review') return answerReview(ctx, req);
  if (req.rt.virtual) return virtualRequest(ctx, req);
  if (req.method === 'POST') validateOptions(req);
  switch (req.method) {
    case 'GET':
    case 'HEAD':
      return req.table || req.metadataOnly ? listTable(ctx, req) : listObjects(ctx, req);
    case 'POST':
      return createObject(ctx, req);
    case 'DELETE':
      if (req.rt.storageKey === 'namespaces') throw errors.methodNotAllowed();
      return deleteCollection(ctx, req);
    case 'PATCH':
    case 'PUT':
      if (req.rt.custom) throw errors.badRequest('name must be provided');
      throw errors.methodNotAllowed();
    default:
      throw errors.methodNotAllowed();
  }
}
