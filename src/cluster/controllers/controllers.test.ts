import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cm, testCluster, type TestCluster } from '../test-support.js';

let c: TestCluster;
beforeAll(async () => {
  c = await testCluster();
});
afterAll(() => c.close());

async function until(fn: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const base = '/api/v1/namespaces/default/configmaps';
const exists = async (name: string) => (await c.req('GET', `${base}/${name}`)).status === 200;

async function ownerAndDependent(prefix: string) {
  const owner = (await c.req('POST', base, cm(`${prefix}-owner`))).json;
  const dep = {
    ...(cm(`${prefix}-dep`) as object),
    metadata: {
      name: `${prefix}-dep`,
      ownerReferences: [
        { apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name, uid: owner.metadata.uid },
      ],
    },
  };
  expect((await c.req('POST', base, dep)).status).toBe(201);
}

describe('garbage collection', () => {
  it('Background: the owner goes at once, then its dependents', async () => {
    await ownerAndDependent('bg');
    const d = await c.req('DELETE', `${base}/bg-owner`, {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Background',
    });
    expect(d.json.status).toBe('Success');
    await until(async () => !(await exists('bg-dep')));
  });

  it('Foreground: the owner keeps foregroundDeletion until its dependents are gone', async () => {
    await ownerAndDependent('fg');
    const d = await c.req('DELETE', `${base}/fg-owner?propagationPolicy=Foreground`);
    expect(d.json.metadata.finalizers).toContain('foregroundDeletion');
    expect(d.json.metadata.deletionTimestamp).toBeDefined();
    await until(async () => !(await exists('fg-dep')) && !(await exists('fg-owner')));
  });

  it('Orphan: dependents stay and lose the ownerReference', async () => {
    await ownerAndDependent('or');
    const d = await c.req('DELETE', `${base}/or-owner`, { propagationPolicy: 'Orphan' });
    expect(d.json.metadata.finalizers).toContain('orphan');
    await until(async () => !(await exists('or-owner')));
    const dep = (await c.req('GET', `${base}/or-dep`)).json;
    expect(dep.metadata.ownerReferences).toBeUndefined();
  });

  it('rejects an invalid propagationPolicy with 422', async () => {
    await c.req('POST', base, cm('pp-bad'));
    const r = await c.req('DELETE', `${base}/pp-bad`, { propagationPolicy: 'Sideways' });
    expect(r.status).toBe(422);
    expect(r.json.message).toContain(
      'Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"',
    );
  });
});

describe('namespaces and deletecollection', () => {
  it('deletecollection returns the deleted objects as a list', async () => {
    await c.req('POST', '/api/v1/namespaces', { metadata: { name: 'dc' } });
    for (const [n, tier] of [
      ['a', 'x'],
      ['b', 'x'],
      ['c', 'y'],
    ]) {
      await c.req('POST', '/api/v1/namespaces/dc/configmaps', cm(n!, { tier: tier! }));
    }
    const r = await c.req('DELETE', '/api/v1/namespaces/dc/configmaps?labelSelector=tier%3Dx');
    expect(r.json.kind).toBe('ConfigMapList');
    expect(r.json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['a', 'b']);
    const left = (await c.req('GET', '/api/v1/namespaces/dc/configmaps')).json.items;
    expect(left.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['c']);
  });

  it('a deleted namespace is Terminating, refuses new content (403), empties, then disappears', async () => {
    await c.req('POST', '/api/v1/namespaces', { metadata: { name: 'gone' } });
    await c.req('POST', '/api/v1/namespaces/gone/configmaps', {
      ...(cm('held') as object),
      metadata: { name: 'held', finalizers: ['example.com/hold'] },
    });
    const d = await c.req('DELETE', '/api/v1/namespaces/gone');
    expect(d.json.status.phase).toBe('Terminating');
    const refused = await c.req('POST', '/api/v1/namespaces/gone/configmaps', cm('new'));
    expect(refused.status).toBe(403);
    expect(refused.json.details.causes[0]).toMatchObject({
      reason: 'NamespaceTerminating',
      field: 'metadata.namespace',
    });
    // The finalizer holds the namespace until someone clears it.
    await new Promise((r) => setTimeout(r, 200));
    expect((await c.req('GET', '/api/v1/namespaces/gone')).status).toBe(200);
    await c.req(
      'PATCH',
      '/api/v1/namespaces/gone/configmaps/held',
      { metadata: { finalizers: null } },
      {
        'content-type': 'application/merge-patch+json',
      },
    );
    await until(async () => (await c.req('GET', '/api/v1/namespaces/gone')).status === 404);
  });

  it('a namespace created again under a deleted one’s name is left alone', async () => {
    for (let i = 0; i < 3; i++) {
      await c.req('POST', '/api/v1/namespaces', { metadata: { name: 'again' } });
      await c.req('POST', '/api/v1/namespaces/again/configmaps', cm('keep'));
      await c.req('DELETE', '/api/v1/namespaces/again');
      await until(async () => (await c.req('GET', '/api/v1/namespaces/again')).status === 404);
    }
    await c.req('POST', '/api/v1/namespaces', { metadata: { name: 'again' } });
    await c.req('POST', '/api/v1/namespaces/again/configmaps', cm('keep'));
    // Several sweeps of the namespace controller later, the new namespace and its content are there.
    await new Promise((r) => setTimeout(r, 400));
    expect((await c.req('GET', '/api/v1/namespaces/again')).json.status.phase).toBe('Active');
    expect((await c.req('GET', '/api/v1/namespaces/again/configmaps/keep')).status).toBe(200);
  });
});
