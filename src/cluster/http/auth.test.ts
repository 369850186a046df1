/**
 * Authentication and authorization against kube-apiserver v1.28 with anonymous auth and RBAC's
 * bootstrap policy: anonymous may read the public-info URLs only, everything else is the
 * authorizer's 403 (wording from k8s.io/apiserver responsewriters.forbiddenMessage); a wrong token
 * is 401; the self-review APIs answer; the insecure port treats no credentials as an admin.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClusterServer } from '../server.js';
import { cm, testCluster, type TestCluster } from '../test-support.js';

let c: TestCluster;
beforeAll(async () => {
  c = await testCluster();
  await c.req('POST', '/api/v1/namespaces/default/configmaps', cm('one'));
});
afterAll(() => c.close());

const anon = async (path: string, init: RequestInit = {}) => {
  const r = await fetch(c.url + path, init);
  const text = await r.text();
  return { status: r.status, text, type: r.headers.get('content-type') };
};
const status = (message: string, details: Record<string, unknown>) =>
  JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'Forbidden',
    details,
    code: 403,
  }) + '\n';

describe('anonymous requests', () => {
  it('read /healthz, /livez, /readyz and /version (with ?verbose as kube-apiserver prints it)', async () => {
    for (const p of ['/healthz', '/livez', '/readyz']) {
      expect(await anon(p)).toEqual({ status: 200, text: 'ok', type: 'text/plain; charset=utf-8' });
    }
    expect(JSON.parse((await anon('/version')).text)).toMatchObject({ major: '1', minor: '28' });
    expect((await anon('/version/')).status).toBe(200);
    const sample = readFileSync(
      new URL('../testdata/samples/health-readyz-verbose.txt', import.meta.url),
      'utf8',
    );
    expect((await anon('/readyz?verbose')).text).toBe(sample);
    const livez = (await anon('/livez?verbose&exclude=etcd&exclude=nope')).text;
    expect(livez).toMatch(/^\[\+\]ping ok\n\[\+\]log ok\n\[\+\]etcd excluded: ok\n\[\+\]poststarthook/);
    expect(livez).not.toMatch(/\]informer-sync ok|\]shutdown ok/);
    expect(livez).toMatch(
      /warn: some health checks cannot be excluded: no matches for "nope"\nlivez check passed\n$/,
    );
  });

  it('are Forbidden everywhere else, as system:anonymous (not 401)', async () => {
    // RBAC's system:public-info-viewer names the exact URLs: individual checks need credentials.
    expect(await anon('/livez/ping')).toEqual({
      status: 403,
      text: status('forbidden: User "system:anonymous" cannot get path "/livez/ping"', {}),
      type: 'application/json',
    });
    expect((await anon('/api')).text).toBe(
      status('forbidden: User "system:anonymous" cannot get path "/api"', {}),
    );
    expect((await anon('/metrics')).status).toBe(403);
    expect((await anon('/readyz', { method: 'POST' })).text).toBe(
      status('forbidden: User "system:anonymous" cannot post path "/readyz"', {}),
    );
    expect((await anon('/api/v1/namespaces/default/configmaps')).text).toBe(
      status(
        'configmaps is forbidden: User "system:anonymous" cannot list resource "configmaps" in API group "" in the namespace "default"',
        { kind: 'configmaps' },
      ),
    );
    expect((await anon('/api/v1/namespaces/default/configmaps?watch=True')).text).toBe(
      status(
        'configmaps is forbidden: User "system:anonymous" cannot watch resource "configmaps" in API group "" in the namespace "default"',
        { kind: 'configmaps' },
      ),
    );
    expect((await anon('/apis/apps/v1/namespaces/default/deployments/web/scale')).text).toBe(
      status(
        'deployments.apps "web" is forbidden: User "system:anonymous" cannot get resource "deployments/scale" in API group "apps" in the namespace "default"',
        { name: 'web', group: 'apps', kind: 'deployments' },
      ),
    );
    expect((await anon('/api/v1/namespaces/kube-system')).text).toBe(
      status(
        'namespaces "kube-system" is forbidden: User "system:anonymous" cannot get resource "namespaces" in API group "" in the namespace "kube-system"',
        { name: 'kube-system', kind: 'namespaces' },
      ),
    );
    // Authorization comes before routing: an unknown group is Forbidden too, not 404.
    expect((await anon('/apis/nosuch.example.com/v1/things')).text).toBe(
      status(
        'things.nosuch.example.com is forbidden: User "system:anonymous" cannot list resource "things" in API group "nosuch.example.com" at the cluster scope',
        { group: 'nosuch.example.com', kind: 'things' },
      ),
    );
    const post = await anon('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: JSON.stringify(cm('x')),
    });
    expect(post.status).toBe(403);
    expect(JSON.parse(post.text).message).toMatch(/cannot create resource "configmaps"/);
  });

  it('a wrong bearer token is 401 even on the public URLs', async () => {
    const r = await fetch(c.url + '/readyz', { headers: { authorization: 'Bearer wrong' } });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ reason: 'Unauthorized', code: 401 });
    // Not a bearer token at all: anonymous.
    const basic = await fetch(c.url + '/readyz', { headers: { authorization: 'Basic Zm9vOmJhcg==' } });
    expect(basic.status).toBe(200);
  });
});

describe('impersonation and self reviews', () => {
  const review = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    c.req('POST', path, body, headers);
  const ssar = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
  const ssr = '/apis/authentication.k8s.io/v1/selfsubjectreviews';

  it('an impersonated user reads discovery but no resources; anonymous may not impersonate', async () => {
    const as = { 'impersonate-user': 'someone' };
    expect((await c.req('GET', '/api', undefined, as)).status).toBe(200);
    const list = await c.req('GET', '/api/v1/namespaces/default/configmaps', undefined, as);
    expect(list.json.message).toBe(
      'configmaps is forbidden: User "someone" cannot list resource "configmaps" in API group "" in the namespace "default"',
    );
    const r = await fetch(c.url + '/api', { headers: as });
    expect(await r.json()).toMatchObject({
      message:
        'users "someone" is forbidden: User "system:anonymous" cannot impersonate resource "users" in API group "" at the cluster scope',
      details: { name: 'someone', kind: 'users' },
    });
  });

  it('SelfSubjectAccessReview answers can-i for the token user and for an impersonated one', async () => {
    const body = {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } },
      status: { allowed: false },
    };
    const admin = await review(ssar, body);
    expect(admin.status).toBe(201);
    expect(admin.text).toBe(
      '{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":{"resourceAttributes":{"namespace":"default","verb":"list","resource":"pods"}},"status":{"allowed":true}}\n',
    );
    const someone = await review(ssar, body, { 'impersonate-user': 'someone' });
    expect(someone.json.status).toEqual({ allowed: false });
    const discovery = await review(
      ssar,
      { spec: { nonResourceAttributes: { path: '/apis', verb: 'get' } } },
      { 'impersonate-user': 'someone' },
    );
    expect(discovery.json.status).toEqual({ allowed: true });
    expect((await review(ssar, { spec: {} })).status).toBe(422);
    expect((await c.req('GET', ssar)).status).toBe(405);
    expect((await anon(ssar, { method: 'POST', body: JSON.stringify(body) })).status).toBe(403);
  });

  it('SelfSubjectReview says who the caller is (kubectl auth whoami)', async () => {
    const me = await review(ssr, { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' });
    expect(me.status).toBe(201);
    expect(me.json).toMatchObject({
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      status: {
        userInfo: { username: 'kubeperf-admin', groups: ['system:masters', 'system:authenticated'] },
      },
    });
    const them = await review(ssr, {}, { 'impersonate-user': 'jane', 'impersonate-group': 'devs' });
    expect(them.json.status.userInfo).toEqual({ username: 'jane', groups: ['devs', 'system:authenticated'] });
    const rules = await review('/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
      spec: { namespace: 'default' },
    });
    expect(rules.json.status.resourceRules[0]).toEqual({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
  });
});

describe('insecure port', () => {
  it('treats requests without credentials as system:unsecured (admin); a wrong token stays 401', async () => {
    const s = await startClusterServer({ insecurePort: true });
    try {
      const list = await fetch(`${s.url}/api/v1/namespaces`);
      expect(list.status).toBe(200);
      const me = await fetch(`${s.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect((await me.json()).status.userInfo.username).toBe('system:unsecured');
      const wrong = await fetch(`${s.url}/api`, { headers: { authorization: 'Bearer wrong' } });
      expect(wrong.status).toBe(401);
    } finally {
      await s.close();
    }
  });
});
