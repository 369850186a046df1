/**
 * Every error reason compared with the bodies captured from a real kube-apiserver v1.28
 * (testdata/samples, copied from the reference captures): same keys in the same order, same values.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cm, testCluster, type Reply, type TestCluster } from './test-support.js';

const sample = (name: string): string =>
  readFileSync(new URL(`./testdata/samples/${name}`, import.meta.url), 'utf8');
const sampleJson = (name: string): unknown => JSON.parse(sample(name));

/** Same JSON, and the same key order at every level. */
function expectSameBody(r: Reply, file: string): void {
  const want = sampleJson(file);
  expect(r.json).toEqual(want);
  expect(JSON.stringify(r.json)).toBe(JSON.stringify(want));
}

const gizmoCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gizmos.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'gizmos', singular: 'gizmo', kind: 'Gizmo' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['mode'],
                properties: {
                  size: { type: 'integer', minimum: 1, maximum: 10 },
                  maxSize: { type: 'integer', default: 5 },
                  mode: { type: 'string', enum: ['fast', 'slow'] },
                  label: { type: 'string', maxLength: 5, pattern: '^[a-z]+$' },
                  tags: { type: 'array', maxItems: 2, items: { type: 'string' } },
                  nested: {
                    type: 'object',
                    default: {},
                    properties: {
                      enabled: { type: 'boolean', default: true },
                      level: { type: 'string', default: 'low' },
                    },
                  },
                },
                'x-kubernetes-validations': [
                  { rule: 'self.size <= self.maxSize', message: 'size must be <= maxSize' },
                ],
              },
            },
          },
        },
      },
    ],
  },
};

let c: TestCluster;
const base = '/api/v1/namespaces/default/configmaps';
const giz = '/apis/example.com/v1/namespaces/default/gizmos';

beforeAll(async () => {
  c = await testCluster();
  await c.req('POST', base, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'meta-demo', labels: { app: 'demo' } },
    data: { a: '1' },
  });
  await c.req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', gizmoCrd);
  for (let i = 0; i < 100 && (await c.req('GET', giz)).status !== 200; i++)
    await new Promise((r) => setTimeout(r, 10));
});
afterAll(() => c.close());

