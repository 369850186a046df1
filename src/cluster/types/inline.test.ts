/**
 * Go-embedded structs (`json:",inline"`) in the type table: their fields belong to the parent in
 * JSON (a Volume's `emptyDir`, a Probe's `httpGet`, a key selector's `name`) and to a nested message
 * in protobuf. Without the JSON view, strict decoding dropped them as unknown fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtobuf, encodeEnvelope } from '../api/protobuf.js';
import { testCluster, type TestCluster } from '../test-support.js';

let c: TestCluster;
beforeAll(async () => {
  c = await testCluster();
});
afterAll(() => c.close());

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'inline' },
  spec: {
    containers: [
      {
        name: 'a',
        image: 'x',
        readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5 },
        env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }],
      },
    ],
    volumes: [
      { name: 'v', emptyDir: {} },
      { name: 'c', configMap: { name: 'cm' } },
    ],
  },
};

describe('inline (embedded) fields', () => {
  it('are known fields of the parent in JSON: no warning, nothing dropped', async () => {
    const r = await c.req('POST', '/api/v1/namespaces/default/pods', pod);
    expect(r.status).toBe(201);
    expect(r.headers.get('warning')).toBeNull();
    expect(r.json.spec.volumes).toEqual(pod.spec.volumes);
    expect(r.json.spec.containers[0].readinessProbe).toMatchObject(pod.spec.containers[0].readinessProbe);
    expect(r.json.spec.containers[0].env).toEqual(pod.spec.containers[0].env);
  });

  it('round-trip through protobuf as nested messages', () => {
    const back = decodeProtobuf(encodeEnvelope(pod)!, 'Pod') as typeof pod;
    expect(back.spec).toEqual(pod.spec);
  });
});
