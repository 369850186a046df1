/**
 * A lean HTTP/1.1 keep-alive connection pool for the request hot path: one write per request (head
 * and body as one string), responses parsed for the status line, Content-Length, chunked
 * Transfer-Encoding and Connection only; every other header is kept as raw text and parsed on demand.
 *
 * Why not undici: on the same embedded control plane process (bench/load/crud-vs-raw.bench.ts,
 * 16 connections, GET of one ConfigMap) undici's Pool cost 17–27 µs of client CPU per request and a
 * hand-built HTTP/1.1 client 11–12 µs; on a 2-core machine every µs the client spends is taken from
 * the API server it measures. Watches (long-lived streams) and explicit HTTP/2 still go through undici
 * (rest.ts).
 */
import net from 'node:net';
import tls from 'node:tls';

export interface H1Response {
  status: number;
  /** Raw response head (status line and header lines, latin1), for headers read on demand. */
  head: string;
  /** Raw body bytes (decoded by whoever reads them: many callers only need the status). */
  body: Buffer;
}

export interface H1Request {
  method: string;
  /** Path and query. */
  path: string;
  /** Header lines, each ending in CRLF, without Host, Content-Type and Content-Length. */
  headers: string;
  body?: string;
  contentType?: string;
  /** Time allowed for the whole response, ms. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface H1PoolOptions {
  /** Most connections open at once. */
  connections: number;
  /** TLS options (ca, cert, key, servername, rejectUnauthorized); absent for plain HTTP. */
  tls?: tls.ConnectionOptions;
  /** Connections idle longer than this are closed rather than reused (servers drop idle ones), ms. */
  idleMs?: number;
  /**
   * An idempotent request on a connection that sat idle at least this long, closed by the server
   * before answering, is sent again on a new connection (default 1000 ms).
   */
  staleAfterIdleMs?: number;
}

/** A transport error with a Node-style code (ECONNRESET, ETIMEDOUT, ABORT_ERR…). */
export class H1Error extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = code === 'ABORT_ERR' ? 'AbortError' : 'H1Error';
  }
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const MAX_HEAD = 64 * 1024;
const EMPTY = Buffer.alloc(0);

interface Pending {
  req: H1Request;
  text: string;
  resolve: (r: H1Response) => void;
  reject: (e: Error) => void;
  deadline: number;
  /** Transparent retries left after a reused connection turned out to be closed. */
  staleRetries: number;
  onAbort?: () => void;
}

const enum Mode {
  Head,
  Length,
  Chunked,
  UntilClose,
}

class Connection {
  readonly socket: net.Socket;
  pending: Pending | undefined;
  /** Responses completed on this connection. */
  served = 0;
  /** When the last response completed (monotonic ms). */
  idleSince = 0;
  closed = false;
  private error: Error | undefined;
  /** How long the connection sat idle before the current request (0 for a fresh one). */
  private sentAfterIdleMs = 0;
  /** Closed by us (timeout, abort, protocol error): never retried transparently. */
  private killed = false;
  // Response parser state.
  private mode = Mode.Head;
  private buf: Buffer | undefined;
  private status = 0;
  private head = '';
  private keepAlive = true;
  private length = 0;
  private parts: Buffer[] = [];
  private have = 0;
  private gotBytes = false;

  constructor(
    private readonly pool: H1Pool,
    host: string,
    port: number,
    tlsOptions: tls.ConnectionOptions | undefined,
  ) {
    this.socket = tlsOptions
      ? tls.connect({
          servername: net.isIP(host) ? undefined : host,
          ...tlsOptions,
          host,
          port,
          ALPNProtocols: ['http/1.1'],
        })
      : net.connect({ host, port });
    this.socket.setNoDelay(true);
    this.socket.on('data', (d: Buffer) => this.onData(d));
    this.socket.on('error', (e) => {
      this.error = e;
    });
    this.socket.on('close', () => this.onClose());
    if (tlsOptions) this.socket.on('session', (s: Buffer) => pool.rememberSession(s));
  }

