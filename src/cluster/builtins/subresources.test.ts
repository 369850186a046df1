/**
 * Core subresources and PUT-create, as kube-apiserver v1.28 serves them: pods/binding and the
 * bindings collection, serviceaccounts/token (TokenRequest), namespaces/finalize, and which kinds a
 * PUT creates (AllowCreateOnUpdate).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCluster, type TestCluster } from '../test-support.js';

let c: TestCluster;
beforeAll(async () => {
  // No nodes: pods stay unbound until a binding names a node.
  c = await testCluster({ pods: { scheduleDelay: 'fixed:1ms' } });
});
afterAll(() => c.close());

const pods = '/api/v1/namespaces/default/pods';
const pod = (name: string) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'x:1' }] } });
const binding = (name: string, node: string) => ({
  apiVersion: 'v1',
  kind: 'Binding',
  metadata: { name },
  target: { apiVersion: 'v1', kind: 'Node', name: node },
});

describe('pods/binding', () => {
  it('binds once (nodeName and PodScheduled=True in one write), then 409', async () => {
    await c.req('POST', pods, pod('b1'));
    const r = await c.req('POST', `${pods}/b1/binding`, binding('b1', 'node-a'));
    expect(r.status).toBe(201);
    expect(r.json).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const p = (await c.req('GET', `${pods}/b1`)).json;
    expect(p.spec.nodeName).toBe('node-a');
    expect(p.status.conditions.find((x: { type: string }) => x.type === 'PodScheduled')).toMatchObject({
      status: 'True',
    });
    const again = await c.req('POST', `${pods}/b1/binding`, binding('b1', 'node-b'));
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on pods/binding "b1": pod b1 is already assigned to node "node-a"',
      details: { name: 'b1', kind: 'pods/binding' },
    });
  });

  it('the bindings collection, a name mismatch, a missing pod and a missing target', async () => {
    await c.req('POST', pods, pod('b2'));
    expect((await c.req('POST', '/api/v1/namespaces/default/bindings', binding('b2', 'node-a'))).status).toBe(
      201,
    );
    expect((await c.req('GET', `${pods}/b2`)).json.spec.nodeName).toBe('node-a');
    const mismatch = await c.req('POST', `${pods}/b2/binding`, binding('other', 'node-a'));
    expect([mismatch.status, mismatch.json.message]).toEqual([
      400,
      'name in URL does not match name in Binding object',
    ]);
    const missing = await c.req('POST', `${pods}/ghost/binding`, binding('ghost', 'node-a'));
    expect([missing.status, missing.json.message]).toEqual([404, 'pods "ghost" not found']);
    await c.req('POST', pods, pod('b3'));
    const noTarget = await c.req('POST', `${pods}/b3/binding`, {
      kind: 'Binding',
      metadata: { name: 'b3' },
      target: {},
    });
    // The real handler returns the bare field error, which the server reports as a 500.
    expect([noTarget.status, noTarget.json.reason, noTarget.json.message]).toEqual([
      500,
      'Unknown',
      'target.name: Required value',
    ]);
    expect((await c.req('GET', `${pods}/b3/binding`)).status).toBe(405);
  });
});

describe('serviceaccounts/token', () => {
  it('answers a TokenRequest with a service-account JWT', async () => {
    await c.req('POST', '/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'bot' } });
    const r = await c.req('POST', '/api/v1/namespaces/default/serviceaccounts/bot/token', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {},
    });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: 'bot', namespace: 'default' },
      spec: {
        audiences: ['https://kubernetes.default.svc.cluster.local'],
        expirationSeconds: 3600,
        boundObjectRef: null,
      },
    });
    const parts = (r.json.status.token as string).split('.');
    expect(parts).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString());
    expect(claims.sub).toBe('system:serviceaccount:default:bot');
    expect(claims.exp - claims.iat).toBe(3600);
    expect(Date.parse(r.json.status.expirationTimestamp)).toBeGreaterThan(Date.now() + 3500_000);
  });

  it('too short an expiry is 422, an unknown service account 404', async () => {
    const short = await c.req('POST', '/api/v1/namespaces/default/serviceaccounts/bot/token', {
      kind: 'TokenRequest',
      spec: { expirationSeconds: 60 },
    });
    expect(short.status).toBe(422);
    expect(short.json.message).toBe(
      'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
    );
    const none = await c.req('POST', '/api/v1/namespaces/default/serviceaccounts/nobody/token', {
      kind: 'TokenRequest',
    });
    expect([none.status, none.json.message]).toEqual([404, 'serviceaccounts "nobody" not found']);
  });
});

describe('namespaces/finalize', () => {
  it('a namespace with its own spec finalizer waits in Terminating until finalize removes it', async () => {
    const ns = await c.req('POST', '/api/v1/namespaces', {
      metadata: { name: 'fin' },
      spec: { finalizers: ['example.com/hold'] },
    });
    expect(ns.json.spec.finalizers).toEqual(['example.com/hold', 'kubernetes']);
    await c.req('DELETE', '/api/v1/namespaces/fin');
    // The namespace controller drops only its own finalizer.
    let cur;
    for (let i = 0; i < 100; i++) {
      cur = (await c.req('GET', '/api/v1/namespaces/fin')).json;
      if (JSON.stringify(cur.spec.finalizers) === '["example.com/hold"]') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(cur.spec.finalizers).toEqual(['example.com/hold']);
    expect(cur.status.phase).toBe('Terminating');
    const done = await c.req('PUT', '/api/v1/namespaces/fin/finalize', {
      ...cur,
      spec: { finalizers: [] },
      status: { phase: 'Active' },
    });
    expect(done.status).toBe(200);
    expect(done.json.spec.finalizers).toBeUndefined();
    expect(done.json.status.phase).toBe('Terminating');
    for (let i = 0; i < 100 && (await c.req('GET', '/api/v1/namespaces/fin')).status !== 404; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect((await c.req('GET', '/api/v1/namespaces/fin')).status).toBe(404);
    expect((await c.req('GET', '/api/v1/namespaces/default/finalize')).status).toBe(405);
  });
});

describe('PUT-create', () => {
  it('creates Endpoints, Events, Leases, Services, LimitRanges and RBAC objects; not ConfigMaps or Pods', async () => {
    const put = (path: string, body: object) => c.req('PUT', path, body);
    const r1 = await put('/api/v1/namespaces/default/endpoints/pe', {
      metadata: { name: 'pe' },
      subsets: [{ addresses: [{ ip: '10.0.0.9' }], ports: [{ port: 80 }] }],
    });
    expect(r1.status).toBe(201);
    expect(r1.json.subsets[0].ports[0].protocol).toBe('TCP');
    expect(
      (
        await put('/api/v1/namespaces/default/events/pev', {
          metadata: { name: 'pev' },
          involvedObject: { kind: 'Pod', name: 'x', namespace: 'default' },
          reason: 'R',
          message: 'm',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await put('/apis/coordination.k8s.io/v1/namespaces/default/leases/pl', {
          metadata: { name: 'pl' },
          spec: { holderIdentity: 'me' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await put('/api/v1/namespaces/default/limitranges/plr', {
          metadata: { name: 'plr' },
          spec: { limits: [{ type: 'Container' }] },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await put('/apis/rbac.authorization.k8s.io/v1/clusterroles/pcr', {
          metadata: { name: 'pcr' },
          rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
        })
      ).status,
    ).toBe(201);
    const again = await put('/apis/coordination.k8s.io/v1/namespaces/default/leases/pl', {
      metadata: { name: 'pl' },
      spec: { holderIdentity: 'you' },
    });
    expect([again.status, again.json.spec.holderIdentity]).toEqual([200, 'you']);
    expect(
      (await put('/api/v1/namespaces/default/configmaps/pcm', { metadata: { name: 'pcm' } })).status,
    ).toBe(404);
    expect((await put(`${pods}/ppod`, pod('ppod'))).status).toBe(404);
  });
});
