/**
 * Fuzz: thousands of random malformed requests against resource endpoints. Every answer must be a
 * 4xx with a Status body whose code is the HTTP status, and the server must stay up and correct.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCluster, type TestCluster } from './test-support.js';
// Seeded so a failure can be replayed from the seed.
import { seededRandom as rng } from '../core/random.js';

const seed = Number(process.env.FUZZ_SEED ?? 20261122);
const total = Number(process.env.FUZZ_REQUESTS ?? 3000);

interface FuzzRequest {
  method: string;
  path: string;
  body?: string;
  headers: Record<string, string>;
}

function generator(r: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const junk = (n: number) =>
    Array.from({ length: n }, () => String.fromCharCode(32 + Math.floor(r() * 95))).join('');
  const cmPath = '/api/v1/namespaces/fuzz/configmaps';
  const paths = [
    cmPath,
    '/api/v1/namespaces/fuzz/secrets',
    '/apis/apps/v1/namespaces/fuzz/deployments',
    '/api/v1/namespaces/fuzz/pods',
  ];
  const validCm = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ok"},"data":{"a":"b"}}';
  const badObjects = [
    () => validCm.slice(0, Math.floor(r() * (validCm.length - 1))),
    () => junk(1 + Math.floor(r() * 60)),
    () => '[]',
    () => String(Math.floor(r() * 1000)),
    () => 'null',
    () => '"string"',
    () => JSON.stringify({ metadata: pick([5, 'x', [], true]) }),
    () => JSON.stringify({ metadata: { name: 'x', labels: { a: pick([1, true, [], {}]) } } }),
    () => JSON.stringify({ metadata: { name: junk(5).replace(/[a-z0-9]/g, '_') + 'A' } }),
    () => JSON.stringify({ metadata: { name: 'a'.repeat(254 + Math.floor(r() * 50)) } }),
    () => JSON.stringify({ metadata: {} }),
    () =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: pick(['Secret', 'Pod', 'Nope', '']) + 'X',
        metadata: { name: 'k' },
      }),
    () => JSON.stringify({ metadata: { name: 'ns', namespace: 'other' } }),
    () => JSON.stringify({ metadata: { name: 'd' }, data: { a: pick([1, null, [], {}]) } }),
    () => JSON.stringify({ metadata: { name: 'f', finalizers: pick([5, 'x', [1]]) } }),
  ];
  return (): FuzzRequest => {
    const kind = Math.floor(r() * 9);
    const base = pick(paths);
    switch (kind) {
      case 0:
        return {
          method: 'POST',
          path: cmPath,
          body: pick(badObjects)(),
          headers: { 'content-type': 'application/json' },
        };
      case 1:
        return {
          method: 'POST',
          path: base,
          body: validCm,
          headers: {
            'content-type': pick([
              'text/plain',
              'application/xml',
              'application/x-www-form-urlencoded',
              'image/png',
            ]),
          },
        };
      case 2:
        return {
          method: 'PUT',
          path: `${cmPath}/${pick(['missing', 'target'])}`,
          body: pick(badObjects)(),
          headers: { 'content-type': 'application/json' },
        };
      case 3: {
        const ct = pick([
          'application/json-patch+json',
          'application/merge-patch+json',
          'application/apply-patch+yaml',
          'application/json',
          'text/plain',
          '',
        ]);
        const body = pick([
          () =>
            JSON.stringify([
              {
                op: pick(['bogus', 'remove', 'replace', 'test', 'move']),
                path: pick(['/nope/deep', 'noslash', '/data/missing', '']),
                value: 1,
              },
            ]),
          () => JSON.stringify(pick([5, 'x', null, [1, 2]])),
          () => junk(20),
          () => '{"metadata":{"resourceVersion":"1"},"data":{"x":"y"}}',
        ])();
        return {
          method: 'PATCH',
          path: `${cmPath}/${pick(['target', 'missing'])}`,
          body,
          headers: ct ? { 'content-type': ct } : {},
        };
      }
      case 4: {
        const q = pick([
          `labelSelector=${encodeURIComponent(pick(['!', 'a in (', 'a=b=c', '==x', 'a notin', junk(6).replace(/[a-z0-9]/g, '!')]))}`,
          `fieldSelector=${encodeURIComponent(pick(['spec.nope=1', 'metadata.name', 'a in (b)', 'data.x=1']))}`,
          `limit=${pick(['abc', '1.5', '--1', 'ten'])}`,
          `continue=${junk(12).replace(/[^A-Za-z]/g, 'z')}`,
          `resourceVersionMatch=${pick(['Bogus', 'Exact', 'NotOlderThan'])}`,
          `watch=true&sendInitialEvents=true`,
        ]);
        return { method: 'GET', path: `${base}?${q}`, headers: {} };
      }
      case 5:
        return {
          method: 'DELETE',
          path: `${cmPath}/${pick(['target', 'missing'])}`,
          body: pick([
            junk(10),
            '{"propagationPolicy":"Sideways"}',
            '{"preconditions":{"uid":"00000000-0000-0000-0000-000000000000"}}',
            '[1]',
          ]),
          headers: { 'content-type': 'application/json' },
        };
      case 6:
        return {
          method: 'GET',
          path: `${cmPath}/target`,
          headers: { accept: pick(['text/html', 'image/png', 'application/xml', 'text/csv']) },
        };
      case 7:
        return {
          method: pick(['GET', 'POST', 'PUT']),
          path: pick([
            `${cmPath}/target/${pick(['bogus', 'scale', 'exec'])}`,
            `${cmPath}/a/b/c/d`,
            `/api/v1/namespaces/fuzz/${junk(4).replace(/[^a-z]/g, 'q')}s`,
          ]),
          body: '{}',
          headers: { 'content-type': 'application/json' },
        };
      default:
        return {
          method: pick(['PUT', 'PATCH']),
          path: base,
          body: validCm,
          headers: { 'content-type': 'application/merge-patch+json' },
        };
    }
  };
}

describe('fuzz', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await testCluster();
    await c.req('POST', '/api/v1/namespaces', { metadata: { name: 'fuzz' } });
    await c.req('POST', '/api/v1/namespaces/fuzz/configmaps', {
      metadata: { name: 'target' },
      data: { a: 'b' },
    });
  });
  afterAll(() => c.close());

  it(`${total} malformed requests (seed ${seed}) all get a 4xx Status and the server stays up`, async () => {
    const next = generator(rng(seed));
    const bad: string[] = [];
    let i = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (i < total) {
          i++;
          const f = next();
          const r = await c.req(f.method, f.path, f.method === 'GET' ? undefined : f.body, f.headers);
          const ok =
            r.status >= 400 &&
            r.status < 500 &&
            r.json?.kind === 'Status' &&
            r.json.status === 'Failure' &&
            r.json.code === r.status;
          if (!ok && bad.length < 10)
            bad.push(
              `${f.method} ${f.path} ${f.headers['content-type'] ?? ''} ${f.body?.slice(0, 80) ?? ''} -> ${r.status} ${r.text.slice(0, 160)}`,
            );
        }
      }),
    );
    expect(bad).toEqual([]);
    // A request body over the 3 MiB cap is refused without being stored.
    const huge = await c.req(
      'POST',
      '/api/v1/namespaces/fuzz/configmaps',
      JSON.stringify({ metadata: { name: 'huge' }, data: { a: 'x'.repeat(3 * 1024 * 1024) } }),
    );
    expect(huge.status).toBe(413);
    expect(huge.json).toMatchObject({ kind: 'Status', code: 413, reason: 'RequestEntityTooLarge' });
    expect((await c.req('GET', '/readyz')).text).toBe('ok');
    const target = await c.req('GET', '/api/v1/namespaces/fuzz/configmaps/target');
    expect(target.json.data).toEqual({ a: 'b' });
    expect(
      (await c.req('POST', '/api/v1/namespaces/fuzz/configmaps', { metadata: { name: 'after-fuzz' } }))
        .status,
    ).toBe(201);
  });
});
