/**
 * Shared state of one API server: registry, store, options and the per-type hooks (defaulting,
 * controllers) that handlers consult.
 */
import type { Store, KubeObject, Stored } from '../store/store.js';
import type { ResourceRegistry, ResourceType } from './resources.js';
import type { ControllerRuntimeMetrics } from '../../metrics/controller-runtime.js';

export interface Hooks {
  /**
   * Admission of a new object state on create/update: pruning, defaulting and validation (throws
   * ApiError 400/422). Returns Warning header texts.
   */
  admit?: (
    rt: ResourceType,
    obj: KubeObject,
    old: KubeObject | undefined,
    req: ApiRequest,
  ) => string[] | void;
  /** TokenReview: whether a bearer token authenticates. */
  tokenValid?: (token: string) => boolean;
}

export interface ApiContext {
  store: Store;
  registry: ResourceRegistry;
  hooks: Hooks;
  /** Reconcile and workqueue metrics of the built-in controllers (served on /metrics). */
  controllers?: ControllerRuntimeMetrics;
}

/** The user a request acts as (http/auth.ts). */
export interface UserInfo {
  username: string;
  groups: string[];
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
  /** kubectl asked for a meta.k8s.io/v1 Table (GET and watch only). */
  table?: boolean;
  /** The Table's meta.k8s.io version (v1 unless only v1beta1 was acceptable). */
  tableVersion?: 'v1' | 'v1beta1';
  /** Metadata-only representation (PartialObjectMetadata[List]). */
  metadataOnly?: boolean;
  /** The response (and watch frames) are application/vnd.kubernetes.protobuf. */
  protobuf?: boolean;
  /** The request asked for a connection upgrade (exec/attach/port-forward streams). */
  upgrade?: boolean;
  /** The path-scoped control plane the request came through (src/cluster/scopes), if any. */
  scope?: { kind: string; name: string };
  /** Warnings found while decoding the body (strict decoding); sent before the handler's own. */
  warnings?: string[];
  /** Who is asking (after impersonation): the self reviews answer for them. */
  user?: UserInfo;
}

export interface ApiResult {
  code: number;
  /** Serialized JSON body (or raw text when contentType is set). */
  body: string;
  /** Non-JSON bodies (pods/log): sent as they are. */
  contentType?: string;
  warnings?: string[];
  /** The stored state `body` is the JSON of, so its encoded bytes can be reused across responses. */
  stored?: Stored;
}
