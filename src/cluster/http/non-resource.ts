/**
 * Non-resource endpoints: /version, health checks, /metrics and the OpenAPI documents kubectl
 * needs for `apply`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { errors } from '../api/status.js';
import type { ApiServer } from '../server.js';
import { serverVersion } from '../version.js';
import { openApiV2, openApiV3 } from './openapi.js';

const healthChecks = [
  'ping',
  'log',
  'etcd',
  'informer-sync',
  'poststarthook/start-apiextensions-informers',
  'poststarthook/crd-informer-synced',
];

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

function health(name: string, path: string, query: URLSearchParams): { code: number; body: string } {
  const rest = path.slice(name.length + 1);
  if (rest === '' || rest === '/') {
    if (query.has('verbose')) {
      const lines = healthChecks.map((c) => `[+]${c} ok`);
      return { code: 200, body: `${lines.join('\n')}\n${name.slice(1)} check passed\n` };
    }
    return { code: 200, body: 'ok' };
  }
  const check = rest.slice(1);
  if (healthChecks.includes(check)) return { code: 200, body: 'ok' };
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
    const doc = openApiV2(req.headers.accept);
    return text(res, 200, doc.body, doc.contentType, { Vary: 'Accept-Encoding, Accept' });
  }
  if (path === '/openapi/v3' || path.startsWith('/openapi/v3/')) {
    const doc = openApiV3(server.ctx.registry, path, query);
    if (!doc) throw errors.pageNotFound();
    if (doc.redirect) return text(res, 301, '', 'text/plain; charset=utf-8', { Location: doc.redirect });
    return text(res, 200, doc.body, doc.contentType, doc.headers);
  }
  throw errors.pageNotFound();
}
