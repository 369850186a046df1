/**
 * Shared helpers of the cluster benchmarks: the control plane runs in its own process
 * (launchEmbeddedCluster); this process is the load generator, over keep-alive HTTP/1.1 (undici Pool).
 */
import net from 'node:net';
import { Pool } from 'undici';
import { launchEmbeddedCluster, type EmbeddedCluster, type LaunchOptions } from '../../src/cluster/launch.js';

export interface Bench {
  cluster: EmbeddedCluster;
  pool: Pool;
  headers: Record<string, string>;
  close(): Promise<void>;
}

export async function startBench(opts: LaunchOptions = {}, connections = 64): Promise<Bench> {
  const cluster = await launchEmbeddedCluster(opts);
  const pool = new Pool(cluster.server, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const headers = {
    authorization: `Bearer ${cluster.token}`,
    'content-type': 'application/json',
    'user-agent': 'kubeperf-bench/1.0',
  };
  return {
    cluster,
    pool,
    headers,
    close: async () => {
      await pool.close();
      await cluster.stop();
    },
  };
}

export async function request(
  b: Bench,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; text: string }> {
  const r = await b.pool.request({ method: method as 'GET', path, headers: b.headers, body });
  const text = await r.body.text();
  return { status: r.statusCode, text };
}

/** Runs `concurrency` loops calling `op(i)` until `total` ops are done; returns ops/s and latencies (ms). */
export async function closedLoop(
  total: number,
  concurrency: number,
  op: (i: number) => Promise<number>,
): Promise<{ rate: number; latencies: Float64Array; errors: number; seconds: number }> {
  const latencies = new Float64Array(total);
  let next = 0;
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const s = performance.now();
        const status = await op(i);
        latencies[i] = performance.now() - s;
        if (status >= 400) errors++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { rate: total / seconds, latencies, errors, seconds };
}

export function percentile(values: Float64Array | number[], p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function rssBytes(b: Bench): Promise<number> {
  const r = await request(b, 'GET', '/metrics');
  const m = /^process_resident_memory_bytes (\d+)/m.exec(r.text);
  return m ? Number(m[1]) : NaN;
}

export function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export async function cpuSeconds(b: Bench): Promise<number> {
  const r = await request(b, 'GET', '/metrics');
  const m = /^process_cpu_seconds_total ([\d.e+-]+)/m.exec(r.text);
  return m ? Number(m[1]) : NaN;
}

/**
 * An autocannon-style keep-alive HTTP/1.1 client for the throughput benchmarks: one request in
 * flight per socket, request bytes built by hand, responses parsed only for status and
 * Content-Length. undici costs ~95 µs of client CPU per request here, which on 2 cores caps what
 * the server can be shown to do; this client costs a fraction of that.
 */
export class RawClient {
  private free: RawConn[] = [];
  private waiting: ((c: RawConn) => void)[] = [];
  private conns: RawConn[] = [];

  constructor(
    private readonly url: URL,
    private readonly token: string,
    connections: number,
  ) {
    for (let i = 0; i < connections; i++) {
      const c = new RawConn(url);
      this.conns.push(c);
      this.free.push(c);
    }
  }

  async request(method: string, path: string, body?: string): Promise<number> {
    return (await this.exchange(method, path, body)).status;
  }

  /** The status and the raw body bytes. */
  async exchange(method: string, path: string, body?: string): Promise<{ status: number; body: Buffer }> {
    const c = this.free.pop() ?? (await new Promise<RawConn>((r) => this.waiting.push(r)));
    try {
      const payload = body === undefined ? '' : body;
      const head =
        `${method} ${path} HTTP/1.1\r\nHost: ${this.url.host}\r\nAuthorization: Bearer ${this.token}\r\n` +
        (body === undefined
          ? ''
          : `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n`) +
        '\r\n';
      return await c.send(head + payload);
    } finally {
      const next = this.waiting.shift();
      if (next) next(c);
      else this.free.push(c);
    }
  }

  close(): void {
    for (const c of this.conns) c.sock.destroy();
  }
}

class RawConn {
  readonly sock: net.Socket;
  private buf = Buffer.alloc(0);
  private pending?: { resolve: (r: { status: number; body: Buffer }) => void; reject: (e: Error) => void };

  constructor(url: URL) {
    this.sock = net.connect(Number(url.port), url.hostname);
    this.sock.setNoDelay(true);
    this.sock.on('data', (d: Buffer) => this.onData(d));
    this.sock.on('error', (e) => this.pending?.reject(e));
  }

  send(text: string): Promise<{ status: number; body: Buffer }> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.sock.write(text);
    });
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.buf.toString('latin1', 0, end);
      const status = Number(head.slice(9, 12));
      const m = /content-length: *(\d+)/i.exec(head);
      const total = end + 4 + (m ? Number(m[1]) : 0);
      if (this.buf.length < total) return;
      const body = this.buf.subarray(end + 4, total);
      this.buf = this.buf.subarray(total);
      const p = this.pending;
      this.pending = undefined;
      p?.resolve({ status, body });
    }
  }
}
