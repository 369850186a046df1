import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCluster, type TestCluster } from '../test-support.js';

const G = '/apis/resourcemanager.miloapis.com/v1alpha1';
const org = (name: string, type = 'Standard') => ({
  apiVersion: 'resourcemanager.miloapis.com/v1alpha1',
  kind: 'Organization',
  metadata: { name },
  spec: { type },
});
const project = (name: string, owner = 'acme') => ({
  apiVersion: 'resourcemanager.miloapis.com/v1alpha1',
  kind: 'Project',
  metadata: { name, labels: { app: 'milo-perf' } },
  spec: { ownerRef: { kind: 'Organization', name: owner } },
});
const orgScope = (o: string) => `${G}/organizations/${o}/control-plane`;
const projectScope = (p: string) => `${G}/projects/${p}/control-plane`;
const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } });
const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe('embedded Milo (cluster option milo)', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await testCluster({ milo: true });
    expect((await c.req('POST', `${G}/organizations`, org('acme'))).status).toBe(201);
    expect((await c.req('POST', `${G}/organizations`, org('other', 'Personal'))).status).toBe(201);
  });
  afterAll(() => c.close());

  it('serves Organization and Project as cluster-scoped kinds with a status subresource', async () => {
    const r = await c.req('GET', G);
    const byName = Object.fromEntries(
      r.json.resources.map((x: { name: string; namespaced: boolean }) => [x.name, x.namespaced]),
    );
    expect(byName).toMatchObject({ organizations: false, projects: false, 'projects/status': false });
    expect((await c.req('GET', '/api/v1/namespaces/milo-system')).status).toBe(200);
  });

  it('validates Organization spec.type: required, Personal|Standard, immutable', async () => {
    const bad = await c.req('POST', `${G}/organizations`, org('bad', 'Business'));
    expect(bad.status).toBe(422);
    expect(bad.json.message).toContain('spec.type: Unsupported value: "Business"');
    const missing = await c.req('POST', `${G}/organizations`, { ...org('nospec'), spec: {} });
    expect(missing.status).toBe(422);
    expect(missing.json.message).toContain('spec.type: Required value');
    const change = await c.req(
      'PATCH',
      `${G}/organizations/acme`,
      { spec: { type: 'Personal' } },
      {
        'content-type': 'application/merge-patch+json',
      },
    );
    expect(change.status).toBe(422);
    expect(change.json.message).toContain('organization type is immutable');
  });

  it('creates Projects only through an organization, which becomes their owner', async () => {
    const root = await c.req('POST', `${G}/projects`, project('p-root'));
    expect(root.status).toBe(403);
    expect(root.json.message).toBe(
      'admission webhook "mproject.datum.net" denied the request: request context does not have the required parent information',
    );
    const noOrg = await c.req('POST', `${orgScope('ghost')}${G}/projects`, project('p-ghost', 'ghost'));
    expect(noOrg.status).toBe(404);
    expect(noOrg.json.message).toContain('organizations.resourcemanager.miloapis.com "ghost" not found');

    const made = await c.req('POST', `${orgScope('acme')}${G}/projects`, {
      ...project('p-a'),
      spec: {},
    });
    expect(made.status).toBe(201);
    expect(made.json.metadata.labels['resourcemanager.miloapis.com/organization-name']).toBe('acme');
    expect(made.json.spec.ownerRef).toEqual({ kind: 'Organization', name: 'acme' });
    const acme = (await c.req('GET', `${G}/organizations/acme`)).json;
    expect(made.json.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'resourcemanager.miloapis.com/v1alpha1',
        kind: 'Organization',
        name: 'acme',
        uid: acme.metadata.uid,
      },
    ]);
    // Created without status: nothing but the project controller sets Ready.
    expect(made.json.status).toBeUndefined();

    const long = await c.req('POST', `${orgScope('acme')}${G}/projects`, project('p'.repeat(56)));
    expect(long.status).toBe(422);
    expect(long.json.message).toContain('name exceeds maximum length of 55 characters');
  });

  it('lists only the organization’s projects through its scope, all of them at the root', async () => {
    await c.req('POST', `${orgScope('other')}${G}/projects`, project('p-o', 'other'));
    const names = (r: { json: { items: { metadata: { name: string } }[] } }) =>
      r.json.items.map((i) => i.metadata.name).sort();
    expect(names(await c.req('GET', `${orgScope('other')}${G}/projects`))).toEqual(['p-o']);
    expect(
      names(await c.req('GET', `${orgScope('other')}${G}/projects?labelSelector=app%3Dmilo-perf`)),
    ).toEqual(['p-o']);
    expect(names(await c.req('GET', `${G}/projects`))).toEqual(expect.arrayContaining(['p-a', 'p-o']));
  });

  it('gives each project an isolated control plane: a ConfigMap in A is not visible in B or at the root', async () => {
    await c.req('POST', `${orgScope('acme')}${G}/projects`, project('p-b'));
    // A project's control plane starts without namespaces (the project controller creates default).
    expect((await c.req('GET', `${projectScope('p-a')}/api/v1/namespaces`)).json.items).toEqual([]);
    const early = await c.req('POST', `${projectScope('p-a')}/api/v1/namespaces/default/configmaps`, cm('x'));
    expect(early.status).toBe(404);
    for (const p of ['p-a', 'p-b'])
      expect((await c.req('POST', `${projectScope(p)}/api/v1/namespaces`, ns('default'))).status).toBe(201);
    expect(
      (await c.req('POST', `${projectScope('p-a')}/api/v1/namespaces/default/configmaps`, cm('only-a')))
        .status,
    ).toBe(201);
    expect(
      (await c.req('GET', `${projectScope('p-a')}/api/v1/namespaces/default/configmaps/only-a`)).status,
    ).toBe(200);
    expect(
      (await c.req('GET', `${projectScope('p-b')}/api/v1/namespaces/default/configmaps/only-a`)).status,
    ).toBe(404);
    expect((await c.req('GET', '/api/v1/namespaces/default/configmaps/only-a')).status).toBe(404);
    const all = await c.req('GET', `${projectScope('p-b')}/api/v1/configmaps`);
    expect(all.json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).not.toContain(
      'only-a',
    );
  });

  it('answers 404 through the scope of a missing project and drops a deleted project’s store', async () => {
    const missing = await c.req('GET', `${projectScope('nope')}/api/v1/namespaces`);
    expect(missing.status).toBe(404);
    expect(missing.json.message).toBe('projects.resourcemanager.miloapis.com "nope" not found');
    // Authentication first: a stranger learns nothing about which projects exist.
    const stranger = await c.req('GET', `${projectScope('nope')}/api/v1/namespaces`, undefined, {
      authorization: 'Bearer wrong',
    });
    expect(stranger.status).toBe(401);
    await c.req('POST', `${orgScope('acme')}${G}/projects`, project('p-gone'));
    await c.req('POST', `${projectScope('p-gone')}/api/v1/namespaces`, ns('default'));
    expect((await c.req('DELETE', `${orgScope('acme')}${G}/projects/p-gone`)).status).toBe(200);
    expect((await c.req('GET', `${projectScope('p-gone')}/api/v1/namespaces`)).status).toBe(404);
    await c.req('POST', `${orgScope('acme')}${G}/projects`, project('p-gone'));
    expect((await c.req('GET', `${projectScope('p-gone')}/api/v1/namespaces`)).json.items).toEqual([]);
  });

  it('prints Milo’s columns: escaped display-name annotation, Type, the Ready condition', async () => {
    await c.req(
      'PATCH',
      `${G}/organizations/other`,
      { metadata: { annotations: { 'kubernetes.io/display-name': 'Other Inc' } } },
      { 'content-type': 'application/merge-patch+json' },
    );
    const t = await c.req('GET', `${G}/organizations/other`, undefined, {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    expect(t.json.columnDefinitions.map((d: { name: string }) => d.name)).toEqual([
      'Name',
      'Display Name',
      'Type',
      'Ready',
      'Age',
    ]);
    expect(t.json.rows[0].cells.slice(0, 3)).toEqual(['other', 'Other Inc', 'Personal']);
  });

  it('writes Ready through the status subresource and guards the organization label', async () => {
    const p = (await c.req('GET', `${G}/projects/p-a`)).json;
    p.status = {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Ready',
          message: 'Project is ready',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
    };
    const st = await c.req('PUT', `${G}/projects/p-a/status`, p);
    expect(st.status).toBe(200);
    expect(st.json.status.conditions[0].status).toBe('True');
    const relabel = await c.req(
      'PATCH',
      `${G}/projects/p-a`,
      { metadata: { labels: { 'resourcemanager.miloapis.com/organization-name': 'other' } } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(relabel.status).toBe(422);
    expect(relabel.json.message).toContain('organization label cannot be changed');
  });
});
