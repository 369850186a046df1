/**
 * Server-side apply: the sequence captured from kube-apiserver v1.28 (alice creates, bob conflicts,
 * bob forces, alice drops a field, an Update manager conflicts with an applier).
 */
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
    // The Update took `shared` from both appliers.
    expect(owners(update.json)['mallory/Update']).toEqual({ 'f:data': { '.': {}, 'f:shared': {} } });
    expect(owners(update.json)['bob/Apply']).toEqual({ 'f:data': { 'f:bob-only': {} } });
  });
});
