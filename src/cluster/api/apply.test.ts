/**
 * Server-side apply: the sequence captured from kube-apiserver v1.28 (alice creates, bob conflicts,
 * bob forces, alice drops a field, an Update manager conflicts with an applier).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCluster, type TestCluster } from '../test-support.js';

let c: TestCluster;
beforeAll(async () => {
  c = await testCluster();
});
afterAll(() => c.close());

const path = '/api/v1/namespaces/default/configmaps/ssa-demo';
const apply = (manager: string, yaml: string, extra = '') =>
  c.req('PATCH', `${path}?fieldManager=${manager}${extra}`, yaml, {
    'content-type': 'application/apply-patch+yaml',
  });
const owners = (o: {
  metadata: { managedFields: { manager: string; operation: string; fieldsV1: unknown }[] };
}) => Object.fromEntries(o.metadata.managedFields.map((e) => [`${e.manager}/${e.operation}`, e.fieldsV1]));

describe('server-side apply', () => {
  it('creates, conflicts, forces, removes omitted fields, and shares same-value ownership', async () => {
    const created = await apply(
      'alice',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-demo\n  labels:\n    owner: alice\ndata:\n  shared: from-alice\n  alice-only: "1"\n',
    );
    expect(created.status).toBe(201);
    expect(owners(created.json)).toEqual({
      'alice/Apply': {
        'f:data': { 'f:alice-only': {}, 'f:shared': {} },
        'f:metadata': { 'f:labels': { 'f:owner': {} } },
      },
    });
    const bob =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-demo\ndata:\n  shared: from-bob\n  bob-only: "2"\n';
    const conflict = await apply('bob', bob);
    expect(conflict.status).toBe(409);
    expect(conflict.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "alice": .data.shared',
      reason: 'Conflict',
      details: {
        causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.data.shared' }],
      },
      code: 409,
    });
    const forced = await apply('bob', bob, '&force=true');
    expect(forced.status).toBe(200);
    expect(forced.json.data).toEqual({ shared: 'from-bob', 'alice-only': '1', 'bob-only': '2' });
    expect(owners(forced.json)['alice/Apply']).toEqual({
      'f:data': { 'f:alice-only': {} },
      'f:metadata': { 'f:labels': { 'f:owner': {} } },
    });
    // alice re-applies only `shared` with bob's value: shared ownership, her other fields go.
    const dropped = await apply(
      'alice',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-demo\ndata:\n  shared: from-bob\n',
    );
    expect(dropped.status).toBe(200);
    expect(dropped.json.data).toEqual({ shared: 'from-bob', 'bob-only': '2' });
    expect(dropped.json.metadata.labels).toBeUndefined();
    expect(owners(dropped.json)['alice/Apply']).toEqual({ 'f:data': { 'f:shared': {} } });
    expect(owners(dropped.json)['bob/Apply']).toEqual({ 'f:data': { 'f:bob-only': {}, 'f:shared': {} } });
  });

  it('an Update manager conflicts "using v1", and Updates never conflict', async () => {
    const edited = await c.req(
      'PATCH',
      `${path}?fieldManager=eve-editor`,
      { metadata: { labels: { owner: 'eve' } } },
      {
        'content-type': 'application/merge-patch+json',
      },
    );
    expect(edited.status).toBe(200);
    expect(owners(edited.json)['eve-editor/Update']).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:owner': {} } },
    });
    const r = await apply(
      'alice',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-demo\n  labels:\n    owner: alice\ndata:\n  shared: from-bob\n',
    );
    expect(r.status).toBe(409);
    expect(r.json.details.causes).toEqual([
      {
        reason: 'FieldManagerConflict',
        message: 'conflict with "eve-editor" using v1',
        field: '.metadata.labels.owner',
      },
    ]);
    const update = await c.req(
      'PATCH',
      `${path}?fieldManager=mallory`,
      { data: { shared: 'mine' } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(update.status).toBe(200);
    // The Update took `shared` from both appliers (data existed already: no "." of its own, like
    // the captured `updater` entry).
    expect(owners(update.json)['mallory/Update']).toEqual({ 'f:data': { 'f:shared': {} } });
    expect(owners(update.json)['bob/Apply']).toEqual({ 'f:data': { 'f:bob-only': {} } });
  });
});

const deployments = '/apis/apps/v1/namespaces/default/deployments';
const applyDeploy = (manager: string, body: unknown, extra = '') =>
  c.req('PATCH', `${deployments}/web?fieldManager=${manager}${extra}`, JSON.stringify(body), {
    'content-type': 'application/apply-patch+yaml',
  });
const deploy = (containers: unknown[], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers } },
    ...extra,
  },
});

describe('server-side apply on typed lists (structured-merge-diff)', () => {
  it('a POSTed Deployment gets the fieldsV1 kube-apiserver wrote for it, k:{…} keys included', async () => {
    const sample = (f: string) =>
      JSON.parse(readFileSync(new URL(`../testdata/samples/${f}`, import.meta.url), 'utf8'));
    const body = sample('request-bodies/deploy.json');
    body.metadata.name = 'captured';
    const r = await c.req('POST', deployments, body, { 'user-agent': 'kref-client/1.0' });
    const want = sample('create-201-deployment-defaulted.json').metadata.managedFields[0].fieldsV1;
    expect(JSON.stringify(r.json.metadata.managedFields[0].fieldsV1)).toBe(JSON.stringify(want));
  });

  it('merges containers by name, ports by containerPort+protocol, env by name; shares equal values', async () => {
    const alice = await applyDeploy(
      'alice',
      deploy([
        { name: 'app', image: 'nginx:1', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] },
      ]),
    );
    expect(alice.status).toBe(201);
    expect(owners(alice.json)['alice/Apply']).toEqual({
      'f:spec': {
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"app"}': {
                '.': {},
                'f:env': { 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
                'f:image': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              },
            },
          },
        },
      },
    });
    // bob adds a sidecar and an env var to `app`: no conflict, nothing of alice's is replaced.
    const bob = await applyDeploy(
      'bob',
      deploy([
        { name: 'app', env: [{ name: 'B', value: '2' }] },
        { name: 'sidecar', image: 'busybox' },
      ]),
    );
    expect(bob.status).toBe(200);
    const containers = bob.json.spec.template.spec.containers;
    expect(containers.map((x: { name: string }) => x.name)).toEqual(['app', 'sidecar']);
    expect(containers[0].image).toBe('nginx:1');
    expect(containers[0].env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ]);
    expect(containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    // bob sets alice's image to the same value: shared; to another value: a conflict naming the item.
    const same = await applyDeploy(
      'bob',
      deploy([
        { name: 'app', image: 'nginx:1' },
        { name: 'sidecar', image: 'busybox' },
      ]),
    );
    expect(same.status).toBe(200);
    const conflict = await applyDeploy(
      'bob',
      deploy([
        { name: 'app', image: 'nginx:2' },
        { name: 'sidecar', image: 'busybox' },
      ]),
    );
    expect(conflict.status).toBe(409);
    expect(conflict.json.message).toBe(
      'Apply failed with 1 conflict: conflict with "alice": .spec.template.spec.containers[name="app"].image',
    );
    // bob dropped env B when re-applying without it: it is gone (he alone owned it).
    const now = (await c.req('GET', `${deployments}/web`)).json;
    expect(now.spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }]);
  });

  it('an item dropped from the configuration is removed, with its defaults, unless someone else owns part of it', async () => {
    const r = await applyDeploy('bob', deploy([{ name: 'app', image: 'nginx:1' }]));
    expect(r.status).toBe(200);
    expect(r.json.spec.template.spec.containers.map((x: { name: string }) => x.name)).toEqual(['app']);
    // carol takes the image of `app` with an Update; alice stops applying `app` altogether.
    await c.req(
      'PATCH',
      `${deployments}/web?fieldManager=carol`,
      '{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:3"}]}}}}',
      {
        'content-type': 'application/strategic-merge-patch+json',
      },
    );
    const alice = await applyDeploy('alice', deploy([{ name: 'other', image: 'x' }]));
    expect(alice.status).toBe(200);
    const byName = Object.fromEntries(
      alice.json.spec.template.spec.containers.map((x: { name: string }) => [x.name, x]),
    );
    expect(byName.app.image).toBe('nginx:3');
    expect(byName.other.image).toBe('x');
  });

  it('finalizers are a set (v:"…" entries); managedFields are sorted Apply first, then by time and name', async () => {
    const cmPath = '/api/v1/namespaces/default/configmaps/sets';
    const put = (manager: string, finalizers: string[]) =>
      c.req(
        'PATCH',
        `${cmPath}?fieldManager=${manager}`,
        JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sets', finalizers } }),
        { 'content-type': 'application/apply-patch+yaml' },
      );
    await put('zed', ['example.com/a']);
    const r = await put('amy', ['example.com/b', 'example.com/a']);
    // SMD's merge order: the applied order wins for items both sides have.
    expect(r.json.metadata.finalizers).toEqual(['example.com/b', 'example.com/a']);
    expect(owners(r.json)['amy/Apply']).toEqual({
      'f:metadata': { 'f:finalizers': { 'v:"example.com/a"': {}, 'v:"example.com/b"': {} } },
    });
    await c.req(
      'PATCH',
      `${cmPath}?fieldManager=ann`,
      { data: { x: '1' } },
      { 'content-type': 'application/merge-patch+json' },
    );
    const entries = (await c.req('GET', cmPath)).json.metadata.managedFields as {
      manager: string;
      operation: string;
      time: string;
    }[];
    const sorted = [...entries].sort(
      (p, q) =>
        (p.operation < q.operation ? -1 : p.operation > q.operation ? 1 : 0) ||
        Date.parse(p.time) - Date.parse(q.time) ||
        (p.manager < q.manager ? -1 : 1),
    );
    expect(entries.map((e) => e.manager)).toEqual(sorted.map((e) => e.manager));
    expect(entries.map((e) => e.operation)).toEqual(['Apply', 'Apply', 'Update']);
    await c.req(
      'PATCH',
      cmPath,
      { metadata: { finalizers: null } },
      { 'content-type': 'application/merge-patch+json' },
    );
  });
});
