/**
 * The Kubernetes client of a controller: src/kube's REST pool and KubeClient behind client-go's
 * client-side rate limiter (rest.Config QPS/Burst: a token bucket every request, watches included,
 * waits on), plus the verbs controllers use with their own field manager, status subresource writes
 * and preconditioned deletes. Errors are ApiError with the Status reason, so reconcilers can branch
 * on NotFound / Conflict like apierrors.IsNotFound.
 */
import { KubeClient, patchContentType, type KubeObject, type ListOptions } from '../../kube/client.js';
import { credentialsFromKubeConfig, type Credentials } from '../../kube/credentials.js';
import { objectPath, type ResourceMapping } from '../../kube/discovery.js';
import { loadKubeConfig } from '../../kube/kubeconfig.js';
import { statusOf, type KubeResponse } from '../../kube/response.js';
import { RestClient, type RestRequest } from '../../kube/rest.js';
import { TokenBucket } from '../../load/token-bucket.js';
import { sleep } from '../../load/sleep.js';
import type { ControllerMetrics, RestClientMetrics } from './metrics.js';

export interface ClientLimits {
  /** client-go QPS (0 = unlimited). */
  qps: number;
  burst: number;
}

class ThrottledRestClient extends RestClient {
  constructor(
    credentials: Credentials,
    private readonly limiter: TokenBucket,
    private readonly metrics: RestClientMetrics | undefined,
    userAgent: string,
  ) {
    // HTTP/1.1: DELETE carries DeleteOptions preconditions in its body, which the embedded control
    // plane answers early over HTTP/2.
    super(credentials, { connections: 32, allowH2: false, userAgent });
  }

  /** Waits for a token like client-go's tryThrottle; the wait is recorded per verb. */
  private async throttle(method: string): Promise<void> {
    const waitMs = this.limiter.reserve();
    if (waitMs > 0) await sleep(waitMs);
    this.metrics?.throttled(method, waitMs / 1000);
  }

  override async request(req: RestRequest): Promise<KubeResponse> {
    await this.throttle(req.method);
    const t0 = performance.now();
    try {
      const r = await super.request(req);
      this.metrics?.request(req.method, r.status, (performance.now() - t0) / 1000);
      return r;
    } catch (e) {
      this.metrics?.request(req.method, '<error>', (performance.now() - t0) / 1000);
      throw e;
    }
  }

  override async stream(path: string, signal?: AbortSignal) {
    await this.throttle('WATCH');
    const r = await super.stream(path, signal);
    this.metrics?.request('GET', r.status, 0);
    return r;
  }
}

/** A KubeClient for a controller process from a kubeconfig, behind its own QPS/burst. */
export async function connectController(
  kubeconfig: { path: string; context?: string },
  limits: ClientLimits,
  o: { metrics?: ControllerMetrics; userAgent?: string } = {},
): Promise<ControllerClient> {
  const { kc } = loadKubeConfig({ kubeconfig: kubeconfig.path, context: kubeconfig.context });
  const creds = await credentialsFromKubeConfig(kc);
  const rest = new ThrottledRestClient(
    creds,
    new TokenBucket(limits.qps, limits.burst),
    o.metrics?.restClient(new URL(creds.server).host),
    o.userAgent ?? 'kubeperf-controller',
  );
  return new ControllerClient(rest, 'controller');
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.status === 404;
export const isConflict = (e: unknown): boolean => e instanceof ApiError && e.status === 409;

function check(what: string, r: KubeResponse | undefined): KubeResponse {
  if (!r) throw new ApiError(0, 'ConnectionFailed', `${what}: connection failed`);
  if (r.status >= 200 && r.status < 300) return r;
  const s = statusOf(r);
  throw new ApiError(r.status, s.reason, `${what}: ${r.status} ${s.reason}: ${s.message}`);
}

const json = <T>(r: KubeResponse): T => JSON.parse(r.body) as T;

/** KubeClient plus the verbs controllers need, each throwing ApiError on a non-2xx answer. */
export class ControllerClient extends KubeClient {
  async getObject<T = KubeObject>(m: ResourceMapping, ns: string | undefined, name: string): Promise<T> {
    return json<T>(check(`get ${m.resource} ${ns ?? ''}/${name}`, await this.get(m, ns, name)));
  }

  /** The object, or undefined when it does not exist. */
  async tryGet<T = KubeObject>(
    m: ResourceMapping,
    ns: string | undefined,
    name: string,
  ): Promise<T | undefined> {
    try {
      return await this.getObject<T>(m, ns, name);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async listObjects<T = KubeObject>(
    m: ResourceMapping,
    ns: string | undefined,
    lo: ListOptions = {},
  ): Promise<T[]> {
    const r = check(`list ${m.resource}`, await this.list(m, ns, lo));
    return json<{ items: T[] }>(r).items;
  }

  async createObject<T = KubeObject>(m: ResourceMapping, ns: string | undefined, obj: unknown): Promise<T> {
    return json<T>(check(`create ${m.resource}`, await this.create(m, ns, JSON.stringify(obj))));
  }

  async updateObject<T = KubeObject>(
    m: ResourceMapping,
    obj: KubeObject,
    subresource?: 'status',
  ): Promise<T> {
    const ns = m.namespaced ? obj.metadata.namespace : undefined;
    const path = objectPath(m, ns, obj.metadata.name!) + (subresource ? `/${subresource}` : '');
    const r = await this.send('update', { method: 'PUT', path, body: JSON.stringify(obj) });
    return json<T>(
      check(
        `update ${m.resource}${subresource ? '/' + subresource : ''} ${ns ?? ''}/${obj.metadata.name}`,
        r,
      ),
    );
  }

  /** Server-side apply with this field manager, forced (takes ownership on conflicts). */
  async applyObject<T = KubeObject>(m: ResourceMapping, obj: KubeObject, fieldManager: string): Promise<T> {
    const ns = m.namespaced ? obj.metadata.namespace : undefined;
    const path = `${objectPath(m, ns, obj.metadata.name!)}?fieldManager=${encodeURIComponent(fieldManager)}&force=true`;
    const r = await this.send('apply', {
      method: 'PATCH',
      path,
      body: JSON.stringify(obj),
      contentType: patchContentType.apply,
    });
    return json<T>(check(`apply ${m.resource} ${ns ?? ''}/${obj.metadata.name}`, r));
  }

  async mergePatch<T = KubeObject>(
    m: ResourceMapping,
    ns: string | undefined,
    name: string,
    patch: unknown,
  ): Promise<T> {
    const r = await this.patch(m, ns, name, JSON.stringify(patch), 'merge');
    return json<T>(check(`patch ${m.resource} ${ns ?? ''}/${name}`, r));
  }

  /** Delete with optional UID/resourceVersion preconditions; a missing object is not an error. */
  async deleteObject(
    m: ResourceMapping,
    ns: string | undefined,
    name: string,
    o: { uid?: string; propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' } = {},
  ): Promise<boolean> {
    const body = JSON.stringify({
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: o.propagationPolicy ?? 'Background',
      ...(o.uid ? { preconditions: { uid: o.uid } } : {}),
    });
    const r = await this.send('delete', { method: 'DELETE', path: objectPath(m, ns, name), body });
    if (r?.status === 404) return false;
    check(`delete ${m.resource} ${ns ?? ''}/${name}`, r);
    return true;
  }
}