  send(p: Pending): void {
    this.pending = p;
    this.sentAfterIdleMs = this.served > 0 ? performance.now() - this.idleSince : 0;
    this.mode = Mode.Head;
    this.gotBytes = false;
    this.socket.write(p.text);
  }

  fail(e: Error): void {
    this.killed = true;
    this.error ??= e;
    this.socket.destroy();
  }

  private onData(d: Buffer): void {
    const p = this.pending;
    if (!p) {
      // Bytes with no request outstanding: the connection is out of step; drop it.
      this.fail(new H1Error('unexpected data from the server', 'UND_ERR_SOCKET'));
      return;
    }
    this.gotBytes = true;
    if (this.mode === Mode.Length) {
      this.parts.push(d);
      this.have += d.length;
      if (this.have >= this.length) {
        const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.have);
        this.parts = [];
        this.complete(all.subarray(0, this.length));
      }
      return;
    }
    if (this.mode === Mode.UntilClose) {
      this.parts.push(d);
      return;
    }
    this.buf = this.buf ? Buffer.concat([this.buf, d]) : d;
    if (this.mode === Mode.Head) this.parseHead(p);
    else this.parseChunks();
  }

  private parseHead(p: Pending): void {
    for (;;) {
      const buf = this.buf!;
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > MAX_HEAD) this.fail(new H1Error('response head too large', 'UND_ERR_SOCKET'));
        return;
      }
      const head = buf.toString('latin1', 0, end);
      const status = Number(head.slice(9, 12));
      if (!(status >= 100) || !head.startsWith('HTTP/1.')) {
        this.fail(new H1Error(`malformed response: ${head.slice(0, 40)}`, 'UND_ERR_SOCKET'));
        return;
      }
      if (status < 200 && status !== 101) {
        // 1xx informational: skip it, the real response follows.
        this.buf = buf.subarray(end + 4);
        continue;
      }
      this.status = status;
      this.head = head;
      let length = -1;
      let chunked = false;
      this.keepAlive = head.charCodeAt(7) === 49; // HTTP/1.1 keeps alive unless told otherwise
      for (let i = head.indexOf('\r\n'); i >= 0 && i < head.length;) {
        const next = head.indexOf('\r\n', i + 2);
        const line = head.slice(i + 2, next < 0 ? head.length : next);
        i = next;
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const c = line.charCodeAt(0) | 0x20;
        if (c !== 0x63 && c !== 0x74) continue; // only c… and t… headers matter here
        const name = line.slice(0, colon).toLowerCase();
        if (name === 'content-length') length = Number(line.slice(colon + 1).trim());
        else if (name === 'transfer-encoding') chunked = /chunked/i.test(line.slice(colon + 1));
        else if (name === 'connection') {
          const v = line
            .slice(colon + 1)
            .trim()
            .toLowerCase();
          if (v === 'close') this.keepAlive = false;
          else if (v === 'keep-alive') this.keepAlive = true;
        }
      }
      const rest = buf.subarray(end + 4);
      this.buf = undefined;
      if (p.req.method === 'HEAD' || status === 204 || status === 304 || length === 0) {
        this.complete(EMPTY);
      } else if (chunked) {
        this.mode = Mode.Chunked;
        this.parts = [];
        this.buf = rest;
        this.parseChunks();
      } else if (length > 0) {
        if (rest.length >= length) {
          this.complete(rest.subarray(0, length));
        } else {
          this.mode = Mode.Length;
          this.length = length;
          this.parts = [rest];
          this.have = rest.length;
        }
      } else {
        this.mode = Mode.UntilClose;
        this.keepAlive = false;
        this.parts = rest.length ? [rest] : [];
      }
      return;
    }
  }

  private parseChunks(): void {
    let buf = this.buf!;
    let at = 0;
    for (;;) {
      const eol = buf.indexOf('\r\n', at);
      if (eol < 0) break;
      const size = parseInt(buf.toString('latin1', at, eol), 16);
      if (Number.isNaN(size)) {
        this.fail(new H1Error('malformed chunked body', 'UND_ERR_SOCKET'));
        return;
      }
      if (size === 0) {
        // Last chunk, then optional trailers and a blank line.
        const done =
          buf.length >= eol + 4 && buf[eol + 2] === 13 ? eol + 4 : buf.indexOf('\r\n\r\n', eol) + 4;
        if (done < 4 || buf.length < done) break;
        const body = Buffer.concat(this.parts);
        this.parts = [];
        this.buf = undefined;
        this.complete(body);
        return;
      }
      if (buf.length < eol + 2 + size + 2) break;
      this.parts.push(buf.subarray(eol + 2, eol + 2 + size));
      at = eol + 2 + size + 2;
    }
    this.buf = at ? buf.subarray(at) : buf;
    buf = this.buf;
    if (buf.length > MAX_HEAD && buf.indexOf('\r\n') < 0)
      this.fail(new H1Error('malformed chunked body', 'UND_ERR_SOCKET'));
  }

  private complete(body: Buffer): void {
    const p = this.pending!;
    this.pending = undefined;
    this.mode = Mode.Head;
    this.served++;
    this.idleSince = performance.now();
    const keep = this.keepAlive;
    p.resolve({ status: this.status, head: this.head, body });
    this.pool.settled(p);
    if (keep) this.pool.release(this);
    else this.socket.destroy();
  }

  private onClose(): void {
    this.closed = true;
    const p = this.pending;
    this.pending = undefined;
    this.pool.removed(this);
    if (!p) return;
    if (this.mode === Mode.UntilClose && !this.error) {
      const body = Buffer.concat(this.parts);
      this.parts = [];
      p.resolve({ status: this.status, head: this.head, body });
      this.pool.settled(p);
      return;
    }
    // A keep-alive connection that sat idle and that the server had closed meanwhile: nothing of the
    // request was answered, so an idempotent request is sent again on a fresh connection. A reset of
    // a busy connection is the server's doing and is reported (and retried visibly by the caller).
    if (
      this.served > 0 &&
      this.sentAfterIdleMs >= this.pool.staleAfterIdleMs &&
      !this.gotBytes &&
      p.staleRetries > 0 &&
      IDEMPOTENT.has(p.req.method) &&
      !this.killed
    ) {
      p.staleRetries--;
      this.pool.enqueue(p, true);
      return;
    }
    const e = this.error ?? new H1Error('the server closed the connection', 'ECONNRESET');
    p.reject(e);
    this.pool.settled(p);
  }
}

