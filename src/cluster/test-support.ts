/**
 * A tiny HTTP client for the cluster's own tests: real requests over loopback with the token.
 */
import { startClusterServer, type ClusterServerOptions } from './server.js';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface TestCluster {
  url: string;
  token: string;
  req(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

export async function testCluster(opts: ClusterServerOptions = {}): Promise<TestCluster> {
  const s = await startClusterServer({ ...opts, port: 0 });
  const req = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> => {
    const h: Record<string, string> = {
      authorization: `Bearer ${s.token}`,
      'user-agent': 'kubeperf-test/1.0',
      ...headers,
    };
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const r = await fetch(s.url + path, { method, headers: h, body: payload });
    const text = await r.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: r.status, headers: r.headers, text, json };
  };
  return { url: s.url, token: s.token, req, close: s.close };
}

export function cm(
  name: string,
  labels?: Record<string, string>,
  data: Record<string, string> = { k: 'v' },
): unknown {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data };
}

/** Polls `fn` every 20 ms until it returns a value; fails after `ms`. */
export async function until<T>(fn: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
