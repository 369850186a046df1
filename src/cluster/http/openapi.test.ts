/**
 * /openapi/v2 and /openapi/v3 as kube-apiserver v1.28 serves them (shape checked against the
 * captured index and headers), and what kubectl 1.28 and 1.33 do with them: `explain` for built-in
 * kinds and custom resources (published while the CRD is established), and server-side strict
 * validation chosen because the PATCH operations advertise `fieldValidation`.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createFileRegistry, fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema, file_google_protobuf_any } from '@bufbuild/protobuf/wkt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor } from '../kubectl-support.js';
import { startClusterServer } from '../server.js';
import { testCluster, type TestCluster } from '../test-support.js';

const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description: 'A widget.',
            properties: {
              spec: {
                type: 'object',
                properties: { size: { type: 'integer', description: 'How big the widget is.' } },
              },
            },
          },
        },
      },
    ],
  },
};

async function until(f: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
}

describe('OpenAPI documents', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await testCluster();
  });
  afterAll(async () => {
    await c.close();
  });

  it('the v3 index has the real keys and hash URLs; hashed documents are immutable, wrong hashes 301', async () => {
    const idx = await c.req('GET', '/openapi/v3');
    expect(idx.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const paths = JSON.parse(idx.text).paths as Record<string, { serverRelativeURL: string }>;
    const real = JSON.parse(
      readFileSync(new URL('../testdata/samples/discovery-openapi-v3-index.json', import.meta.url), 'utf8'),
    ).paths as Record<string, unknown>;
    // Every key served here is a key of the real index; the rest belong to groups of the other branch.
    for (const k of Object.keys(paths)) expect(Object.keys(real)).toContain(k);
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['api/v1', 'apis/apps/v1', 'version', 'apis']));
    const url = paths['apis/apps/v1']!.serverRelativeURL;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    const doc = await c.req('GET', url);
    expect(doc.headers.get('cache-control')).toBe('public, immutable');
    expect(doc.headers.get('etag')).toBe(`"${url.split('=')[1]}"`);
    const wrong = await fetch(`${c.url}/openapi/v3/apis/apps/v1?hash=WRONG`, {
      headers: { authorization: `Bearer ${c.token}` },
      redirect: 'manual',
    });
    expect(wrong.status).toBe(301);
    expect(wrong.headers.get('location')).toBe(url);
    expect((await c.req('GET', '/openapi/v3/apis/apps/v1')).headers.get('cache-control')).toBe(
      'no-cache, private',
    );
    expect((await c.req('GET', '/openapi/v3/apis/nosuch/v1')).status).toBe(404);
  });

  it('v3 documents: schemas named like kube-openapi, GVK extensions, PATCH with fieldValidation', async () => {
    const doc = (await c.req('GET', '/openapi/v3/apis/apps/v1')).json;
    expect(doc.openapi).toBe('3.0.0');
    const dep = doc.components.schemas['io.k8s.api.apps.v1.Deployment'];
    expect(dep['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ]);
    expect(Object.keys(dep.properties)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(dep.properties.spec.allOf[0].$ref).toBe('#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec');
    const spec = doc.components.schemas['io.k8s.api.apps.v1.DeploymentSpec'];
    expect(spec.required).toEqual(['selector', 'template']);
    expect(spec.properties.replicas).toMatchObject({ type: 'integer', format: 'int32' });
    const podSpec = doc.components.schemas['io.k8s.api.core.v1.PodSpec'];
    expect(podSpec.properties.containers).toMatchObject({
      type: 'array',
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    expect(doc.components.schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({
      'x-kubernetes-int-or-string': true,
    });
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'apps',
      kind: 'Deployment',
      version: 'v1',
    });
    expect(patch.parameters.map((p: any) => p.name)).toContain('fieldValidation');
    expect(Object.keys(patch.requestBody.content)).toContain('application/strategic-merge-patch+json');
    const core = (await c.req('GET', '/openapi/v3/api/v1')).json;
    expect(core.components.schemas['io.k8s.api.core.v1.ConfigMap'].properties.binaryData).toMatchObject({
      type: 'object',
      additionalProperties: { type: 'string', format: 'byte' },
    });
  });

  it('v2: one Swagger document with definitions and paths; gzip when asked and large', async () => {
    const r = await fetch(`${c.url}/openapi/v2`, {
      headers: { authorization: `Bearer ${c.token}`, 'accept-encoding': 'gzip' },
    });
    // fetch decodes gzip itself: check the header and that the body is the document.
    expect(r.headers.get('content-encoding')).toBe('gzip');
    const doc = (await r.json()) as any;
    expect(doc.swagger).toBe('2.0');
    expect(doc.info).toEqual({ title: 'Kubernetes', version: 'v1.28.7' });
    expect(doc.definitions['io.k8s.api.core.v1.ConfigMap']['x-kubernetes-group-version-kind']).toEqual([
      { group: '', kind: 'ConfigMap', version: 'v1' },
    ]);
    expect(doc.definitions['io.k8s.api.apps.v1.Deployment'].properties.metadata.$ref).toBe(
      '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    );
    expect(doc.paths['/api/v1/namespaces/{namespace}/configmaps'].post.operationId).toBe(
      'createCoreV1NamespacedConfigMap',
    );
    expect(doc.paths['/apis/apps/v1/deployments'].get.operationId).toBe(
      'listAppsV1DeploymentForAllNamespaces',
    );
  });

  it("v2 in protobuf is gnostic's Document, decoded with its real descriptor", async () => {
    const r = await fetch(`${c.url}/openapi/v2`, {
      headers: {
        authorization: `Bearer ${c.token}`,
        accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
      },
    });
    expect(r.headers.get('content-type')).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    const json = await c.req('GET', '/openapi/v2');
    expect(r.headers.get('etag')).toBe(json.headers.get('etag'));
    const fd = fromBinary(
      FileDescriptorProtoSchema,
      readFileSync(new URL('../testdata/openapiv2.binpb', import.meta.url)),
    );
    const reg = createFileRegistry(fd, (name) =>
      name === 'google/protobuf/any.proto' ? file_google_protobuf_any : undefined,
    );
    const doc = fromBinary(
      reg.getMessage('openapi.v2.Document')!,
      new Uint8Array(await r.arrayBuffer()),
    ) as any;
    expect(doc.swagger).toBe('2.0');
    expect(doc.info.version).toBe('v1.28.7');
    const defs = new Map<string, any>(
      doc.definitions.additionalProperties.map((d: any) => [d.name, d.value]),
    );
    expect(defs.size).toBe(Object.keys(json.json.definitions).length);
    const dep = defs.get('io.k8s.api.apps.v1.Deployment');
    expect(dep.type.value).toEqual(['object']);
    const gvk = dep.vendorExtension.find((e: any) => e.name === 'x-kubernetes-group-version-kind');
    expect(JSON.parse(gvk.value.yaml)).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    const spec = defs.get('io.k8s.api.apps.v1.DeploymentSpec');
    const replicas = spec.properties.additionalProperties.find((p: any) => p.name === 'replicas').value;
    expect(replicas).toMatchObject({ format: 'int32', type: { value: ['integer'] } });
    const paths = new Map<string, any>(doc.paths.path.map((p: any) => [p.name, p.value]));
    const patch = paths.get('/apis/apps/v1/namespaces/{namespace}/deployments/{name}').patch;
    expect(patch.operationId).toBe('patchAppsV1NamespacedDeployment');
  });

  it('a CRD schema is published while the CRD is established and removed with it', async () => {
    expect(
      (await c.req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', widgetCrd)).status,
    ).toBe(201);
    await until(
      async () => 'apis/example.com/v1' in JSON.parse((await c.req('GET', '/openapi/v3')).text).paths,
    );
    const doc = (await c.req('GET', '/openapi/v3/apis/example.com/v1')).json;
    const w = doc.components.schemas['com.example.v1.Widget'];
    expect(w['x-kubernetes-group-version-kind']).toEqual([
      { group: 'example.com', kind: 'Widget', version: 'v1' },
    ]);
    expect(w.properties.spec.properties.size).toEqual({
      type: 'integer',
      description: 'How big the widget is.',
    });
    expect(doc.components.schemas['com.example.v1.WidgetList'].properties.items.items.$ref).toBe(
      '#/components/schemas/com.example.v1.Widget',
    );
    const v2 = (await c.req('GET', '/openapi/v2')).json;
    expect(v2.definitions['com.example.v1.Widget']).toBeDefined();
    expect(
      (await c.req('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com'))
        .status,
    ).toBe(200);
    await until(
      async () => !('apis/example.com/v1' in JSON.parse((await c.req('GET', '/openapi/v3')).text).paths),
    );
    expect((await c.req('GET', '/openapi/v2')).json.definitions['com.example.v1.Widget']).toBeUndefined();
  });

  it('large lists are gzipped above 128 KiB when the client accepts gzip, not below', async () => {
    for (let i = 0; i < 40; i++) {
      await c.req('POST', '/api/v1/namespaces/default/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `big-${i}` },
        data: { v: 'x'.repeat(4000) },
      });
    }
    const raw = async (path: string) =>
      new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
        // node:http, not fetch: see the bytes on the wire.
        import('node:http').then(({ get }) =>
          get(
            `${c.url}${path}`,
            { headers: { authorization: `Bearer ${c.token}`, 'accept-encoding': 'gzip' } },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (d: Buffer) => chunks.push(d));
              res.on('end', () =>
                resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }),
              );
            },
          ).on('error', reject),
        );
      });
    const big = await raw('/api/v1/namespaces/default/configmaps');
    expect(big.encoding).toBe('gzip');
    expect(JSON.parse(gunzipSync(big.body).toString()).items.length).toBeGreaterThanOrEqual(40);
    const small = await raw('/api/v1/namespaces/default/configmaps/big-1');
    expect(small.encoding).toBeUndefined();
  });
});

describe.each(['1.28', '1.33'])('kubectl %s with the OpenAPI documents', (version) => {
  it('explains built-in and custom fields, and strict validation rejects an unknown nested field', async () => {
    const server = await startClusterServer({ tls: true });
    const kubectl = await kubectlFor(version, server);
    const dir = await mkdtemp(join(tmpdir(), 'kubeperf-openapi-'));
    try {
      if (version === '1.28') {
        // 1.28 still explains from /openapi/v2 (protobuf) on request.
        const v2 = await kubectl.run(
          'explain',
          'deployment.spec.replicas',
          '--output',
          'plaintext-openapiv2',
        );
        expect(v2.stdout).toMatch(/FIELD:\s+replicas <integer>/);
      }
      const explain = await kubectl.run('explain', 'deployment.spec.replicas');
      expect(explain.stdout).toMatch(/KIND:\s+Deployment/);
      expect(explain.stdout).toMatch(/FIELD:\s+replicas <integer>/);
      expect(explain.stdout).toContain('Number of desired pods.');
      const pod = await kubectl.run('explain', 'pod.spec.containers.resources.limits');
      expect(pod.stdout).toMatch(/FIELD:\s+limits <map\[string\]Quantity>/);

      const bad = join(dir, 'bad.yaml');
      await writeFile(
        bad,
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: bad}\nspec:\n  selector: {matchLabels: {app: b}}\n  template:\n    metadata: {labels: {app: b}}\n    spec:\n      containers: [{name: c, image: nginx, imagePullPolicyy: Always}]\n',
      );
      const applied = await kubectl.run('apply', '--validate=strict', '-f', bad);
      expect(applied.code).not.toBe(0);
      expect(applied.stderr).toContain(
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
      );

      const crd = join(dir, 'crd.json');
      await writeFile(crd, JSON.stringify(widgetCrd));
      expect((await kubectl.run('apply', '-f', crd)).code).toBe(0);
      await kubectl.run('wait', '--for=condition=Established', 'crd/widgets.example.com');
      const cr = await kubectl.run('explain', 'widget.spec.size');
      expect(cr.stdout).toContain('How big the widget is.');
    } finally {
      await rm(dir, { recursive: true, force: true });
      await kubectl.cleanup();
      await server.close();
    }
  });
});
