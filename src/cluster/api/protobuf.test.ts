/**
 * Protobuf responses, request bodies, lists and watch frames, decoded with an independent decoder:
 * @bufbuild/protobuf over the FileDescriptorProtos of Kubernetes v1.28 (extracted from a client-go
 * binary into testdata by scripts/gen-kube-types.ts), not with our own codec.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFileRegistry,
  create,
  fromBinary,
  toBinary,
  type DescMessage,
  type Registry,
} from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { testCluster, type TestCluster } from '../test-support.js';

const fds = fromBinary(
  FileDescriptorSetSchema,
  zlib.gunzipSync(fs.readFileSync(path.join(import.meta.dirname, '../testdata/kube-1.28.binpb.gz'))),
);
const registry: Registry = createFileRegistry(fds);
const msg = (name: string): DescMessage => {
  const d = registry.getMessage(name);
  if (!d) throw new Error(`no message ${name}`);
  return d;
};
const PB = 'application/vnd.kubernetes.protobuf';

// Reflective read of a decoded message as a plain object (proto field names, bigint → number).
function plain(m: unknown): any {
  if (typeof m === 'bigint') return Number(m);
  if (m instanceof Uint8Array) return Buffer.from(m).toString('utf8');
  if (Array.isArray(m)) return m.map(plain);
  if (m && typeof m === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(m)) if (k !== '$typeName' && k !== '$unknown') out[k] = plain(v);
    return out;
  }
  return m;
}

function unwrap(body: Buffer): { apiVersion: string; kind: string; raw: Uint8Array; unknown: any } {
  expect([...body.subarray(0, 4)]).toEqual([0x6b, 0x38, 0x73, 0x00]);
  const u = fromBinary(msg('k8s.io.apimachinery.pkg.runtime.Unknown'), body.subarray(4)) as any;
  return { apiVersion: u.typeMeta.apiVersion, kind: u.typeMeta.kind, raw: u.raw, unknown: u };
}

async function raw(
  c: TestCluster,
  method: string,
  p: string,
  headers: Record<string, string>,
  body?: Uint8Array,
) {
  const r = await fetch(c.url + p, {
    method,
    headers: { authorization: `Bearer ${c.token}`, ...headers },
    body: body as BodyInit | undefined,
  });
  return { status: r.status, type: r.headers.get('content-type'), body: Buffer.from(await r.arrayBuffer()) };
}

describe('protobuf (client-go default Accept)', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await testCluster();
  });
  afterAll(async () => {
    await c.close();
  });

  it('GET of a ConfigMap answers protobuf that the real schema decodes', async () => {
    await c.req('POST', '/api/v1/namespaces/default/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'pb1', labels: { a: 'b' } },
      data: { k: 'v', z: 'ü' },
      binaryData: { bin: Buffer.from([0, 1, 2]).toString('base64') },
    });
    const r = await raw(c, 'GET', '/api/v1/namespaces/default/configmaps/pb1', {
      accept: `${PB}, application/json`,
    });
    expect(r.status).toBe(200);
    expect(r.type).toBe(PB);
    const u = unwrap(r.body);
    expect(u).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(u.unknown.contentEncoding).toBe('');
    const cm = fromBinary(msg('k8s.io.api.core.v1.ConfigMap'), u.raw) as any;
    expect(cm.metadata.name).toBe('pb1');
    expect(cm.metadata.namespace).toBe('default');
    expect(cm.metadata.labels).toEqual({ a: 'b' });
    expect(cm.data).toEqual({ k: 'v', z: 'ü' });
    expect([...cm.binaryData.bin]).toEqual([0, 1, 2]);
    expect(Number(cm.metadata.creationTimestamp.seconds)).toBeGreaterThan(1_600_000_000);
    expect(cm.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    const mf = cm.metadata.managedFields[0];
    expect(mf.operation).toBe('Update');
    expect(JSON.parse(Buffer.from(mf.fieldsV1.Raw).toString())).toHaveProperty('f:data');
  });

  it('a Deployment and a Pod keep nested specs, quantities, int-or-string and pointers', async () => {
    const dep = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsUser: 0 },
            containers: [
              {
                name: 'c',
                image: 'nginx',
                ports: [{ containerPort: 80, protocol: 'TCP' }],
                resources: { limits: { cpu: '500m', memory: '64Mi' } },
                env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
              },
            ],
          },
        },
      },
    };
    expect((await c.req('POST', '/apis/apps/v1/namespaces/default/deployments', dep)).status).toBe(201);
    const r = await raw(c, 'GET', '/apis/apps/v1/namespaces/default/deployments/web', { accept: PB });
    expect(r.type).toBe(PB);
    const d = plain(fromBinary(msg('k8s.io.api.apps.v1.Deployment'), unwrap(r.body).raw));
    expect(d.spec.replicas).toBe(0);
    expect(d.spec.strategy.rollingUpdate.maxSurge).toMatchObject({ type: 1, strVal: '25%' });
    expect(d.spec.strategy.rollingUpdate.maxUnavailable).toMatchObject({ type: 0, intVal: 1 });
    const pod = d.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext.runAsUser).toBe(0);
    expect(pod.containers[0].resources.limits.cpu.string).toBe('500m');
    expect(pod.containers[0].env[0].valueFrom.fieldRef.fieldPath).toBe('metadata.name');
    expect(pod.containers[0].ports[0]).toMatchObject({ containerPort: 80, protocol: 'TCP' });
  });

  it('accepts a protobuf request body built by the independent encoder and stores the same object', async () => {
    const Secret = msg('k8s.io.api.core.v1.Secret');
    const secret = create(Secret, {
      metadata: { name: 's1', labels: { x: 'y' } },
      data: { 'tls.crt': new Uint8Array([1, 2, 3]) },
      type: 'Opaque',
      immutable: false,
    } as any);
    const Unknown = msg('k8s.io.apimachinery.pkg.runtime.Unknown');
    const env = toBinary(
      Unknown,
      create(Unknown, {
        typeMeta: { apiVersion: 'v1', kind: 'Secret' },
        raw: toBinary(Secret, secret),
        contentEncoding: '',
        contentType: '',
      } as any),
    );
    const body = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0]), env]);
    const r = await raw(
      c,
      'POST',
      '/api/v1/namespaces/default/secrets',
      { 'content-type': PB, accept: 'application/json' },
      body,
    );
    expect(r.status).toBe(201);
    const got = JSON.parse(r.body.toString());
    expect(got).toMatchObject({
      kind: 'Secret',
      apiVersion: 'v1',
      metadata: { name: 's1', labels: { x: 'y' } },
      data: { 'tls.crt': 'AQID' },
      type: 'Opaque',
      immutable: false,
    });
  });

  it('lists are <Kind>List messages; custom resources fall back to JSON or 406', async () => {
    const r = await raw(c, 'GET', '/api/v1/namespaces', { accept: `${PB}, application/json` });
    expect(r.type).toBe(PB);
    const u = unwrap(r.body);
    expect(u.kind).toBe('NamespaceList');
    const list = plain(fromBinary(msg('k8s.io.api.core.v1.NamespaceList'), u.raw));
    expect(list.items.map((n: any) => n.metadata.name)).toEqual(
      expect.arrayContaining(['default', 'kube-system']),
    );
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThan(0);

    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.pb.example.com' },
      spec: {
        group: 'pb.example.com',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    };
    expect((await c.req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(
      201,
    );
    // The CRD object itself is a built-in kind: protobuf, with JSONSchemaProps' special JSON names.
    const crdPb = await raw(
      c,
      'GET',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.pb.example.com',
      {
        accept: PB,
      },
    );
    const crdMsg = plain(
      fromBinary(
        msg('k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition'),
        unwrap(crdPb.body).raw,
      ),
    );
    expect(crdMsg.spec.versions[0].schema.openAPIV3Schema.xKubernetesPreserveUnknownFields).toBe(true);
    for (let i = 0; i < 50; i++) {
      if ((await c.req('GET', '/apis/pb.example.com/v1/namespaces/default/widgets')).status === 200) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const both = await raw(c, 'GET', '/apis/pb.example.com/v1/namespaces/default/widgets', {
      accept: `${PB}, application/json`,
    });
    expect(both.status).toBe(200);
    expect(both.type).toBe('application/json');
    const only = await raw(c, 'GET', '/apis/pb.example.com/v1/namespaces/default/widgets', { accept: PB });
    expect(only.status).toBe(406);
  });

  it('metadata-only clients get PartialObjectMetadataList in protobuf', async () => {
    const r = await raw(c, 'GET', '/api/v1/namespaces', {
      accept: `${PB};as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json`,
    });
    expect(r.type).toBe(PB);
    const u = unwrap(r.body);
    expect(u).toMatchObject({ apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadataList' });
    const list = plain(
      fromBinary(msg('k8s.io.apimachinery.pkg.apis.meta.v1.PartialObjectMetadataList'), u.raw),
    );
    expect(list.items.map((i: any) => i.metadata.name)).toContain('kube-system');
  });

  it('errors of a protobuf request are protobuf Status objects', async () => {
    const r = await raw(c, 'GET', '/api/v1/namespaces/default/configmaps/missing', {
      accept: `${PB}, application/json`,
    });
    expect(r.status).toBe(404);
    expect(r.type).toBe(PB);
    const u = unwrap(r.body);
    expect(u).toMatchObject({ apiVersion: 'v1', kind: 'Status' });
    const st = plain(fromBinary(msg('k8s.io.apimachinery.pkg.apis.meta.v1.Status'), u.raw));
    expect(st).toMatchObject({
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
      message: 'configmaps "missing" not found',
      details: { name: 'missing', kind: 'configmaps' },
    });
  });

  it('watch streams length-prefixed WatchEvent frames', async () => {
    const ac = new AbortController();
    const r = await fetch(`${c.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0`, {
      headers: { authorization: `Bearer ${c.token}`, accept: `${PB}, application/json` },
      signal: ac.signal,
    });
    expect(r.headers.get('content-type')).toBe(`${PB};stream=watch`);
    const reader = r.body!.getReader();
    let buf = Buffer.alloc(0);
    const frames: any[] = [];
    const WatchEvent = msg('k8s.io.apimachinery.pkg.apis.meta.v1.WatchEvent');
    await c.req('POST', '/api/v1/namespaces/default/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'watched' },
    });
    while (!frames.some((f) => f.type === 'ADDED' && f.name === 'watched')) {
      const { value, done } = await reader.read();
      if (done) break;
      buf = Buffer.concat([buf, Buffer.from(value)]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
        const len = buf.readUInt32BE(0);
        const ev = fromBinary(WatchEvent, buf.subarray(4, 4 + len)) as any;
        buf = buf.subarray(4 + len);
        const u = unwrap(Buffer.from(ev.object.raw));
        const cm = fromBinary(msg('k8s.io.api.core.v1.ConfigMap'), u.raw) as any;
        frames.push({ type: ev.type, kind: u.kind, name: cm.metadata.name });
      }
    }
    ac.abort();
    expect(frames.find((f) => f.name === 'watched')).toEqual({
      type: 'ADDED',
      kind: 'ConfigMap',
      name: 'watched',
    });
    expect(frames.every((f) => f.kind === 'ConfigMap')).toBe(true);
  });
});