export class H1Pool {
  private readonly host: string;
  private readonly port: number;
  private readonly hostHeader: string;
  private readonly free: Connection[] = [];
  private readonly all = new Set<Connection>();
  private readonly queue: Pending[] = [];
  private readonly idleMs: number;
  readonly staleAfterIdleMs: number;
  private session: Buffer | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private inflight = 0;
  private closing = false;
  private drained: (() => void) | undefined;

  constructor(
    url: URL,
    private readonly options: H1PoolOptions,
  ) {
    this.host = url.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    this.hostHeader = url.host;
    this.idleMs = options.idleMs ?? 4000;
    this.staleAfterIdleMs = options.staleAfterIdleMs ?? 1000;
  }

  request(req: H1Request): Promise<H1Response> {
    if (this.closing) return Promise.reject(new H1Error('the client is closed', 'UND_ERR_CLOSED'));
    if (req.signal?.aborted) return Promise.reject(abortError(req.signal));
    let text = `${req.method} ${req.path} HTTP/1.1\r\nHost: ${this.hostHeader}\r\n${req.headers}`;
    if (req.body !== undefined) {
      text += `Content-Type: ${req.contentType ?? 'application/json'}\r\nContent-Length: ${Buffer.byteLength(req.body)}\r\n\r\n${req.body}`;
    } else {
      text += req.method === 'GET' || req.method === 'DELETE' ? '\r\n' : 'Content-Length: 0\r\n\r\n';
    }
    return new Promise((resolve, reject) => {
      const p: Pending = {
        req,
        text,
        resolve,
        reject,
        deadline: performance.now() + req.timeoutMs,
        staleRetries: 1,
      };
      if (req.signal) {
        const signal = req.signal;
        p.onAbort = () => this.abort(p, abortError(signal));
        signal.addEventListener('abort', p.onAbort, { once: true });
      }
      this.inflight++;
      this.enqueue(p, false);
    });
  }

