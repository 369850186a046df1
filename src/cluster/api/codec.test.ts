/**
 * Encoding details clients notice: YAML request bodies are YAML 1.1 as sigs.k8s.io/yaml reads them
 * (go-yaml v2), YAML responses are written as it writes them (captured sample), and the duplicate
 * field scan names paths as sigs.k8s.io/json's strict decoder does.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCluster, type TestCluster } from '../test-support.js';
import { duplicateFields, goYamlKeyCompare, parseYaml } from './codec.js';

let c: TestCluster;
beforeAll(async () => {
  c = await testCluster();
  await c.req('POST', '/api/v1/namespaces', { metadata: { name: 'watch' } });
});
afterAll(() => c.close());

const yaml = { 'content-type': 'application/yaml' };

describe('YAML request bodies (YAML 1.1)', () => {
  it('on/yes/y are booleans: as keys they become "true", as string values they are a type error', async () => {
    const r = await c.req(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml11\ndata:\n  on: "x"\n  "off": "1:20"\n  n2: "0755"\n',
      yaml,
    );
    expect(r.status).toBe(201);
    expect(r.json.data).toEqual({ true: 'x', off: '1:20', n2: '0755' });
    const label = await c.req(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml11b\n  labels:\n    enabled: yes\n',
      yaml,
    );
    expect(label.json.message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string',
    );
  });

  it('parses like go-yaml v2: octal, underscores, y/n, but timestamps, 1:20 and "." stay strings', () => {
    expect(parseYaml('a: 0755\nb: 1_000\nc: y\nn: 1\nd: 2001-12-14\ne: 1:20\n.: x\nf: Off\n')).toEqual({
      a: 493,
      b: 1000,
      c: true,
      false: 1,
      d: '2001-12-14',
      e: '1:20',
      '.': 'x',
      f: false,
    });
  });
});

describe('YAML responses', () => {
  it('match the captured kube-apiserver output byte for byte (sorted keys, apiVersion first)', async () => {
    const created = await c.req(
      'POST',
      '/api/v1/namespaces/watch/configmaps',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pre-existing' }, data: { a: 'table2' } },
      { 'user-agent': 'kref-client/1.0' },
    );
    const m = created.json.metadata;
    const want = readFileSync(
      new URL('../testdata/samples/get-200-configmap-accept-yaml.yaml', import.meta.url),
      'utf8',
    )
      .replace('"2026-11-22T18:59:13Z"', `"${m.creationTimestamp}"`)
      .replace('"2026-11-22T19:04:15Z"', `"${m.managedFields[0].time}"`)
      .replace('"575"', `"${m.resourceVersion}"`)
      .replace('9fd7e553-d8ad-47ed-9b76-7552c61af88b', m.uid);
    const r = await c.req('GET', '/api/v1/namespaces/watch/configmaps/pre-existing', undefined, {
      accept: 'application/yaml',
    });
    expect(r.headers.get('content-type')).toBe('application/yaml');
    expect(r.text).toBe(want);
  });

  it("orders keys as go-yaml's sorter (numbers by value, non-letters first)", () => {
    expect(['a10', 'a9', 'b', 'B', '.', '10', '9', 'f:data', 'f:a'].sort(goYamlKeyCompare)).toEqual([
      '.',
      '9',
      '10',
      'B',
      'a9',
      'a10',
      'b',
      'f:a',
      'f:data',
    ]);
  });
});

describe('duplicate JSON fields', () => {
  it('are found with their paths, in document order, without false positives', () => {
    expect(duplicateFields('{"a":1,"b":{"c":1,"c":2},"a":3}')).toEqual(['b.c', 'a']);
    expect(duplicateFields('{"spec":{"containers":[{"name":"x"},{"name":"y","name":"z"}]}}')).toEqual([
      'spec.containers[1].name',
    ]);
    expect(duplicateFields('{"data":{"k\\"q":"v","k\\u0022q":"w"}}')).toEqual(['data.k"q']);
    expect(duplicateFields('{"x":"a,b{c}\\"\\\\","y":[1,[2,3],{"z":1,"z":2}]}')).toEqual(['y[2].z']);
    expect(duplicateFields('{"":"x","x":1,"list":[{"a":1},{"a":2}]}')).toEqual([]);
  });
});
