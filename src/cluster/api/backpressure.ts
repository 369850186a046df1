/**
 * Response writing that honours back-pressure. Node's HTTP/2 session counts every byte written to
 * a stream but not yet sent against `maxSessionMemory`, and refuses new streams of that session
 * with RST_STREAM ENHANCE_YOUR_CALM once it is exceeded: one `end(body)` of a 1 MB LIST per stream
 * on 16 concurrent streams did exactly that to well-behaved clients (client-go, Node's http2). So
 * large bodies go out in bounded chunks, the next one only after `drain`, and the session's memory
 * stays within chunk × concurrent streams.
 */
import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';

type AnyRes = ServerResponse | Http2ServerResponse;

/** Bytes handed to the stream at a time. */
export const chunkBytes = 64 * 1024;

/** HTTP/2 settings and session limits (what Go's http2 server and kube-apiserver use). */
export const http2Serving = {
  /** MB; must hold chunkBytes × maxConcurrentStreams plus nghttp2's own state. */
  maxSessionMemory: 64,
  settings: {
    /** Go's default, which kube-apiserver keeps when --http2-max-streams-per-connection is 0. */
    maxConcurrentStreams: 250,
    /** kube-apiserver's MaxUploadBufferPerStream (256 KiB) instead of HTTP/2's 64 KiB default. */
    initialWindowSize: 256 * 1024,
  },
  /** kube-apiserver's MaxUploadBufferPerConnection: per-stream buffer × streams. */
  connectionWindowSize: 256 * 1024 * 250,
};

/** Writes `body` in chunks of at most chunkBytes, waiting for 'drain' between them, then ends. */
export function endWithBackpressure(res: AnyRes, body: string | Buffer): void {
  if (body.length <= chunkBytes) {
    res.end(body);
    return;
  }
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  let off = 0;
  const pump = (): void => {
    while (off < buf.length) {
      const end = Math.min(off + chunkBytes, buf.length);
      const more = (res as ServerResponse).write(buf.subarray(off, end));
      off = end;
      if (!more && off < buf.length && !res.destroyed) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}
