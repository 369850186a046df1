import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cm, testCluster, type TestCluster } from './test-support.js';

let c: TestCluster;
beforeAll(async () => {
  c = await testCluster();
});
afterAll(() => c.close());

const base = '/api/v1/namespaces/default/configmaps';

describe('non-resource endpoints and auth', () => {
  it('answers 401 Unauthorized as a Status with a bad token', async () => {
    for (const headers of [{ authorization: 'Bearer nope' }, { authorization: 'bearer nope' }]) {
      const r = await fetch(c.url + '/api/v1/namespaces', { headers });
      expect(r.status).toBe(401);
      expect(await r.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
  });

  it('serves /version and the health checks', async () => {
    const v = await c.req('GET', '/version');
    expect(v.json).toMatchObject({ major: '1', minor: '28' });
    for (const p of ['/healthz', '/livez', '/readyz']) {
      const r = await c.req('GET', p);
      expect([r.status, r.text]).toEqual([200, 'ok']);
    }
    const verbose = await c.req('GET', '/readyz?verbose');
    expect(verbose.text).toMatch(/\[\+\]ping ok[\s\S]*readyz check passed/);
    const missing = await c.req('GET', '/readyz/nosuchcheck');
    expect(missing.status).toBe(404);
  });

  it('answers unknown top-level paths and groups with the plain-text 404', async () => {
    for (const p of ['/nope', '/apis/nosuch.example.com/v1/things']) {
      const r = await c.req('GET', p);
      expect(r.status).toBe(404);
      expect(r.text).toBe('404 page not found\n');
      expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    }
  });
});

describe('discovery', () => {
  it('serves legacy /api, /api/v1, /apis, /apis/apps, /apis/apps/v1', async () => {
    const api = await c.req('GET', '/api');
    expect(api.json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const v1 = await c.req('GET', '/api/v1');
    expect(v1.json.kind).toBe('APIResourceList');
    expect(v1.json.apiVersion).toBeUndefined();
    const cmEntry = v1.json.resources.find((r: { name: string }) => r.name === 'configmaps');
    expect(cmEntry).toMatchObject({
      singularName: 'configmap',
      namespaced: true,
      kind: 'ConfigMap',
      shortNames: ['cm'],
    });
    expect(v1.json.resources.some((r: { name: string }) => r.name === 'pods/status')).toBe(true);
    const apis = await c.req('GET', '/apis');
    expect(apis.json.kind).toBe('APIGroupList');
    expect(apis.json.groups.map((g: { name: string }) => g.name)).toContain('apps');
    const apps = await c.req('GET', '/apis/apps');
    expect(apps.json).toMatchObject({
      kind: 'APIGroup',
      name: 'apps',
      preferredVersion: { groupVersion: 'apps/v1' },
    });
    const appsV1 = await c.req('GET', '/apis/apps/v1');
    expect(appsV1.json).toMatchObject({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'apps/v1' });
    const scale = appsV1.json.resources.find((r: { name: string }) => r.name === 'deployments/scale');
    expect(scale).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
  });

  it('serves aggregated discovery v2beta1 with an ETag and 304, and 406 for v2 only', async () => {
    const accept =
      'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    const r = await c.req('GET', '/apis', undefined, { accept });
    expect(r.headers.get('content-type')).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
    );
    expect(r.json.kind).toBe('APIGroupDiscoveryList');
    const etag = r.headers.get('etag')!;
    const again = await c.req('GET', '/apis', undefined, { accept, 'if-none-match': etag });
    expect(again.status).toBe(304);
    const core = await c.req('GET', '/api', undefined, { accept });
    expect(core.json.items[0].versions[0].resources.map((x: { resource: string }) => x.resource)).toContain(
      'configmaps',
    );
    const v2only = await c.req('GET', '/apis', undefined, {
      accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    });
    expect(v2only.status).toBe(406);
  });
});

describe('CRUD', () => {
  it('creates with server-filled metadata, one global RV counter, and 409 on duplicates', async () => {
    const a = await c.req('POST', base, cm('crud-a', { app: 'x' }));
    expect(a.status).toBe(201);
    const meta = a.json.metadata;
    expect(Object.keys(a.json)).toEqual(['kind', 'apiVersion', 'metadata', 'data']);
    expect(meta.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(meta.generation).toBeUndefined();
    expect(meta.managedFields[0]).toMatchObject({
      manager: 'kubeperf-test',
      operation: 'Update',
      fieldsType: 'FieldsV1',
    });
    const ns = await c.req('POST', '/api/v1/namespaces', { metadata: { name: 'crud-ns' } });
    expect(Number(ns.json.metadata.resourceVersion)).toBeGreaterThan(Number(meta.resourceVersion));
    const dup = await c.req('POST', base, cm('crud-a'));
    expect(dup.status).toBe(409);
    expect(dup.json).toMatchObject({
      reason: 'AlreadyExists',
      message: 'configmaps "crud-a" already exists',
      details: { name: 'crud-a', kind: 'configmaps' },
    });
  });

  it('generateName adds 5 characters from the Kubernetes alphabet', async () => {
    const r = await c.req('POST', base, { metadata: { generateName: 'gen-' }, data: {} });
    expect(r.status).toBe(201);
    expect(r.json.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(r.json.metadata.generateName).toBe('gen-');
  });

  it('404s for a missing namespace and a missing object, 422 for an invalid name', async () => {
    const r = await c.req('POST', '/api/v1/namespaces/no-such-ns/configmaps', cm('x'));
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({
      message: 'namespaces "no-such-ns" not found',
      details: { name: 'no-such-ns', kind: 'namespaces' },
    });
    const g = await c.req('GET', `${base}/does-not-exist`);
    expect(g.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "does-not-exist" not found',
      reason: 'NotFound',
      details: { name: 'does-not-exist', kind: 'configmaps' },
      code: 404,
    });
    const bad = await c.req('POST', base, cm('Bad_Name'));
    expect(bad.status).toBe(422);
    expect(bad.json.details).toMatchObject({
      name: 'Bad_Name',
      kind: 'ConfigMap',
      causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }],
    });
  });

  it('rejects malformed bodies with 400 BadRequest', async () => {
    const r = await c.req('POST', base, '{"apiVersion":"v1","kind":"Con');
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('json parse error: unexpected end of JSON input');
    const secret = await c.req('POST', base, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
    expect(secret.json.message).toBe(
      'Secret in version "v1" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion',
    );
  });

  it('PUT: optimistic concurrency, name mismatch, no-op keeps the RV', async () => {
    const created = (await c.req('POST', base, cm('put-a'))).json;
    const upd = { ...created, data: { k: 'v2' } };
    const ok = await c.req('PUT', `${base}/put-a`, upd);
    expect(ok.status).toBe(200);
    expect(ok.json.data).toEqual({ k: 'v2' });
    const stale = await c.req('PUT', `${base}/put-a`, upd);
    expect(stale.status).toBe(409);
    expect(stale.json.reason).toBe('Conflict');
    const same = await c.req('PUT', `${base}/put-a`, ok.json);
    expect(same.json.metadata.resourceVersion).toBe(ok.json.metadata.resourceVersion);
    const other = await c.req('PUT', `${base}/put-a`, {
      ...ok.json,
      metadata: { ...ok.json.metadata, name: 'other-name' },
    });
    expect(other.json.message).toBe(
      'the name of the object (other-name) does not match the name on the URL (put-a)',
    );
    const missing = await c.req('PUT', `${base}/nope`, cm('nope'));
    expect(missing.status).toBe(404);
  });

  it('50 concurrent PUTs with the same resourceVersion: exactly one wins', async () => {
    const created = (await c.req('POST', base, cm('race'))).json;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        c.req('PUT', `${base}/race`, { ...created, data: { i: String(i) } }),
      ),
    );
    const codes = results.map((r) => r.status);
    expect(codes.filter((s) => s === 200)).toHaveLength(1);
    expect(codes.filter((s) => s === 409)).toHaveLength(49);
  });

  it('PATCH: merge, json patch, strategic merge, 415 for application/json', async () => {
    await c.req('POST', base, cm('patch-a', { app: 'p' }, { a: '1', b: '2' }));
    const merge = await c.req(
      'PATCH',
      `${base}/patch-a`,
      { data: { a: null, c: '3' } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(merge.json.data).toEqual({ b: '2', c: '3' });
    const json = await c.req('PATCH', `${base}/patch-a`, [{ op: 'replace', path: '/data/b', value: 'x' }], {
      'content-type': 'application/json-patch+json',
    });
    expect(json.json.data).toEqual({ b: 'x', c: '3' });
    const failed = await c.req('PATCH', `${base}/patch-a`, [{ op: 'test', path: '/data/b', value: 'nope' }], {
      'content-type': 'application/json-patch+json',
    });
    expect(failed.status).toBe(422);
    expect(failed.json.message).toBe('the server rejected our request due to an error in our request');
    const smp = await c.req(
      'PATCH',
      `${base}/patch-a`,
      { data: { d: '4' } },
      { 'content-type': 'application/strategic-merge-patch+json' },
    );
    expect(smp.json.data).toEqual({ b: 'x', c: '3', d: '4' });
    const plain = await c.req(
      'PATCH',
      `${base}/patch-a`,
      { data: {} },
      { 'content-type': 'application/json' },
    );
    expect(plain.status).toBe(415);
    expect(plain.json).toMatchObject({
      reason: 'UnsupportedMediaType',
      message: '415: Unsupported Media Type',
      details: {},
    });
    const stale = await c.req(
      'PATCH',
      `${base}/patch-a`,
      { metadata: { resourceVersion: '1' }, data: { e: '5' } },
      {
        'content-type': 'application/merge-patch+json',
      },
    );
    expect(stale.status).toBe(409);
  });

  it('strategic merge patch merges containers by name', async () => {
    const dep = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'smp' },
      spec: {
        selector: { matchLabels: { app: 'smp' } },
        template: {
          metadata: { labels: { app: 'smp' } },
          spec: {
            containers: [
              { name: 'app', image: 'a:1' },
              { name: 'sidecar', image: 's:1' },
            ],
          },
        },
      },
    };
    const created = await c.req('POST', '/apis/apps/v1/namespaces/default/deployments', dep);
    expect(created.status).toBe(201);
    expect(created.json.metadata.generation).toBe(1);
    const r = await c.req(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/smp',
      { spec: { template: { spec: { containers: [{ name: 'app', image: 'a:2' }] } } } },
      { 'content-type': 'application/strategic-merge-patch+json' },
    );
    expect(
      r.json.spec.template.spec.containers.map(
        (x: { name: string; image: string }) => `${x.name}=${x.image}`,
      ),
    ).toEqual(['app=a:2', 'sidecar=s:1']);
    expect(r.json.metadata.generation).toBe(2);
  });

  it('server-side apply requires fieldManager and creates missing objects', async () => {
    const body = JSON.stringify(cm('ssa-a'));
    const noMgr = await c.req('PATCH', `${base}/ssa-a`, body, {
      'content-type': 'application/apply-patch+yaml',
    });
    expect(noMgr.status).toBe(422);
    const created = await c.req('PATCH', `${base}/ssa-a?fieldManager=applier`, body, {
      'content-type': 'application/apply-patch+yaml',
    });
    expect(created.status).toBe(201);
    expect(created.json.metadata.managedFields[0]).toMatchObject({ manager: 'applier', operation: 'Apply' });
  });

  it('DELETE returns a Success Status; with a finalizer the object stays Terminating until it is cleared', async () => {
    const a = (await c.req('POST', base, cm('del-a'))).json;
    const d = await c.req('DELETE', `${base}/del-a`);
    expect(d.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'del-a', kind: 'configmaps', uid: a.metadata.uid },
    });
    expect((await c.req('GET', `${base}/del-a`)).status).toBe(404);
    await c.req('POST', base, {
      ...(cm('del-f') as object),
      metadata: { name: 'del-f', finalizers: ['example.com/hold'] },
    });
    const t = await c.req('DELETE', `${base}/del-f`);
    expect(t.json.metadata.deletionTimestamp).toBeDefined();
    expect(t.json.metadata.deletionGracePeriodSeconds).toBe(0);
    expect((await c.req('GET', `${base}/del-f`)).status).toBe(200);
    const cleared = await c.req(
      'PATCH',
      `${base}/del-f`,
      { metadata: { finalizers: null } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(cleared.status).toBe(200);
    expect((await c.req('GET', `${base}/del-f`)).status).toBe(404);
  });

  it('405 for impossible method/target pairs on built-ins', async () => {
    expect((await c.req('PUT', base, cm('x'))).status).toBe(405);
    expect((await c.req('POST', `${base}/x`, cm('x'))).status).toBe(405);
    const r = await c.req('DELETE', '/api/v1/namespaces');
    expect(r.json).toMatchObject({ reason: 'MethodNotAllowed', details: {} });
  });
});

