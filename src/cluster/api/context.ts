/**
 * Shared state of one API server: registry, store, options and the per-type hooks (defaulting,
 * controllers) that handlers consult.
 */
import type { Store, KubeObject } from '../store/store.js';
import type { ResourceRegistry, ResourceType } from './resources.js';

export interface Hooks {
  /** Fills server-side defaults on create/update (namespace phase, deployment strategy, CR schema). */
  defaults?: (rt: ResourceType, obj: KubeObject, op: 'create' | 'update') => void;
  /** Validates an object (CR schema); throws ApiError 422. */
  validate?: (rt: ResourceType, obj: KubeObject, old?: KubeObject) => string[] | void;
}

export interface ApiContext {
  store: Store;
  registry: ResourceRegistry;
  hooks: Hooks;
}

/** A parsed resource request. */
export interface ApiRequest {
  method: string;
  rt: ResourceType;
  /** Namespace from the URL ('' for cluster scope or all namespaces). */
  ns: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  contentType?: string;
  userAgent?: string;
  body?: Buffer;
}

export interface ApiResult {
  code: number;
  /** Serialized JSON body. */
  body: string;
  warnings?: string[];
}
