/**
 * Request-level helpers of the API server: body reading with the size cap and metric label values.
 */
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { errors } from '../api/status.js';

type AnyReq = IncomingMessage | Http2ServerRequest;

/** The real request cap of kube-apiserver (3 MiB). */
export const maxRequestBodyBytes = 3 * 1024 * 1024;

/** Reads a request body up to the real 3 MiB cap (413 beyond). */
export function readBody(req: AnyReq, cb: (e: unknown, body?: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  const len = Number(req.headers['content-length'] ?? '-1');
  if (len > maxRequestBodyBytes) {
    cb(errors.requestEntityTooLarge(maxRequestBodyBytes));
    req.resume();
    return;
  }
  req.on('data', (c: Buffer) => {
    if (failed) return;
    size += c.length;
    if (size > maxRequestBodyBytes) {
      failed = true;
      cb(errors.requestEntityTooLarge(maxRequestBodyBytes));
      return;
    }
    chunks.push(c);
  });
  req.on('end', () => {
    if (!failed) cb(undefined, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  });
  req.on('error', (e) => {
    if (!failed) {
      failed = true;
      cb(e);
    }
  });
}

const metricPaths = ['/version', '/healthz', '/livez', '/readyz', '/metrics', '/openapi/v2', '/openapi/v3'];

/** Non-resource paths as metric label: known endpoints by prefix, everything else "other". */
export function metricPath(path: string): string {
  for (const p of metricPaths) if (path === p || path.startsWith(p + '/')) return p;
  return 'other';
}

export function metricVerb(method: string, named: boolean, watch: boolean, ct: string | undefined): string {
  if (watch) return 'WATCH';
  if (method === 'GET') return named ? 'GET' : 'LIST';
  if (method === 'PATCH' && ct?.startsWith('application/apply-patch')) return 'APPLY';
  return method;
}