describe('list', () => {
  it('selects by label and field selectors and reports bad selectors', async () => {
    await c.req('POST', '/api/v1/namespaces', { metadata: { name: 'sel' } });
    const b = '/api/v1/namespaces/sel/configmaps';
    await c.req('POST', b, cm('s1', { env: 'prod', tier: 'a' }));
    await c.req('POST', b, cm('s2', { env: 'dev', tier: 'b' }));
    await c.req('POST', b, cm('s3', { tier: 'c' }));
    const names = async (q: string) =>
      (await c.req('GET', `${b}?${q}`)).json.items.map(
        (i: { metadata: { name: string } }) => i.metadata.name,
      );
    expect(await names('labelSelector=env%3Dprod')).toEqual(['s1']);
    expect(await names('labelSelector=env%3D%3Dprod')).toEqual(['s1']);
    expect(await names('labelSelector=env!%3Dprod')).toEqual(['s2', 's3']);
    expect(await names('labelSelector=env%20in%20(prod,dev)')).toEqual(['s1', 's2']);
    expect(await names('labelSelector=env%20notin%20(prod)')).toEqual(['s2', 's3']);
    expect(await names('labelSelector=env')).toEqual(['s1', 's2']);
    expect(await names('labelSelector=!env')).toEqual(['s3']);
    expect(await names('labelSelector=env,tier%3Db')).toEqual(['s2']);
    expect(await names('fieldSelector=metadata.name%3Ds2')).toEqual(['s2']);
    expect(await names('fieldSelector=metadata.name!%3Ds2')).toEqual(['s1', 's3']);
    const bad = await c.req('GET', `${b}?fieldSelector=data.i%3D1`);
    expect(bad.json.message).toBe(
      '"data.i" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    const list = await c.req('GET', b);
    expect(list.json.items[0].kind).toBeUndefined();
    expect(Object.keys(list.json)).toEqual(['kind', 'apiVersion', 'metadata', 'items']);
  });

  it('pages with limit/continue consistently at the first page RV while objects are created', async () => {
    await c.req('POST', '/api/v1/namespaces', { metadata: { name: 'paging' } });
    const b = '/api/v1/namespaces/paging/configmaps';
    for (let i = 0; i < 25; i++) await c.req('POST', b, cm(`cm-${String(i).padStart(2, '0')}`));
    const seen: string[] = [];
    let token = '';
    let first: string | undefined;
    let n = 0;
    do {
      const r = await c.req('GET', `${b}?limit=10${token ? `&continue=${token}` : ''}`);
      first ??= r.json.metadata.resourceVersion;
      expect(r.json.metadata.resourceVersion).toBe(first);
      seen.push(...r.json.items.map((i: { metadata: { name: string } }) => i.metadata.name));
      if (n === 0) expect(r.json.metadata.remainingItemCount).toBe(15);
      token = r.json.metadata.continue ?? '';
      // Changes between pages must not show up in this list.
      await c.req('POST', b, cm(`cm-new-${n}`));
      await c.req('DELETE', `${b}/cm-2${n}`);
      n++;
    } while (token);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `cm-${String(i).padStart(2, '0')}`));
    const garbage = await c.req('GET', `${b}?limit=10&continue=zzz`);
    expect(garbage.status).toBe(400);
  });
});

