/**
 * KubeClient: the fast REST path plus the REST mapper, with one method that sends a request, retries
 * it by policy and records exactly one outcome per request. Verb helpers build paths and content
 * types; they return the final response (any status) or undefined when the transport failed.
 */
import { setMaxListeners } from 'node:events';
import type { Recorder } from '../metrics/recorder.js';
import { defaultRetryPolicy, withRetries, type RetryPolicy } from '../load/retry.js';
import { collectionPath, objectPath, RestMapper, type ResourceMapping } from './discovery.js';
import { judgeAttempt, outcomeOfError, outcomeOfResponse, type KubeResponse } from './response.js';
import type { RestClient, RestRequest } from './rest.js';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const patchContentType: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export const FIELD_MANAGER = 'kubeperf';

const METADATA_LIST_ACCEPT =
  'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json';

const raisedLimit = new WeakSet<AbortSignal>();

export interface SendOptions {
  recorder?: Recorder;
  /** Intended start (monotonic ms); default: now. Latency is recorded from here. */
  intendedMs?: number;
  retry?: RetryPolicy;
  signal?: AbortSignal;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export function listQuery(o: ListOptions): string {
  const q = new URLSearchParams();
  if (o.labelSelector) q.set('labelSelector', o.labelSelector);
  if (o.fieldSelector) q.set('fieldSelector', o.fieldSelector);
  if (o.limit) q.set('limit', String(o.limit));
  if (o.continue) q.set('continue', o.continue);
  if (o.resourceVersion !== undefined) q.set('resourceVersion', o.resourceVersion);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export class KubeClient {
  readonly mapper: RestMapper;
  retry: RetryPolicy = defaultRetryPolicy;

  constructor(
    readonly rest: RestClient,
    readonly version: string,
  ) {
    this.mapper = new RestMapper(rest);
  }

  /**
   * Send with retries; record one outcome under `op` from the intended start to the final response,
   * and count every retry. Returns the final response, or undefined after a transport failure.
   */
  async send(op: string, req: RestRequest, o: SendOptions = {}): Promise<KubeResponse | undefined> {
    const start = o.intendedMs ?? performance.now();
    if (o.signal && !raisedLimit.has(o.signal)) {
      // Every retry sleeping on the phase's signal adds a listener; hundreds in flight are expected.
      setMaxListeners(0, o.signal);
      raisedLimit.add(o.signal);
    }
    // In-flight requests are not aborted on SIGINT: they finish (bounded by their timeout) and are recorded.
    // Hot path: one attempt, no retry machinery unless the outcome calls for it.
    let value: KubeResponse | undefined;
    let error: unknown;
    try {
      value = await this.rest.request(req);
    } catch (e) {
      error = e;
    }
    if (!value || value.status === 429 || value.status >= 500) {
      const policy = o.retry ?? this.retry;
      if (policy.maxRetries > 0 && judgeAttempt(value, error).retryable) {
        ({ value, error } = await withRetries(() => this.rest.request(req), judgeAttempt, {
          policy,
          onRetry: o.recorder ? () => o.recorder!.retry(op) : undefined,
          signal: o.signal,
          first: { value, error },
        }));
      }
    }
    const end = performance.now();
    if (o.recorder)
      o.recorder.record(op, start, end, value ? outcomeOfResponse(value) : outcomeOfError(error));
    return value;
  }

  create(m: ResourceMapping, ns: string | undefined, body: string, op = 'create', o?: SendOptions) {
    return this.send(op, { method: 'POST', path: collectionPath(m, ns), body }, o);
  }

  get(m: ResourceMapping, ns: string | undefined, name: string, op = 'get', o?: SendOptions) {
    return this.send(op, { method: 'GET', path: objectPath(m, ns, name) }, o);
  }

  update(
    m: ResourceMapping,
    ns: string | undefined,
    name: string,
    body: string,
    op = 'update',
    o?: SendOptions,
  ) {
    return this.send(op, { method: 'PUT', path: objectPath(m, ns, name), body }, o);
  }

  patch(
    m: ResourceMapping,
    ns: string | undefined,
    name: string,
    body: string,
    type: PatchType,
    op = 'patch',
    o?: SendOptions,
  ) {
    const q = type === 'apply' ? `?fieldManager=${FIELD_MANAGER}&force=true` : '';
    return this.send(
      op,
      { method: 'PATCH', path: objectPath(m, ns, name) + q, body, contentType: patchContentType[type] },
      o,
    );
  }

  delete(m: ResourceMapping, ns: string | undefined, name: string, op = 'delete', o?: SendOptions) {
    // DeleteOptions as a query parameter, not a body: both are accepted by kube-apiserver, and a
    // DELETE body hangs over HTTP/2 on the embedded control plane (it answers before reading it).
    return this.send(
      op,
      { method: 'DELETE', path: `${objectPath(m, ns, name)}?propagationPolicy=Background` },
      o,
    );
  }

  list(m: ResourceMapping, ns: string | undefined, lo: ListOptions = {}, op = 'list', o?: SendOptions) {
    return this.send(op, { method: 'GET', path: collectionPath(m, ns) + listQuery(lo) }, o);
  }

  /**
   * Every item matching, following `continue` (unrecorded; for setup, cleanup and verification).
   * `metadataOnly` asks for PartialObjectMetadataList (names, labels, no data to transfer and parse);
   * a server without it answers with the full list.
   */
  async listAll<T = KubeObject>(
    m: ResourceMapping,
    ns: string | undefined,
    lo: ListOptions = {},
    opts: { metadataOnly?: boolean } = {},
  ): Promise<{ items: T[]; resourceVersion: string }> {
    const items: T[] = [];
    let cont: string | undefined;
    let rv = '';
    const accept = opts.metadataOnly ? METADATA_LIST_ACCEPT : undefined;
    do {
      const path = collectionPath(m, ns) + listQuery({ ...lo, limit: lo.limit ?? 500, continue: cont });
      const r = await this.send('list', { method: 'GET', path, accept });
      if (!r) throw new Error(`list ${m.resource}: connection failed`);
      if (r.status !== 200) throw new Error(`list ${m.resource}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
      const page = JSON.parse(r.body) as {
        items: T[];
        metadata: { continue?: string; resourceVersion: string };
      };
      items.push(...page.items);
      cont = page.metadata.continue || undefined;
      rv = rv || page.metadata.resourceVersion;
    } while (cont);
    return { items, resourceVersion: rv };
  }

  async close(): Promise<void> {
    await this.rest.close();
  }
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    generateName?: string;
    namespace?: string;
    labels?: Record<string, string>;
    resourceVersion?: string;
    generation?: number;
    deletionTimestamp?: string;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