  /** Sends `p` on a free connection, a new one, or queues it (FIFO; a retry goes first). */
  enqueue(p: Pending, front: boolean): void {
    const c = this.take();
    if (c) {
      c.send(p);
      this.sweep();
      return;
    }
    if (front) this.queue.unshift(p);
    else this.queue.push(p);
    if (this.all.size < this.options.connections) this.open();
  }

  private take(): Connection | undefined {
    const now = performance.now();
    for (let c = this.free.pop(); c; c = this.free.pop()) {
      if (!c.closed && now - c.idleSince < this.idleMs) return c;
      c.socket.destroy();
    }
    return undefined;
  }

  private open(): void {
    const tlsOptions = this.options.tls
      ? { ...this.options.tls, ...(this.session ? { session: this.session } : {}) }
      : undefined;
    const c = new Connection(this, this.host, this.port, tlsOptions);
    this.all.add(c);
    // A new connection takes the next queued request at once; the socket buffers until connected.
    const p = this.queue.shift();
    if (p) {
      c.send(p);
      this.sweep();
    } else this.release(c);
  }

  release(c: Connection): void {
    const next = this.queue.shift();
    if (next) {
      c.send(next);
      return;
    }
    if (this.closing) {
      c.socket.destroy();
      return;
    }
    this.free.push(c);
  }

  removed(c: Connection): void {
    this.all.delete(c);
    const i = this.free.indexOf(c);
    if (i >= 0) this.free.splice(i, 1);
    // Requests still queued need a connection to replace this one.
    if (this.queue.length && this.all.size < this.options.connections && !this.closing) this.open();
  }

  settled(p: Pending): void {
    if (p.onAbort) p.req.signal!.removeEventListener('abort', p.onAbort);
    this.inflight--;
    if (this.inflight === 0) {
      if (this.sweeper) clearInterval(this.sweeper);
      this.sweeper = undefined;
      this.drained?.();
    }
  }

  rememberSession(s: Buffer): void {
    this.session = s;
  }

  private abort(p: Pending, e: Error): void {
    const qi = this.queue.indexOf(p);
    if (qi >= 0) {
      this.queue.splice(qi, 1);
      p.reject(e);
      this.settled(p);
      return;
    }
    for (const c of this.all) if (c.pending === p) c.fail(e);
  }

  /** One coarse timer checks deadlines while requests are in flight (no timer per request). */
  private sweep(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => {
      const now = performance.now();
      for (const c of this.all) {
        const p = c.pending;
        if (p && now > p.deadline)
          c.fail(new H1Error(`no complete response within ${p.req.timeoutMs} ms`, 'ETIMEDOUT'));
      }
      for (let i = this.queue.length - 1; i >= 0; i--) {
        const p = this.queue[i]!;
        if (now > p.deadline) {
          this.queue.splice(i, 1);
          p.reject(new H1Error(`no connection within ${p.req.timeoutMs} ms`, 'ETIMEDOUT'));
          this.settled(p);
        }
      }
    }, 250);
    this.sweeper.unref();
  }

  /** Waits for requests in flight, then closes every connection. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.inflight > 0) await new Promise<void>((r) => (this.drained = r));
    this.destroy();
  }

  /** Closes every connection now; requests in flight fail. */
  destroy(): void {
    this.closing = true;
    for (const p of this.queue.splice(0)) {
      p.reject(new H1Error('the client was destroyed', 'UND_ERR_DESTROYED'));
      this.settled(p);
    }
    for (const c of [...this.all]) c.fail(new H1Error('the client was destroyed', 'UND_ERR_DESTROYED'));
    this.free.length = 0;
  }
}

function abortError(signal: AbortSignal): Error {
  const r = signal.reason as unknown;
  return r instanceof Error ? r : new H1Error('the request was aborted', 'ABORT_ERR');
}

/** Headers of a raw response head, lower-cased names; repeated headers become arrays. */
export function parseHead(head: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const k = line.slice(0, colon).trim().toLowerCase();
    const v = line.slice(colon + 1).trim();
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
