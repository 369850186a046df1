/**
 * Non-resource endpoints: /version, health checks, /metrics and the OpenAPI documents kubectl
 * needs for `apply`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { errors } from '../api/status.js';
import type { ApiServer } from '../server.js';
import { serverVersion } from '../version.js';
import { send } from './compress.js';

/** kube-apiserver v1.28's checks, in its order (readyz as captured; livez and healthz lack the readiness-only ones). */
const readyzChecks = [
  'ping',
  'log',
  'etcd',
  'etcd-readiness',
  'informer-sync',
  ...[
    'start-kube-apiserver-admission-initializer',
    'generic-apiserver-start-informers',
    'priority-and-fairness-config-consumer',
    'priority-and-fairness-filter',
    'storage-object-count-tracker-hook',
    'start-apiextensions-informers',
    'start-apiextensions-controllers',
    'crd-informer-synced',
    'start-service-ip-repair-controllers',
    'rbac/bootstrap-roles',
    'scheduling/bootstrap-system-priority-classes',
    'priority-and-fairness-config-producer',
    'start-system-namespaces-controller',
    'bootstrap-controller',
    'start-cluster-authentication-info-controller',
    'start-kube-apiserver-identity-lease-controller',
    'start-deprecated-kube-apiserver-identity-lease-garbage-collector',
    'start-kube-apiserver-identity-lease-garbage-collector',
    'start-legacy-token-tracking-controller',
    'start-kube-aggregator-informers',
    'apiservice-registration-controller',
    'apiservice-status-available-controller',
    'kube-apiserver-autoregistration',
  ].map((h) => `poststarthook/${h}`),
  'autoregister-completion',
  'poststarthook/apiservice-openapi-controller',
  'poststarthook/apiservice-openapiv3-controller',
  'poststarthook/apiservice-discovery-controller',
  'shutdown',
];
const readinessOnly = new Set(['etcd-readiness', 'informer-sync', 'shutdown']);
const healthChecks: Record<string, string[]> = {
  '/readyz': readyzChecks,
  '/livez': readyzChecks.filter((c) => !readinessOnly.has(c)),
  '/healthz': readyzChecks.filter((c) => !readinessOnly.has(c)),
};

function text(
  res: ServerResponse | Http2ServerResponse,
  code: number,
  body: string,
  type = 'text/plain; charset=utf-8',
  extra: Record<string, string> = {},
): number {
  (res as ServerResponse).writeHead(code, {
    'Content-Type': type,
    'Cache-Control': 'no-cache, private',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': String(Buffer.byteLength(body)),
    ...extra,
  });
  res.end(body);
  return code;
}

/** healthz.handleRootHealth: `ok`, or with `?verbose` every check (and `?exclude=` ones) listed. */
function health(name: string, path: string, query: URLSearchParams): { code: number; body: string } {
  const checks = healthChecks[name]!;
  const rest = path.slice(name.length + 1);
  if (rest === '' || rest === '/') {
    if (!query.has('verbose')) return { code: 200, body: 'ok' };
    const excluded = new Set(query.getAll('exclude'));
    const lines = checks.map((c) => (excluded.delete(c) ? `[+]${c} excluded: ok` : `[+]${c} ok`));
    if (excluded.size) {
      const names = [...excluded].sort().map((e) => JSON.stringify(e));
      lines.push(`warn: some health checks cannot be excluded: no matches for ${names.join(', ')}`);
    }
    return { code: 200, body: `${lines.join('\n')}\n${name.slice(1)} check passed\n` };
  }
  if (checks.includes(rest.slice(1))) return { code: 200, body: 'ok' };
  return { code: 404, body: '404 page not found\n' };
}

export function handleNonResource(
  server: ApiServer,
  path: string,
  query: URLSearchParams,
  req: IncomingMessage | Http2ServerRequest,
  res: ServerResponse | Http2ServerResponse,
): number {
  if (path === '/version' || path === '/version/') {
    return text(res, 200, JSON.stringify(serverVersion, null, 2), 'application/json');
  }
  for (const name of ['/healthz', '/livez', '/readyz']) {
    if (path === name || path.startsWith(name + '/')) {
      const h = health(name, path, query);
      return text(res, h.code, h.body);
    }
  }
  if (path === '/metrics') {
    const keys = new Set(server.ctx.registry.all().map((t) => t.storageKey));
    const body = server.metrics.render(keys) + (server.ctx.controllers?.render() ?? '');
    return text(res, 200, body, 'text/plain; version=0.0.4; charset=utf-8');
  }
  if (path === '/metrics/cadvisor') {
    return text(res, 200, server.containers.render(), 'text/plain; version=0.0.4; charset=utf-8');
  }
  if (path === '/openapi/v2' || path === '/swagger-2.0.0.pb-v1') {
    if (req.headers.accept?.includes('protobuf')) {
      const pb = server.openapi.v2Protobuf();
      return send(req, res, 200, pb.body, 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', {
        ETag: `"${pb.etag}"`,
        Vary: 'Accept-Encoding, Accept',
      });
    }
    const doc = server.openapi.v2();
    return send(req, res, 200, doc.body, 'application/json', {
      ETag: `"${doc.etag}"`,
      Vary: 'Accept-Encoding, Accept',
    });
  }
  if (path === '/openapi/v3' || path.startsWith('/openapi/v3/')) {
    const doc = server.openapi.v3(path.slice('/openapi/v3/'.length), query.get('hash'));
    if (!doc) throw errors.pageNotFound();
    return send(req, res, doc.code, doc.body, doc.contentType, doc.headers);
  }
  throw errors.pageNotFound();
}