describe('watch', () => {
  async function collect(path: string, until: (lines: any[]) => boolean, act?: () => Promise<void>) {
    const ac = new AbortController();
    const r = await fetch(c.url + path, {
      headers: { authorization: `Bearer ${c.token}` },
      signal: ac.signal,
    });
    expect(r.status).toBe(200);
    const reader = r.body!.getReader();
    const lines: any[] = [];
    let buf = '';
    const started = act?.();
    const dec = new TextDecoder();
    while (!until(lines)) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
      }
    }
    await started;
    ac.abort();
    return lines;
  }

  it('streams ADDED/MODIFIED/DELETED; DELETED carries the delete RV', async () => {
    await c.req('POST', '/api/v1/namespaces', { metadata: { name: 'w1' } });
    const b = '/api/v1/namespaces/w1/configmaps';
    const rv = (await c.req('GET', b)).json.metadata.resourceVersion;
    const events = await collect(
      `${b}?watch=true&resourceVersion=${rv}`,
      (l) => l.length >= 3,
      async () => {
        await c.req('POST', b, cm('w'));
        await c.req(
          'PATCH',
          `${b}/w`,
          { data: { k: 'v2' } },
          { 'content-type': 'application/merge-patch+json' },
        );
        await c.req('DELETE', `${b}/w`);
      },
    );
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect(rvs[2]).toBeGreaterThan(rvs[1]);
  });

  it('resumes from a resourceVersion, replaying each missed event exactly once, in order', async () => {
    await c.req('POST', '/api/v1/namespaces', { metadata: { name: 'w2' } });
    const b = '/api/v1/namespaces/w2/configmaps';
    const rv = (await c.req('GET', b)).json.metadata.resourceVersion;
    for (let i = 0; i < 5; i++) await c.req('POST', b, cm(`r${i}`));
    const events = await collect(
      `/api/v1/watch/namespaces/w2/configmaps?resourceVersion=${rv}`,
      (l) => l.length >= 5,
    );
    expect(events.map((e) => e.object.metadata.name)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    const initial = await collect(`${b}?watch=1`, (l) => l.length >= 5);
    expect(initial.every((e) => e.type === 'ADDED')).toBe(true);
  });

  it('label selector transitions become DELETED/ADDED', async () => {
    await c.req('POST', '/api/v1/namespaces', { metadata: { name: 'w3' } });
    const b = '/api/v1/namespaces/w3/configmaps';
    const rv = (await c.req('GET', b)).json.metadata.resourceVersion;
    const mp = { 'content-type': 'application/merge-patch+json' };
    const events = await collect(
      `${b}?watch=true&labelSelector=app%3Dx&resourceVersion=${rv}`,
      (l) => l.length >= 3,
      async () => {
        await c.req('POST', b, cm('t', { app: 'x' }));
        await c.req('PATCH', `${b}/t`, { metadata: { labels: { app: 'y' } } }, mp);
        await c.req('PATCH', `${b}/t`, { data: { z: '1' } }, mp);
        await c.req('PATCH', `${b}/t`, { metadata: { labels: { app: 'x' } } }, mp);
      },
    );
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED', 'ADDED']);
    expect(events[1].object.metadata.labels.app).toBe('x');
  });

  it('sends a 410 Expired ERROR event for a compacted resourceVersion', async () => {
    const small = await testCluster({ watchCacheSize: 10 });
    try {
      for (let i = 0; i < 20; i++) await small.req('POST', base, cm(`c${i}`));
      const r = await fetch(`${small.url}${base}?watch=true&resourceVersion=1`, {
        headers: { authorization: `Bearer ${small.token}` },
      });
      const text = await r.text();
      const ev = JSON.parse(text.trim());
      expect(ev.type).toBe('ERROR');
      expect(ev.object).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
      expect(ev.object.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
    } finally {
      await small.close();
    }
  });

  it('ends the stream at timeoutSeconds and sends bookmarks when asked', async () => {
    const fast = await testCluster({ bookmarkInterval: 100 });
    try {
      const b = base;
      const t0 = performance.now();
      const p = fetch(
        `${fast.url}${b}?watch=true&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=1`,
        {
          headers: { authorization: `Bearer ${fast.token}` },
        },
      ).then((r) => r.text());
      await new Promise((r) => setTimeout(r, 50));
      await fast.req('POST', '/api/v1/namespaces/kube-system/configmaps', cm('elsewhere'));
      const text = await p;
      const elapsed = performance.now() - t0;
      expect(elapsed).toBeGreaterThan(900);
      expect(elapsed).toBeLessThan(3000);
      const types = text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).type);
      expect(types).toContain('BOOKMARK');
    } finally {
      await fast.close();
    }
  });
});

