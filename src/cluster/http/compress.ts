/**
 * Response writing with kube-apiserver's gzip rule: bodies of 128 KiB or more are gzipped (level 1,
 * BestSpeed, like its responsewriters) when the client sends `Accept-Encoding: gzip`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { gzipSync } from 'node:zlib';
import { endWithBackpressure } from '../api/backpressure.js';

/** defaultGzipThresholdBytes in k8s.io/apiserver/pkg/endpoints/handlers/responsewriters. */
const gzipThresholdBytes = 128 * 1024;

function acceptsGzip(req: IncomingMessage | Http2ServerRequest): boolean {
  const ae = req.headers['accept-encoding'];
  return typeof ae === 'string' && /(^|[\s,])gzip\b/i.test(ae);
}

/** Writes a complete response; returns the status code. */
export function send(
  req: IncomingMessage | Http2ServerRequest,
  res: ServerResponse | Http2ServerResponse,
  code: number,
  body: string | Buffer,
  contentType: string,
  extra: Record<string, string | string[]> = {},
): number {
  const headers: Record<string, string | string[]> = {
    'Cache-Control': 'no-cache, private',
    'Content-Type': contentType,
    ...extra,
  };
  let out: string | Buffer = body;
  let size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (size >= gzipThresholdBytes && acceptsGzip(req)) {
    out = gzipSync(body, { level: 1 });
    size = out.length;
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Length'] = String(size);
  (res as ServerResponse).writeHead(code, headers);
  endWithBackpressure(res, out);
  return code;
}
