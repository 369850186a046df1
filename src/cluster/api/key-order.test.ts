/**
 * Key order and escaping of JSON responses as kube-apiserver's Go encoder writes them: built-in
 * kinds in Go struct order whatever order the client sent (captured Deployment and CRD), maps with
 * sorted keys (even integer-like ones, which a JS object cannot hold in that order), custom
 * resources sorted everywhere, and `<`, `>`, `&` escaped.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCluster, type TestCluster } from '../test-support.js';

let c: TestCluster;
beforeAll(async () => {
  c = await testCluster();
  await c.req('POST', '/api/v1/namespaces', { metadata: { name: 'patch' } });
});
afterAll(() => c.close());

const sample = (f: string) =>
  JSON.parse(readFileSync(new URL(`../testdata/samples/${f}`, import.meta.url), 'utf8'));

/** Our response with the volatile values of the sample put back, as text (key order included). */
function normalized(got: Record<string, any>, want: Record<string, any>): string {
  const m = got.metadata;
  m.uid = want.metadata.uid;
  m.resourceVersion = want.metadata.resourceVersion;
  m.creationTimestamp = want.metadata.creationTimestamp;
  for (const [i, e] of (m.managedFields ?? []).entries()) e.time = want.metadata.managedFields[i].time;
  return JSON.stringify(got);
}

/** Reverses key order at every level: what a careless client might send. */
function shuffled(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shuffled);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .reverse()
      .map(([k, x]) => [k, shuffled(x)]),
  );
}

describe('JSON key order', () => {
  it('a Deployment comes back in Go struct order, byte for byte as captured, whatever order was sent', async () => {
    const r = await c.req(
      'POST',
      '/apis/apps/v1/namespaces/patch/deployments',
      shuffled(sample('request-bodies/deploy.json')),
      {
        'user-agent': 'kref-client/1.0',
      },
    );
    expect(r.status).toBe(201);
    const want = sample('create-201-deployment-defaulted.json');
    expect(normalized(r.json, want)).toBe(JSON.stringify(want));
  });

  it('a CRD comes back in the apiextensions structs order (names before scope, schema before subresources)', async () => {
    const r = await c.req(
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      sample('request-bodies/widgets-crd.json'),
      { 'user-agent': 'kref-client/1.0' },
    );
    const want = sample('crd-get-established-widgets.json');
    expect(JSON.stringify(r.json.spec)).toBe(JSON.stringify(want.spec));
  });

  it('maps are sorted like Go sorts them, integer-like keys included; < > & are escaped', async () => {
    const r = await c.req('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'maps', labels: { zeta: '1', alpha: '2' }, annotations: { note: 'a<b && c>d' } },
      data: { b: 'x', '10': 'y', '9': 'z', '-a': 'w' },
    });
    expect(r.text).toContain('"labels":{"alpha":"2","zeta":"1"}');
    expect(r.text).toContain('"annotations":{"note":"a\\u003cb \\u0026\\u0026 c\\u003ed"}');
    expect(r.text).toContain('"data":{"-a":"w","10":"y","9":"z","b":"x"}');
    // The same order in a GET, a list and a watch event.
    const get = await c.req('GET', '/api/v1/namespaces/default/configmaps/maps');
    expect(get.text).toContain('"data":{"-a":"w","10":"y","9":"z","b":"x"}');
    const list = await c.req(
      'GET',
      '/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dmaps',
    );
    expect(list.text).toContain('"data":{"-a":"w","10":"y","9":"z","b":"x"}');
  });

  it('custom resources are sorted at every level', async () => {
    const crd = sample('request-bodies/widgets-crd.json');
    crd.metadata.name = 'gadgets.example.com';
    crd.spec.names = { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' };
    crd.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-preserve-unknown-fields'] =
      true;
    delete crd.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'];
    await c.req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    let r;
    for (let i = 0; i < 100; i++) {
      r = await c.req('POST', '/apis/example.com/v1/namespaces/default/gadgets', {
        apiVersion: 'example.com/v1',
        kind: 'Gadget',
        metadata: { name: 'g1', bogus: 1 },
        spec: { replicas: 1, extra: { z: 1, '2': 2, '10': 3 } },
      });
      if (r.status !== 404) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    expect(r!.status).toBe(201);
    // Unknown metadata fields of a custom resource are dropped with a warning too.
    expect(r!.headers.get('warning')).toBe('299 - "unknown field \\"metadata.bogus\\""');
    expect(r!.text).toMatch(
      /^\{"apiVersion":"example.com\/v1","kind":"Gadget","metadata":\{"creationTimestamp"/,
    );
    expect(r!.text).toContain('"spec":{"extra":{"10":3,"2":2,"z":1},"maxReplicas":10,"replicas":1}');
  });
});