describe('alternate representations', () => {
  const tableAccept =
    'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
  it('answers kubectl with a meta.k8s.io/v1 Table (list, get) with per-kind columns', async () => {
    await c.req('POST', '/api/v1/namespaces', { metadata: { name: 'tbl' } });
    await c.req('POST', '/api/v1/namespaces/tbl/configmaps', cm('t1', undefined, { a: '1', b: '2' }));
    const list = await c.req('GET', '/api/v1/namespaces/tbl/configmaps?limit=500', undefined, {
      accept: tableAccept,
    });
    expect(list.json.kind).toBe('Table');
    expect(list.json.apiVersion).toBe('meta.k8s.io/v1');
    expect(list.json.columnDefinitions.map((d: { name: string }) => d.name)).toEqual(['Name', 'Data', 'Age']);
    expect(list.json.rows[0].cells.slice(0, 2)).toEqual(['t1', 2]);
    expect(list.json.rows[0].cells[2]).toMatch(/^\d+s$/);
    expect(list.json.rows[0].object).toMatchObject({
      kind: 'PartialObjectMetadata',
      metadata: { name: 't1', namespace: 'tbl' },
    });
    const one = await c.req('GET', '/api/v1/namespaces/tbl/configmaps/t1', undefined, {
      accept: tableAccept,
    });
    expect(one.json.rows).toHaveLength(1);
  });

  it('serves PartialObjectMetadataList to metadata-only clients', async () => {
    const r = await c.req('GET', '/api/v1/namespaces/tbl/configmaps', undefined, {
      accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json',
    });
    expect(r.json.kind).toBe('PartialObjectMetadataList');
    expect(r.json.items[0]).toMatchObject({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 't1' },
    });
    expect(r.json.items[0].data).toBeUndefined();
  });
});
