import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsFromToken } from '../../kube/credentials.js';
import { RestClient } from '../../kube/rest.js';
import { Recorder } from '../../metrics/recorder.js';
import { retryable, sendWithRetry } from './retry.js';

/** An API server that answers a scripted sequence (Milo's webhook and etcd hiccups). */
describe("the runner's retry rule for creates", () => {
  let server: http.Server;
  let rest: RestClient;
  let script: [number, string][] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      const [code, body] = script.shift() ?? [201, '{}'];
      res.writeHead(code, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    rest = new RestClient(
      credentialsFromToken(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 't'),
    );
  });
  afterAll(async () => {
    await rest.close();
    server.close();
  });
  const retry = { attempts: 6, firstDelayMs: 1000, maxDelayMs: 16_000 };
  const status = (code: number, message: string) =>
    JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code });

  it('retries 429, 500 and webhook/EOF bodies after 1, 2, 4, 8, 16 s, at most 6 attempts, recorded once', async () => {
    script = [
      [429, status(429, 'Too many requests')],
      [500, status(500, 'Internal error occurred: etcdserver: request timed out')],
      [403, status(403, 'failed calling webhook "mproject.datum.net": EOF')],
      [503, status(503, 'unexpected EOF')],
      [500, status(500, 'x')],
      [500, status(500, 'x')],
      [201, '{}'],
    ];
    const waits: number[] = [];
    const recorder = new Recorder(performance.now());
    const r = await sendWithRetry(
      rest,
      'create-project',
      { method: 'POST', path: '/x', body: '{}' },
      { retry, recorder, sleep: async (ms) => void waits.push(ms) },
    );
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(r.attempts).toBe(6);
    expect(r.response?.status).toBe(500);
    const op = recorder.snapshot()['create-project']!;
    expect(op).toMatchObject({ count: 1, errors: 1, retries: 5 });
    script = [];
  });

  it('does not retry other errors (409 is the caller’s to tolerate) and succeeds on the first 2xx', async () => {
    script = [[409, status(409, 'projects.resourcemanager.miloapis.com "p" already exists')]];
    const waits: number[] = [];
    const r = await sendWithRetry(
      rest,
      'x',
      { method: 'POST', path: '/x' },
      { retry, sleep: async (ms) => void waits.push(ms) },
    );
    expect([r.attempts, r.response?.status, waits]).toEqual([1, 409, []]);
    script = [[500, status(500, 'x')]];
    const ok = await sendWithRetry(
      rest,
      'x',
      { method: 'POST', path: '/x' },
      { retry, sleep: async () => {} },
    );
    expect([ok.attempts, ok.response?.status]).toEqual([2, 201]);
  });

  it('treats a missing response (a dropped connection) as retryable', () => {
    expect(retryable(undefined)).toBe(true);
    expect(retryable({ status: 422, headers: {}, body: '{"message":"spec.type: Unsupported value"}' })).toBe(
      false,
    );
  });
});
