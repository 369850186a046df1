/**
 * Content negotiation as kube-apiserver v1.28 does it: Tables for one object and in
 * meta.k8s.io/v1beta1, includeObject, HEAD, and which unknown paths get the JSON 404 Status and
 * which the plain-text `404 page not found` (captured samples).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCluster, type TestCluster, cm } from '../test-support.js';

const tableV1 = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const tableV1beta1 = 'application/json;as=Table;v=v1beta1;g=meta.k8s.io';

describe('negotiation', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await testCluster();
    await c.req('POST', '/api/v1/namespaces/default/configmaps', cm('t1', { a: 'b' }, { x: '1', y: '2' }));
  });
  afterAll(async () => {
    await c.close();
  });

  it('GET of one object as a Table, v1 or v1beta1, with includeObject', async () => {
    const one = await c.req('GET', '/api/v1/namespaces/default/configmaps/t1', undefined, {
      accept: `${tableV1},application/json`,
    });
    expect(one.json).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(one.json.columnDefinitions.map((d: any) => d.name)).toEqual(['Name', 'Data', 'Age']);
    expect(one.json.rows).toHaveLength(1);
    expect(one.json.rows[0].cells.slice(0, 2)).toEqual(['t1', 2]);
    expect(one.json.rows[0].object).toMatchObject({
      kind: 'PartialObjectMetadata',
      metadata: { name: 't1' },
    });

    const beta = await c.req('GET', '/api/v1/namespaces/default/configmaps?includeObject=None', undefined, {
      accept: tableV1beta1,
    });
    expect(beta.json.apiVersion).toBe('meta.k8s.io/v1beta1');
    expect(beta.json.rows[0]).not.toHaveProperty('object');

    const full = await c.req(
      'GET',
      '/api/v1/namespaces/default/configmaps/t1?includeObject=Object',
      undefined,
      {
        accept: tableV1,
      },
    );
    expect(full.json.rows[0].object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', data: { x: '1' } });
    const bad = await c.req('GET', '/api/v1/namespaces/default/configmaps?includeObject=All', undefined, {
      accept: tableV1,
    });
    expect(bad.status).toBe(400);
    // A Table of an unknown meta.k8s.io version is not acceptable.
    const v2 = await c.req('GET', '/api/v1/namespaces/default/configmaps', undefined, {
      accept: 'application/json;as=Table;v=v2;g=meta.k8s.io',
    });
    expect(v2.status).toBe(406);
  });

  it('HEAD is 405; unknown versions of built-in groups are JSON 404s, unknown groups plain text', async () => {
    expect((await c.req('HEAD', '/api/v1/namespaces/default/configmaps/t1')).status).toBe(405);
    for (const path of [
      '/api/v2',
      '/api/v2/namespaces',
      '/apis/apps/v9/deployments',
      '/apis/apps/v9',
      '/api/v1/foos',
    ]) {
      const r = await c.req('GET', path);
      expect(r.status, path).toBe(404);
      expect(r.json, path).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'the server could not find the requested resource',
        reason: 'NotFound',
        details: {},
        code: 404,
      });
    }
    for (const path of ['/apis/nosuch.example.com/v1/things', '/foo/bar']) {
      const r = await c.req('GET', path);
      expect(r.status, path).toBe(404);
      expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(r.text).toBe('404 page not found\n');
    }
  });
});
