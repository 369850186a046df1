import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCluster, type TestCluster } from '../test-support.js';

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });

describe('path-scoped control planes (cluster option scopes)', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await testCluster({ scopes: [{ prefix: '/clusters/{name}', namespaces: ['default', 'team'] }] });
  });
  afterAll(() => c.close());

  it('gives each scope its own store with the configured namespaces, created on first use', async () => {
    const ns = await c.req('GET', '/clusters/a/api/v1/namespaces');
    expect(ns.status).toBe(200);
    expect(ns.json.items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual([
      'default',
      'team',
    ]);
    expect((await c.req('POST', '/clusters/a/api/v1/namespaces/team/configmaps', cm('x'))).status).toBe(201);
    expect((await c.req('GET', '/clusters/a/api/v1/namespaces/team/configmaps/x')).status).toBe(200);
    expect((await c.req('GET', '/clusters/b/api/v1/namespaces/team/configmaps/x')).status).toBe(404);
    // The root has no namespace "team" at all.
    expect((await c.req('GET', '/api/v1/namespaces/team')).status).toBe(404);
  });

  it('serves discovery and non-resource paths under the prefix', async () => {
    const api = await c.req('GET', '/clusters/a/api');
    expect(api.status).toBe(200);
    expect(api.json.versions).toContain('v1');
    expect((await c.req('GET', '/clusters/a/version')).json.gitVersion).toMatch(/^v1\.28/);
  });

  it('keeps watches, resourceVersions and lists per scope', async () => {
    const list = await c.req('GET', '/clusters/w/api/v1/namespaces/default/configmaps');
    const rv = list.json.metadata.resourceVersion as string;
    const ac = new AbortController();
    const res = await fetch(
      `${c.url}/clusters/w/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`,
      { headers: { authorization: `Bearer ${c.token}` }, signal: ac.signal },
    );
    const reader = res.body!.getReader();
    await c.req('POST', '/api/v1/namespaces/default/configmaps', cm('root-only'));
    await c.req('POST', '/clusters/w/api/v1/namespaces/default/configmaps', cm('in-w'));
    const { value } = await reader.read();
    const ev = JSON.parse(new TextDecoder().decode(value).split('\n')[0]!);
    expect(ev.type).toBe('ADDED');
    expect(ev.object.metadata.name).toBe('in-w');
    ac.abort();
  });

  it('counts scoped objects in apiserver_storage_objects', async () => {
    await c.req('POST', '/clusters/m/api/v1/namespaces/default/configmaps', cm('counted'));
    const text = (await c.req('GET', '/metrics')).text;
    const m = /apiserver_storage_objects\{resource="configmaps"\} (\d+)/.exec(text);
    const scoped = (await c.req('GET', '/clusters/m/api/v1/configmaps')).json.items.length;
    const root = (await c.req('GET', '/api/v1/configmaps')).json.items.length;
    expect(Number(m![1])).toBeGreaterThanOrEqual(scoped + root);
  });
});