describe('error bodies match kube-apiserver v1.28', () => {
  it('NotFound (object, unknown resource) and the plain-text 404', async () => {
    expectSameBody(await c.req('GET', `${base}/does-not-exist`), 'status-404-notfound-configmap.json');
    expectSameBody(
      await c.req('GET', '/api/v1/namespaces/default/foos'),
      'status-404-unknown-resource-core.json',
    );
    const plain = await c.req('GET', '/apis/nosuch.example.com/v1/things');
    expect(plain.text).toBe(sample('status-404-unknown-group.txt'));
  });

  it('AlreadyExists and Conflict', async () => {
    const dup = await c.req('POST', base, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'meta-demo' },
      data: { a: '1' },
    });
    expectSameBody(dup, 'status-409-alreadyexists-configmap.json');
    const cur = (await c.req('GET', `${base}/meta-demo`)).json;
    await c.req('PUT', `${base}/meta-demo`, { ...cur, data: { a: '2' } });
    expectSameBody(
      await c.req('PUT', `${base}/meta-demo`, { ...cur, data: { a: '3' } }),
      'status-409-conflict-stale-resourceVersion-put.json',
    );
  });

  it('Invalid: object names, CR schema (enum, maxLength, several errors), CEL rules, SSA without fieldManager', async () => {
    expectSameBody(
      await c.req('POST', base, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'Bad_Name' },
        data: { k: 'v' },
      }),
      'status-422-invalid-configmap-name.json',
    );
    const gz = (name: string, spec: object) => ({
      apiVersion: 'example.com/v1',
      kind: 'Gizmo',
      metadata: { name },
      spec,
    });
    expectSameBody(
      await c.req('POST', giz, gz('bad-enum', { size: 3, mode: 'medium' })),
      'status-422-cr-schema-enum.json',
    );
    expectSameBody(
      await c.req('POST', giz, gz('bad-str', { size: 3, mode: 'fast', label: 'TooLong1' })),
      'status-422-cr-schema-maxLength-pattern.json',
    );
    expectSameBody(
      await c.req('POST', giz, gz('bad-multi', { size: 'x', mode: 'medium', label: 'ABC' })),
      'status-422-cr-schema-multiple-errors.json',
    );
    expectSameBody(
      await c.req('POST', giz, gz('bad-cel', { size: 8, mode: 'fast' })),
      'status-422-cr-cel-validation-rule.json',
    );
    const ssa = await c.req('PATCH', `${base}/meta-demo`, '{"apiVersion":"v1","kind":"ConfigMap"}', {
      'content-type': 'application/apply-patch+yaml',
    });
    expectSameBody(ssa, 'status-422-ssa-missing-fieldManager.json');
    const jp = await c.req(
      'PATCH',
      `${base}/meta-demo`,
      '[{"op":"test","path":"/data/k3","value":"WRONG"},{"op":"replace","path":"/data/k3","value":"never"}]',
      {
        'content-type': 'application/json-patch+json',
      },
    );
    expectSameBody(jp, 'status-422-json-patch-test-failed.json');
  });

  it('BadRequest: malformed JSON, kind and namespace mismatch, name mismatch, json patch not an array, CR apiVersion, Strict unknown fields', async () => {
    expectSameBody(
      await c.req('POST', base, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"'),
      'status-400-malformed-json-create.json',
    );
    expectSameBody(
      await c.req('POST', base, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'wrongkind' } }),
      'status-400-kind-mismatch-create.json',
    );
    expectSameBody(
      await c.req('POST', base, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'nsx', namespace: 'kube-system' },
        data: { a: 'b' },
      }),
      'status-400-namespace-mismatch-create.json',
    );
    expectSameBody(
      await c.req('PUT', `${base}/meta-demo`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'other-name' },
        data: { a: 'b' },
      }),
      'status-400-name-mismatch-put.json',
    );
    expectSameBody(
      await c.req('PATCH', `${base}/meta-demo`, '{"op":"add"}', {
        'content-type': 'application/json-patch+json',
      }),
      'status-400-json-patch-not-an-array.json',
    );
    expectSameBody(
      await c.req('POST', giz, {
        apiVersion: 'example.com/v2',
        kind: 'Gizmo',
        metadata: { name: 'wrongver' },
        spec: { size: 1, mode: 'fast' },
      }),
      'status-400-cr-wrong-apiVersion.json',
    );
    const strict = await c.req('POST', `${giz}?fieldValidation=Strict`, {
      apiVersion: 'example.com/v1',
      kind: 'Gizmo',
      metadata: { name: 'unknown3' },
      spec: { size: 3, mode: 'fast', bogus: 1 },
      topLevelBogus: true,
    });
    expectSameBody(strict, 'status-400-cr-unknown-fields-fieldValidation-Strict.json');
    const warned = await c.req('POST', giz, {
      apiVersion: 'example.com/v1',
      kind: 'Gizmo',
      metadata: { name: 'unknown' },
      spec: { size: 3, mode: 'fast', bogus: 1 },
      topLevelBogus: true,
    });
    expect(warned.status).toBe(201);
    expect(warned.headers.get('warning')).toBe(
      '299 - "unknown field \\"spec.bogus\\"", 299 - "unknown field \\"topLevelBogus\\""',
    );
    expect(warned.json.spec).toEqual({
      maxSize: 5,
      mode: 'fast',
      nested: { enabled: true, level: 'low' },
      size: 3,
    });
  });

  it('MethodNotAllowed, UnsupportedMediaType, NotAcceptable', async () => {
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'meta-demo-fm' },
      data: { a: '1' },
    };
    expectSameBody(await c.req('PUT', base, body), 'status-405-put-on-collection.json');
    expectSameBody(await c.req('POST', `${base}/meta-demo`, body), 'status-405-post-on-named-object.json');
    expectSameBody(
      await c.req('DELETE', '/api/v1/namespaces'),
      'status-405-delete-namespace-collection.json',
    );
    expectSameBody(
      await c.req('PATCH', `${base}/meta-demo`, '{"data":{"x":"1"}}', { 'content-type': 'application/json' }),
      'status-415-patch-with-application-json.json',
    );
    expectSameBody(
      await c.req('POST', base, JSON.stringify(body), { 'content-type': 'text/plain' }),
      'status-415-create-text-plain.json',
    );
    await c.req('POST', giz, {
      apiVersion: 'example.com/v1',
      kind: 'Gizmo',
      metadata: { name: 'w1' },
      spec: { size: 1, mode: 'fast' },
    });
    const smp = await c.req('PATCH', `${giz}/w1`, '{"spec":{"size":4}}', {
      'content-type': 'application/strategic-merge-patch+json',
    });
    expectSameBody(smp, 'status-415-strategic-merge-patch-on-custom-resource.json');
    expectSameBody(
      await c.req('GET', `${base}/meta-demo`, undefined, { accept: 'text/html' }),
      'status-406-unsupported-accept-on-resource.json',
    );
  });

  it('Unauthorized and Forbidden', async () => {
    const r = await fetch(`${c.url}/api/v1/namespaces`, { headers: { authorization: 'Bearer nope' } });
    expect(JSON.stringify(await r.json())).toBe(
      JSON.stringify(sampleJson('status-401-unauthenticated-bad-token.json')),
    );
    await c.req('POST', '/api/v1/namespaces', { metadata: { name: 'delme' } });
    await c.req('POST', '/api/v1/namespaces/delme/configmaps', {
      metadata: { name: 'hold', finalizers: ['example.com/x'] },
    });
    await c.req('DELETE', '/api/v1/namespaces/delme');
    expectSameBody(
      await c.req('POST', '/api/v1/namespaces/delme/configmaps', cm('x')),
      'status-403-create-in-terminating-namespace.json',
    );
  });

  it('Gone, Timeout and InternalError (no reason, like the real SMP merge-key error)', async () => {
    const small = await testCluster({ watchCacheSize: 5 });
    try {
      for (let i = 0; i < 10; i++) await small.req('POST', base, cm(`g${i}`));
      expectSameBody(
        await small.req('GET', `${base}?resourceVersion=3&resourceVersionMatch=Exact`),
        'status-410-expired-list-exact-compacted-resourceVersion.json',
      );
      const current = Number((await small.req('GET', base)).json.metadata.resourceVersion);
      const t0 = performance.now();
      const tooLarge = await small.req('GET', `${base}?resourceVersion=99999999`);
      expect(performance.now() - t0).toBeGreaterThan(2900);
      expect(tooLarge.headers.get('retry-after')).toBe('1');
      const want = sampleJson('status-504-too-large-resourceVersion-list.json') as { message: string };
      want.message = `Timeout: Too large resource version: 99999999, current: ${current}`;
      expect(JSON.stringify(tooLarge.json)).toBe(JSON.stringify(want));
    } finally {
      await small.close();
    }
    await c.req('POST', '/apis/apps/v1/namespaces/default/deployments', {
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      },
    });
    const smp = await c.req(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/web',
      '{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}',
      {
        'content-type': 'application/strategic-merge-patch+json',
      },
    );
    expectSameBody(smp, 'status-500-strategic-merge-patch-missing-merge-key.json');
  });

  it('TooManyRequests: plain text with Retry-After beyond max-inflight', async () => {
    const limited = await testCluster({ maxInflight: 1, latency: { get: 'fixed:300ms' } });
    try {
      const replies = await Promise.all(Array.from({ length: 5 }, () => limited.req('GET', `${base}/nope`)));
      const rejected = replies.filter((r) => r.status === 429);
      expect(rejected.length).toBe(4);
      expect(rejected[0]!.text).toBe('Too many requests, please try again later.\n');
      expect(rejected[0]!.headers.get('retry-after')).toBe('1');
      expect(rejected[0]!.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    } finally {
      await limited.close();
    }
  });
});
