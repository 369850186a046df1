/**
 * The embedded Kubernetes-compatible API server (in-process). `launch.ts` runs it in a child
 * process so it never shares an event loop with a load generator.
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { collectionRequest, objectRequest } from './http/dispatch.js';
import { Discovery, wantsAggregated } from './api/discovery.js';
import { OpenApi } from './http/openapi.js';
import { send as sendCompressed } from './http/compress.js';
import { negotiate, type Negotiated } from './api/codec.js';
import { encodeEnvelope, hasProtobuf, protobufBody, protobufContentType } from './api/protobuf.js';
import { ApiError, errors } from './api/status.js';
import { ResourceRegistry, inBuiltinGroup, type ResourceType } from './api/resources.js';
import type { ApiContext, ApiRequest, ApiResult } from './api/context.js';
import { servesSubresource } from './api/subresources.js';
import { admit } from './crd/admission.js';
import { startCrdController } from './crd/controller.js';
import { startSimulation } from './sim/index.js';
import { installBuiltins, type Builtins } from './builtins/index.js';
import { startNamespaceController } from './controllers/namespace.js';
import { startGarbageCollector } from './controllers/gc.js';
import { Knobs, ResetConnection, type KnobVerbName } from './http/knobs.js';
import { Metrics, type RequestLabels } from './http/metrics.js';
import { ContainerMetrics } from './http/cadvisor.js';
import { ControllerRuntimeMetrics } from '../metrics/controller-runtime.js';
import { route, type Route } from './http/route.js';
import { serveWatch } from './api/watch.js';
import { ClusterOptionsSchema, type ClusterOptions, type ClusterOptionsInput } from './options.js';
import { Store } from './store/store.js';
import { ScopeRouter } from './scopes/router.js';
import { installMilo } from './milo/install.js';
import { encodeYaml } from './api/codec.js';
import { bootstrapV128, createAsApiServer } from './api/bootstrap.js';
import { makeTlsMaterial } from './tls.js';
import { handleNonResource } from './http/non-resource.js';
import { metricPath, metricVerb, readBody } from './http/request-kit.js';
import { attributesOf, authenticate, authorize, impersonated, isAdmin, type UserInfo } from './http/auth.js';
import { queryBool, validateListOptions } from './api/request-options.js';
import { parseRv } from './api/list.js';
import { http2Serving } from './api/backpressure.js';

export interface ClusterServer {
  url: string;
  token: string;
  caPem?: string;
  close(): Promise<void>;
}

export type ClusterServerOptions = ClusterOptionsInput & {
  host?: string;
  port?: number;
  tls?: boolean;
  /**
   * Plain HTTP where requests without credentials act as a cluster admin (`system:unsecured`), like
   * kube-apiserver's removed insecure port: kubectl never sends a bearer token over plain HTTP.
   */
  insecurePort?: boolean;
};

export { maxRequestBodyBytes } from './http/request-kit.js';

export { serverVersion } from './version.js';

type AnyReq = IncomingMessage | http2.Http2ServerRequest;
type AnyRes = ServerResponse | http2.Http2ServerResponse;

