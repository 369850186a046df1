import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { H1Pool, parseHead } from './h1.js';

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A real HTTP server on loopback; `handler` answers each request. */
async function serve(handler: http.RequestListener): Promise<URL> {
  const s = http.createServer(handler);
  servers.push({ close: () => s.close() });
  s.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return new URL(`http://127.0.0.1:${(s.address() as net.AddressInfo).port}`);
}

/** A raw TCP server that answers every request with `reply(requestText)` bytes, written in pieces. */
async function rawServe(reply: (req: string, sock: net.Socket) => void): Promise<URL> {
  const s = net.createServer((sock) => {
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const req = buf.slice(0, end + 4);
      buf = buf.slice(end + 4);
      reply(req, sock);
    });
    sock.on('error', () => {});
  });
  servers.push({ close: () => s.close() });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return new URL(`http://127.0.0.1:${(s.address() as net.AddressInfo).port}`);
}

const get = (pool: H1Pool, path = '/x', timeoutMs = 10_000) =>
  pool.request({ method: 'GET', path, headers: 'accept: application/json\r\n', timeoutMs });

describe('HTTP/1.1 pool', () => {
  it('sends one request per connection at a time, with the body and its UTF-8 length', async () => {
    const seen: { method: string; len: string | undefined; type: string | undefined; body: string }[] = [];
    const url = await serve((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({
          method: req.method!,
          len: req.headers['content-length'],
          type: req.headers['content-type'],
          body,
        });
        res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":"ü"}');
      });
    });
    const pool = new H1Pool(url, { connections: 2 });
    const body = JSON.stringify({ name: 'größe' });
    const r = await pool.request({ method: 'POST', path: '/p', headers: '', body, timeoutMs: 5000 });
    expect(r.status).toBe(201);
    expect(r.body.toString('utf8')).toBe('{"ok":"ü"}');
    expect(seen[0]).toEqual({
      method: 'POST',
      len: String(Buffer.byteLength(body)),
      type: 'application/json',
      body,
    });
    // 50 concurrent requests over 2 connections all complete.
    const all = await Promise.all(Array.from({ length: 50 }, () => get(pool)));
    expect(all.every((x) => x.status === 201)).toBe(true);
    pool.destroy();
  });

  it('reads chunked bodies split anywhere, skips 1xx, and honours Connection: close', async () => {
    const url = await rawServe((_req, sock) => {
      const payload = 'x'.repeat(5000);
      const wire =
        'HTTP/1.1 100 Continue\r\n\r\n' +
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nRetry-After: 3\r\n\r\n' +
        `${(3000).toString(16)};ext=1\r\n${payload.slice(0, 3000)}\r\n` +
        `${(2000).toString(16)}\r\n${payload.slice(3000)}\r\n0\r\nX-Trailer: t\r\n\r\n`;
      // Written byte by byte in small pieces, to split every boundary somewhere.
      for (let i = 0; i < wire.length; i += 7) sock.write(wire.slice(i, i + 7));
    });
    const pool = new H1Pool(url, { connections: 1 });
    const r = await get(pool);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('x'.repeat(5000));
    expect(parseHead(r.head)['retry-after']).toBe('3');
    const again = await get(pool);
    expect(again.body.length).toBe(5000);
    pool.destroy();

    const closing = await rawServe((_req, sock) => {
      sock.end('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n');
    });
    const p2 = new H1Pool(closing, { connections: 1 });
    expect((await get(p2)).status).toBe(204);
    expect((await get(p2)).status).toBe(204); // a new connection after the server closed the first
    p2.destroy();
  });

  it('sends an idempotent request again when an idle connection turns out closed, but reports a reset of a busy one', async () => {
    let n = 0;
    const url = await rawServe((_req, sock) => {
      n++;
      // The second request on each connection finds it closed without an answer.
      if ((sock as net.Socket & { served?: number }).served) {
        sock.destroy();
        return;
      }
      (sock as net.Socket & { served?: number }).served = 1;
      sock.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    const idle = new H1Pool(url, { connections: 1, staleAfterIdleMs: 0 });
    expect((await get(idle)).status).toBe(200);
    expect((await get(idle)).status).toBe(200); // retried once on a fresh connection
    expect(n).toBe(3);
    idle.destroy();

    const busy = new H1Pool(url, { connections: 1, staleAfterIdleMs: 60_000 });
    expect((await get(busy)).status).toBe(200);
    await expect(get(busy)).rejects.toMatchObject({ code: 'ECONNRESET' });
    busy.destroy();
  });

  it('times out a request the server never answers, aborts on a signal, and reports a refused connection', async () => {
    const url = await rawServe(() => {});
    const pool = new H1Pool(url, { connections: 2 });
    await expect(get(pool, '/x', 300)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    const ac = new AbortController();
    const pending = pool.request({
      method: 'GET',
      path: '/',
      headers: '',
      timeoutMs: 60_000,
      signal: ac.signal,
    });
    ac.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    pool.destroy();

    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const refused = new H1Pool(new URL(`http://127.0.0.1:${port}`), { connections: 1 });
    await expect(get(refused)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    refused.destroy();
  });

  it('close() waits for requests in flight; afterwards requests are refused', async () => {
    const url = await serve((_req, res) => setTimeout(() => res.end('late'), 50));
    const pool = new H1Pool(url, { connections: 1 });
    const inflight = get(pool);
    await pool.close();
    expect((await inflight).body.toString()).toBe('late');
    await expect(get(pool)).rejects.toMatchObject({ code: 'UND_ERR_CLOSED' });
  });
});
