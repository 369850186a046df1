import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCluster, type TestCluster } from '../test-support.js';

let c: TestCluster;
const crds = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

async function waitServed(path: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await c.req('GET', path)).status === 200) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${path} not served`);
}

beforeAll(async () => {
  c = await testCluster();
});
afterAll(() => c.close());

const schema = {
  openAPIV3Schema: {
    type: 'object',
    properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
  },
};

describe('CustomResourceDefinitions', () => {
  it('go NamesAccepted → Established, as a watcher sees it', async () => {
    const rv = (await c.req('GET', crds)).json.metadata.resourceVersion;
    const ac = new AbortController();
    const watch = fetch(`${c.url}${crds}?watch=true&resourceVersion=${rv}`, {
      headers: { authorization: `Bearer ${c.token}` },
      signal: ac.signal,
    });
    const created = await c.req('POST', crds, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'things.newgroup.io' },
      spec: {
        group: 'newgroup.io',
        scope: 'Cluster',
        names: { plural: 'things', kind: 'Thing' },
        versions: [{ name: 'v1', served: true, storage: true, schema }],
      },
    });
    expect(created.status).toBe(201);
    expect(created.json.status).toEqual({
      conditions: null,
      acceptedNames: { plural: '', kind: '' },
      storedVersions: ['v1'],
    });
    expect(created.json.spec.conversion).toEqual({ strategy: 'None' });
    expect(created.json.metadata.generation).toBe(1);
    const reader = (await watch).body!.getReader();
    let text = '';
    while ((text.match(/\n/g) ?? []).length < 3)
      text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    const events = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'MODIFIED']);
    const conds = (e: {
      object: { status: { conditions: { type: string; status: string; reason: string }[] | null } };
    }) => (e.object.status.conditions ?? []).map((x) => `${x.type}=${x.status}:${x.reason}`);
    expect(conds(events[1])).toEqual(['NamesAccepted=True:NoConflicts', 'Established=False:Installing']);
    expect(conds(events[2])).toEqual([
      'NamesAccepted=True:NoConflicts',
      'Established=True:InitialNamesAccepted',
    ]);
    await waitServed('/apis/newgroup.io/v1/things');
    const apis = (await c.req('GET', '/apis')).json.groups.map((g: { name: string }) => g.name);
    expect(apis).toContain('newgroup.io');
  });

  it('serves every served version (conversion None), and deleting the CRD removes its objects', async () => {
    await c.req('POST', crds, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'multis.example.io' },
      spec: {
        group: 'example.io',
        scope: 'Namespaced',
        names: { plural: 'multis', kind: 'Multi' },
        versions: [
          { name: 'v1', served: true, storage: true, schema },
          { name: 'v2', served: true, storage: false, schema },
        ],
      },
    });
    await waitServed('/apis/example.io/v2/namespaces/default/multis');
    const m = await c.req('POST', '/apis/example.io/v1/namespaces/default/multis', {
      apiVersion: 'example.io/v1',
      kind: 'Multi',
      metadata: { name: 'm' },
      spec: { size: 1 },
    });
    expect(m.status).toBe(201);
    const viaV2 = await c.req('GET', '/apis/example.io/v2/namespaces/default/multis/m');
    expect(viaV2.json.apiVersion).toBe('example.io/v2');
    const patched = await c.req(
      'PATCH',
      '/apis/example.io/v2/namespaces/default/multis/m',
      { spec: { size: 2 } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ apiVersion: 'example.io/v2', spec: { size: 2 } });
    const list = await c.req('GET', '/apis/example.io/v1/namespaces/default/multis');
    expect(list.json.items[0].apiVersion).toBe('example.io/v1');
    expect(
      (await c.req('GET', '/apis/example.io/v1')).json.resources.map((r: { name: string }) => r.name),
    ).toEqual(['multis']);
    await c.req('DELETE', `${crds}/multis.example.io`);
    for (let i = 0; i < 200 && (await c.req('GET', `${crds}/multis.example.io`)).status !== 404; i++)
      await new Promise((r) => setTimeout(r, 5));
    expect((await c.req('GET', `${crds}/multis.example.io`)).status).toBe(404);
    const gone = await c.req('GET', '/apis/example.io/v1/namespaces/default/multis');
    expect(gone.status).toBe(404);
    expect(gone.text).toBe('404 page not found\n');
  });

  it('rejects an invalid CRD with 422', async () => {
    const r = await c.req('POST', crds, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'wrong.example.io' },
      spec: {
        group: 'example.io',
        scope: 'Namespaced',
        names: { plural: 'bads', kind: 'Bad' },
        versions: [{ name: 'v1', served: true, storage: true, schema }],
      },
    });
    expect(r.status).toBe(422);
    expect(r.json.details.causes[0]).toMatchObject({ field: 'metadata.name' });
  });
});