const mutating = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class ApiServer {
  readonly ctx: ApiContext;
  readonly discovery: Discovery;
  readonly openapi: OpenApi;
  readonly metrics: Metrics;
  /** cAdvisor-style container metrics of the real processes (this one, registered controllers). */
  readonly containers: ContainerMetrics;
  readonly knobs: Knobs;
  readonly token: string;
  private readonly bearer: string;
  private address = '127.0.0.1:0';
  /** Requests that negotiated protobuf: their errors are protobuf Status too. */
  private protobufErrors = new WeakSet<AnyReq>();
  private watches = new Set<() => void>();
  private stopFns: (() => void)[] = [];
  private readonly builtins: Builtins;
  /** Path-scoped control planes (src/cluster/scopes): Milo's projects, `scopes:` of the options. */
  readonly scopes: ScopeRouter;
  readonly opts: ClusterOptions;

  constructor(
    options: ClusterOptionsInput = {},
    private readonly serving: { insecurePort?: boolean } = {},
  ) {
    this.opts = ClusterOptionsSchema.parse(options);
    const store = new Store(this.opts.watchCacheSize);
    const registry = new ResourceRegistry();
    this.ctx = {
      store,
      registry,
      hooks: { admit, tokenValid: (t) => t === this.token },
      controllers: new ControllerRuntimeMetrics(),
    };
    this.builtins = installBuiltins(this.ctx, { serviceCIDR: this.opts.serviceCIDR });
    this.stopFns.push(() => this.builtins.stop());
    this.token = this.opts.token ?? randomBytes(24).toString('hex');
    this.bearer = `Bearer ${this.token}`;
    this.discovery = new Discovery(registry, () => this.address);
    this.openapi = new OpenApi(registry);
    this.knobs = new Knobs(this.opts);
    this.scopes = new ScopeRouter(this.ctx, this.opts.watchCacheSize);
    this.stopFns.push(() => this.scopes.stop());
    this.metrics = new Metrics({ count: (key) => store.count(key) + this.scopes.count(key) }, () =>
      this.knobs.maxLastSecond(),
    );
    this.containers = new ContainerMetrics(this.opts.apiserverContainer);
    this.bootstrap();
    bootstrapV128(this.ctx);
    this.stopFns.push(startNamespaceController(this.ctx));
    this.stopFns.push(startCrdController(this.ctx));
    this.stopFns.push(startGarbageCollector(this.ctx));
    this.stopFns.push(startSimulation(this.ctx, this.opts));
    // After the controllers: Milo's CRDs are established by the CRD controller.
    for (const sc of this.opts.scopes ?? [])
      this.scopes.add({ kind: 'scope', prefix: sc.prefix, storage: 'isolated', namespaces: sc.namespaces });
    if (this.opts.milo) installMilo(this.ctx, this.scopes);
    if (this.opts.dropWatchesEvery) {
      const t = setInterval(() => this.dropWatches(), this.opts.dropWatchesEvery);
      t.unref();
      this.stopFns.push(() => clearInterval(t));
    }
  }

  setAddress(hostPort: string): void {
    this.address = hostPort;
    this.builtins.listening(hostPort);
  }

  private bootstrap(): void {
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
      createAsApiServer(this.ctx, 'v1', 'namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
      });
    this.builtins.bootstrap();
  }

  /** Closes every open watch (fault knob and shutdown). */
  dropWatches(): void {
    for (const close of [...this.watches]) close();
  }

  stop(): void {
    this.knobs.stop();
    this.dropWatches();
    for (const f of this.stopFns) f();
  }

  /** Entry point for every HTTP request. */
  handle = (req: AnyReq, res: AnyRes): void => {
    const started = performance.now();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    let pathname = q < 0 ? url : url.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    const labels: RequestLabels = {
      verb: req.method ?? 'GET',
      group: '',
      version: '',
      resource: '',
      subresource: '',
      scope: '',
      component: '',
    };
    const done = (code: number): void =>
      this.metrics.observe(labels, code, (performance.now() - started) / 1000);
    try {
      const method = req.method ?? 'GET';
      // A path-scoped control plane: the rest of the request runs against its context.
      const scoped = this.scopes.active ? this.scopes.resolve(pathname) : undefined;
      const ctx = scoped?.ctx ?? this.ctx;
      if (scoped) pathname = scoped.path;
      const r = route(pathname);
      const user = this.authorize(req, r, method, pathname, query);
      if (scoped?.error) throw scoped.error;
      if (this.containers.isNodeProxyPath(pathname)) {
        Object.assign(labels, { version: 'v1', resource: 'nodes', subresource: 'proxy', scope: 'resource' });
        labels.component = 'apiserver';
        done(handleNonResource(this, '/metrics/cadvisor', query, req, res));
        return;
      }
      if (r.kind === 'nonResource') {
        labels.subresource = metricPath(pathname);
        const code = handleNonResource(this, pathname, query, req, res);
        done(code);
        return;
      }
      if (r.kind === 'discovery') {
        labels.subresource = r.doc === 'api' ? '/api' : r.doc === 'apis' ? '/apis' : '/apis/*';
        done(this.serveDiscovery(r, req, res));
        return;
      }
      const [group, version] = r.groupVersion.includes('/')
        ? r.groupVersion.split('/')
        : ['', r.groupVersion];
      const rt = ctx.registry.get(r.groupVersion, r.plural);
      // Label values come from the URL only once it names a served resource (bounded cardinality).
      if (rt) {
        labels.group = group!;
        labels.version = version!;
      }
      if (!rt || r.bad || !this.subresourceOk(rt, r.subresource)) {
        throw inBuiltinGroup(r.groupVersion) || (rt && r.subresource)
          ? rt && rt.custom && r.subresource === 'status'
            ? errors.notFound(rt, r.name ?? '')
            : errors.unknownResource()
          : errors.pageNotFound();
      }
      labels.resource = rt.plural;
      labels.subresource = r.subresource ?? '';
      labels.component = 'apiserver';
      labels.scope = r.name ? 'resource' : r.ns ? 'namespace' : 'cluster';
      const isWatch = method === 'GET' && (r.watchPath || (!r.name && queryBool(query, 'watch')));
      if (method === 'HEAD') throw errors.methodNotAllowed();
      const knobVerb = this.knobVerb(method, !!r.name, isWatch, req.headers['content-type']);
      // Verbs a resource does not list (componentstatuses: get/list; reviews: create) → 405.
      if (!r.subresource && !rt.custom && !rt.verbs.includes(knobVerb === 'apply' ? 'patch' : knobVerb))
        throw errors.methodNotAllowed();
      labels.verb = metricVerb(method, !!r.name, isWatch, req.headers['content-type']);
      const apiReq: ApiRequest = {
        method,
        rt,
        ns: rt.namespaced ? r.ns : '',
        name: r.name,
        subresource: r.subresource,
        query,
        contentType: req.headers['content-type'],
        userAgent: req.headers['user-agent'],
        user,
        upgrade: !!req.headers.upgrade,
      };
      if (scoped) {
        apiReq.scope = scoped.scope;
        scoped.kind.decorate?.(apiReq, scoped.scope.name);
      }
      if (!rt.namespaced && r.ns) throw errors.unknownResource();
      let neg = negotiate(req.headers.accept);
      if (neg?.type === 'protobuf' && !neg.metadataOnly && !hasProtobuf(rt)) neg = neg.fallback;
      if (!neg) {
        throw errors.notAcceptable();
      }
      apiReq.protobuf = neg.type === 'protobuf';
      if (apiReq.protobuf) this.protobufErrors.add(req);
      apiReq.table = neg.table && method === 'GET' && !r.subresource;
      apiReq.tableVersion = neg.tableVersion;
      apiReq.metadataOnly = neg.metadataOnly && method === 'GET' && !r.subresource;
      if (isWatch) {
        this.metrics.longrunning(labels, +1);
        res.on('close', () => this.metrics.longrunning(labels, -1));
        this.knobs.before(knobVerb, mutating.has(method), true, (err) => {
          if (err) return this.fail(err, req, res, done);
          try {
            serveWatch(ctx, apiReq, res, {
              bookmarkIntervalMs: this.opts.bookmarkInterval ?? 60_000,
              register: (close) => {
                this.watches.add(close);
                const untrack = scoped?.track(close);
                return () => {
                  this.watches.delete(close);
                  untrack?.();
                };
              },
              onEvent: (k, bytes) => this.metrics.watchEvent(k, bytes),
            });
            res.on('close', () => done(200));
          } catch (e) {
            this.fail(e, req, res, done);
          }
        });
        return;
      }
      this.knobs.before(knobVerb, mutating.has(method), false, (err, release) => {
        if (err) return this.fail(err, req, res, done);
        const finish = (code: number): void => {
          release?.();
          done(code);
        };
        const run = (body?: Buffer): void => {
          try {
            apiReq.body = body;
            const result = r.name ? objectRequest(ctx, apiReq) : collectionRequest(ctx, apiReq);
            if (apiReq.warnings) result.warnings = [...apiReq.warnings, ...(result.warnings ?? [])];
            if (rt.deprecationWarning) result.warnings = [...(result.warnings ?? []), rt.deprecationWarning];
            finish(this.send(req, res, result, neg.type, query));
          } catch (e) {
            release?.();
            this.fail(e, req, res, done);
          }
        };
        if (method === 'GET' || method === 'HEAD') {
          const rvParam = query.get('resourceVersion');
          // A GET at an RV reads the watch cache like a LIST does: `abc` is its 500, a future RV waits.
          if (r.name && rvParam) parseRv(rvParam);
          const wanted = rvParam && /^\d+$/.test(rvParam) ? Number(rvParam) : 0;
          if (
            wanted > ctx.store.currentRv &&
            (r.name || (query.get('resourceVersionMatch') !== 'Exact' && !query.get('continue')))
          ) {
            if (!r.name) validateListOptions(query, false);
            // Like the watch cache: wait up to 3 s for the requested RV, then 504 Timeout.
            this.waitForRv(ctx.store, wanted, 3000, (reached) => {
              if (reached) run();
              else {
                release?.();
                this.fail(errors.tooLargeResourceVersion(wanted, ctx.store.currentRv), req, res, done);
              }
            });
          } else run();
        } else readBody(req, (e, body) => (e ? (release?.(), this.fail(e, req, res, done)) : run(body)));
      });
    } catch (e) {
      this.fail(e, req, res, done);
    }
  };

  /**
   * Authentication and authorization (http/auth.ts): 401 for a wrong token, 403 for what the user
   * may not do. Returns the user the request acts as.
   */
  private authorize(req: AnyReq, r: Route, method: string, path: string, query: URLSearchParams): UserInfo {
    const h = req.headers;
    let user = authenticate(h.authorization, this.bearer, !!this.serving.insecurePort);
    if (h['impersonate-user'] !== undefined)
      user = impersonated(user, h['impersonate-user'], h['impersonate-group']);
    if (!isAdmin(user)) authorize(user, attributesOf(r, method, path, query));
    return user;
  }

  private waitForRv(store: Store, rv: number, ms: number, cb: (reached: boolean) => void): void {
    const deadline = performance.now() + ms;
    const tick = (): void => {
      if (store.currentRv >= rv) cb(true);
      else if (performance.now() >= deadline) cb(false);
      else setTimeout(tick, 50).unref();
    };
    tick();
  }

  private subresourceOk(rt: ResourceType, sub: string | undefined): boolean {
    if (sub === undefined) return true;
    if (sub === 'status') return !!rt.subresources.status;
    if (sub === 'scale') return !!rt.subresources.scale;
    return servesSubresource(rt, sub);
  }

  private knobVerb(method: string, named: boolean, watch: boolean, ct: string | undefined): KnobVerbName {
    if (watch) return 'watch';
    switch (method) {
      case 'GET':
        return named ? 'get' : 'list';
      case 'POST':
        return 'create';
      case 'PUT':
        return 'update';
      case 'PATCH':
        return ct?.startsWith('application/apply-patch') ? 'apply' : 'patch';
      case 'DELETE':
        return named ? 'delete' : 'deletecollection';
      default:
        return 'get';
    }
  }

  /** negotiation.isPrettyPrint: `?pretty=` as strconv.ParseBool (invalid → false), else the User-Agent. */
  private pretty(req: AnyReq, query: URLSearchParams): boolean {
    const p = query.get('pretty');
    if (p) return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(p);
    const ua = req.headers['user-agent'];
    return !!ua && (ua.startsWith('curl') || ua.startsWith('Wget') || ua.startsWith('Mozilla/5.0'));
  }

  /** Writes a JSON result; returns the status code. */
  send(
    req: AnyReq,
    res: AnyRes,
    result: ApiResult,
    type: Negotiated['type'],
    query: URLSearchParams,
  ): number {
    if (result.contentType)
      return this.sendBody(req, res, result, Buffer.from(result.body), result.contentType);
    if (type === 'protobuf') {
      const pb = protobufBody(result);
      if (pb) return this.sendBody(req, res, result, pb, protobufContentType);
    }
    let body: string;
    if (type === 'yaml') body = encodeYaml(result.body);
    else if (this.pretty(req, query)) body = JSON.stringify(JSON.parse(result.body), null, 2);
    else body = result.body + '\n';
    // A string body lets Node send headers and body in one write (a Buffer body means a writev of
    // two chunks); large ones go out in chunks that wait for 'drain'.
    return this.sendBody(req, res, result, body, type === 'yaml' ? 'application/yaml' : 'application/json');
  }

  private sendBody(
    req: AnyReq,
    res: AnyRes,
    result: ApiResult,
    body: string | Buffer,
    contentType: string,
  ): number {
    const headers: Record<string, string | string[]> = {};
    if (result.warnings?.length) headers.Warning = result.warnings.map((w) => `299 - ${JSON.stringify(w)}`);
    return sendCompressed(req, res, result.code, body, contentType, headers);
  }

  private fail(e: unknown, req: AnyReq, res: AnyRes, done: (code: number) => void): void {
    if (e instanceof ResetConnection) {
      // The fault knob: drop the TCP connection without an answer (clients see ECONNRESET).
      const stream = (res as http2.Http2ServerResponse).stream;
      if (stream && typeof stream.close === 'function') stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      else req.socket.destroy();
      done(0);
      return;
    }
    const err = e instanceof ApiError ? e : errors.internal(e instanceof Error ? e.message : String(e));
    if (!(e instanceof ApiError))
      process.stderr.write(`kubeperf cluster: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    if (res.headersSent) {
      res.end();
      done(err.code);
      return;
    }
    const headers: Record<string, string> = { 'Cache-Control': 'no-cache, private', ...(err.headers ?? {}) };
    let body: string | Buffer;
    const status =
      err.plain === undefined && this.protobufErrors.has(req) ? encodeEnvelope(err.toStatus()) : undefined;
    if (status) {
      // A protobuf client gets its Status in protobuf too (the negotiated serializer).
      headers['Content-Type'] = protobufContentType;
      body = status;
    } else if (err.plain !== undefined) {
      headers['Content-Type'] = 'text/plain; charset=utf-8';
      body = err.plain;
    } else {
      headers['Content-Type'] = 'application/json';
      body = this.pretty(req, new URLSearchParams((req.url ?? '').split('?')[1] ?? ''))
        ? JSON.stringify(err.toStatus(), null, 2)
        : JSON.stringify(err.toStatus()) + '\n';
    }
    headers['Content-Length'] = String(Buffer.byteLength(body));
    (res as ServerResponse).writeHead(err.code, headers);
    res.end(body);
    done(err.code);
  }

  private serveDiscovery(
    r: { doc: 'api' | 'apis' | 'group' | 'resources'; group?: string; groupVersion?: string },
    req: AnyReq,
    res: AnyRes,
  ): number {
    const accept = req.headers.accept;
    let doc;
    if (r.doc === 'api' || r.doc === 'apis') {
      const mode = wantsAggregated(accept);
      if (mode === 'none') throw errors.notAcceptable();
      doc =
        r.doc === 'api'
          ? this.discovery.api(mode === 'aggregated')
          : this.discovery.apis(mode === 'aggregated');
    } else if (r.doc === 'group') {
      doc = this.discovery.group(r.group!);
    } else {
      doc = this.discovery.resources(r.groupVersion!);
      if (!doc && inBuiltinGroup(r.groupVersion!)) {
        throw errors.unknownResource();
      }
    }
    if (!doc) throw errors.pageNotFound();
    const headers: Record<string, string> = { 'Content-Type': doc.contentType };
    if (doc.etag) {
      headers.ETag = doc.etag;
      headers['Cache-Control'] = 'public';
      headers.Vary = 'Accept';
      if (req.headers['if-none-match'] === doc.etag) {
        (res as ServerResponse).writeHead(304, headers);
        res.end();
        return 304;
      }
    } else headers['Cache-Control'] = 'no-cache, private';
    const body = doc.body + '\n';
    headers['Content-Length'] = String(Buffer.byteLength(body));
    (res as ServerResponse).writeHead(200, headers);
    res.end(body);
    return 200;
  }
}

/** Starts an in-process server (tests and the child process of launch.ts). */
export async function startClusterServer(
  opts: ClusterServerOptions = {},
): Promise<ClusterServer & { api: ApiServer }> {
  const { host = '127.0.0.1', port = 0, tls = false, insecurePort = false, ...clusterOpts } = opts;
  if (tls && insecurePort) throw new Error('insecurePort is plain HTTP: it cannot be combined with tls');
  const api = new ApiServer(clusterOpts, { insecurePort });
  let caPem: string | undefined;
  let server: http.Server | http2.Http2SecureServer;
  if (tls) {
    const material = await makeTlsMaterial(host);
    caPem = material.caPem;
    server = http2.createSecureServer(
      {
        cert: material.certPem,
        key: material.keyPem,
        allowHTTP1: true,
        maxSessionMemory: http2Serving.maxSessionMemory,
        settings: http2Serving.settings,
      },
      api.handle,
    );
    server.on('session', (session: http2.ServerHttp2Session) =>
      session.setLocalWindowSize(http2Serving.connectionWindowSize),
    );
  } else {
    server = http.createServer(
      { keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 },
      api.handle,
    );
    server.maxHeadersCount = 200;
  }
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s: import('node:net').Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err: Error, socket: import('node:net').Socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const hostPart = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  api.setAddress(`${hostPart}:${addr.port}`);
  const url = `${tls ? 'https' : 'http'}://${hostPart}:${addr.port}`;
  return {
    url,
    token: api.token,
    caPem,
    api,
    close: () =>
      new Promise<void>((resolve) => {
        api.stop();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
