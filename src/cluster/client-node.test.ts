/**
 * Acceptance: @kubernetes/client-node (CoreV1Api, AppsV1Api, CustomObjectsApi, Watch, informer)
 * against the embedded cluster, unchanged, with the kubeconfig the cluster writes.
 */
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeconfigYaml } from './kubeconfig.js';
import { startClusterServer, type ClusterServer } from './server.js';

let server: ClusterServer;
let kc: k8s.KubeConfig;

beforeAll(async () => {
  server = await startClusterServer({});
  kc = new k8s.KubeConfig();
  kc.loadFromString(kubeconfigYaml({ server: server.url, token: server.token }));
});
afterAll(() => server.close());

function until(pred: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (pred()) resolve();
      else if (Date.now() - start > ms) reject(new Error('condition not met in time'));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

describe('@kubernetes/client-node', () => {
  it('CoreV1Api: namespaces, configmaps CRUD, errors as ApiException with the Status body', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const nsList = await core.listNamespace();
    expect(nsList.items.map((n) => n.metadata?.name)).toContain('default');
    await core.createNamespace({ body: { metadata: { name: 'cn' } } });
    const created = await core.createNamespacedConfigMap({
      namespace: 'cn',
      body: { metadata: { name: 'a', labels: { app: 'x' } }, data: { k: 'v' } },
    });
    expect(created.metadata?.uid).toBeDefined();
    const read = await core.readNamespacedConfigMap({ name: 'a', namespace: 'cn' });
    expect(read.data).toEqual({ k: 'v' });
    read.data = { k: 'v2' };
    const replaced = await core.replaceNamespacedConfigMap({ name: 'a', namespace: 'cn', body: read });
    expect(replaced.data).toEqual({ k: 'v2' });
    const patched = await core.patchNamespacedConfigMap(
      { name: 'a', namespace: 'cn', body: { data: { extra: '1' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(patched.data).toEqual({ k: 'v2', extra: '1' });
    const listed = await core.listNamespacedConfigMap({ namespace: 'cn', labelSelector: 'app=x' });
    expect(listed.items).toHaveLength(1);
    await core.deleteNamespacedConfigMap({ name: 'a', namespace: 'cn' });
    const err = await core.readNamespacedConfigMap({ name: 'a', namespace: 'cn' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(k8s.ApiException);
    expect((err as k8s.ApiException<unknown>).code).toBe(404);
    expect(JSON.parse((err as k8s.ApiException<string>).body)).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
    });
  });

  it('AppsV1Api: deployments with defaults and the scale subresource', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const d = await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] },
          },
        },
      },
    });
    expect(d.metadata?.generation).toBe(1);
    expect(d.spec?.strategy?.type).toBe('RollingUpdate');
    expect(d.spec?.template.spec?.containers[0]?.imagePullPolicy).toBe('IfNotPresent');
    const list = await apps.listNamespacedDeployment({ namespace: 'default' });
    expect(list.items.map((x) => x.metadata?.name)).toContain('web');
    const scale = await apps.readNamespacedDeploymentScale({ name: 'web', namespace: 'default' });
    expect(scale.spec?.replicas).toBe(2);
    await apps.replaceNamespacedDeploymentScale({
      name: 'web',
      namespace: 'default',
      body: { metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 3 } },
    });
    const after = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    expect(after.spec?.replicas).toBe(3);
    expect(after.metadata?.generation).toBe(2);
    expect(after.spec?.template.spec?.containers[0]?.image).toBe('nginx:1.25');
  });

  it('CustomObjectsApi: CRD then custom objects with status subresource', async () => {
    const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
    await ext.createCustomResourceDefinition({
      body: {
        metadata: { name: 'gadgets.example.org' },
        spec: {
          group: 'example.org',
          scope: 'Namespaced',
          names: { plural: 'gadgets', kind: 'Gadget', shortNames: ['gd'] },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              subresources: { status: {} },
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: { type: 'object', properties: { size: { type: 'integer', _default: 1 } } },
                    status: { type: 'object', properties: { ready: { type: 'boolean' } } },
                  },
                },
              },
            },
          ],
        },
      },
    });
    const deadline = Date.now() + 5000;
    for (;;) {
      const crd = await ext.readCustomResourceDefinition({ name: 'gadgets.example.org' });
      if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error('CRD not established');
      await new Promise((r) => setTimeout(r, 10));
    }
    const co = kc.makeApiClient(k8s.CustomObjectsApi);
    const g = (await co.createNamespacedCustomObject({
      group: 'example.org',
      version: 'v1',
      namespace: 'default',
      plural: 'gadgets',
      body: { apiVersion: 'example.org/v1', kind: 'Gadget', metadata: { name: 'g1' }, spec: {} },
    })) as { spec: { size: number } };
    expect(g.spec.size).toBe(1);
    await co.patchNamespacedCustomObjectStatus(
      {
        group: 'example.org',
        version: 'v1',
        namespace: 'default',
        plural: 'gadgets',
        name: 'g1',
        body: { status: { ready: true } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const got = (await co.getNamespacedCustomObject({
      group: 'example.org',
      version: 'v1',
      namespace: 'default',
      plural: 'gadgets',
      name: 'g1',
    })) as { status: { ready: boolean } };
    expect(got.status.ready).toBe(true);
    const list = (await co.listNamespacedCustomObject({
      group: 'example.org',
      version: 'v1',
      namespace: 'default',
      plural: 'gadgets',
    })) as {
      items: unknown[];
    };
    expect(list.items).toHaveLength(1);
  });

  it('Watch delivers ADDED/MODIFIED/DELETED', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'wn' } } });
    const events: string[] = [];
    const watch = new k8s.Watch(kc);
    const req = await watch.watch(
      '/api/v1/namespaces/wn/configmaps',
      {},
      (type, obj: k8s.V1ConfigMap) => events.push(`${type}:${obj.metadata?.name}`),
      () => {},
    );
    await core.createNamespacedConfigMap({ namespace: 'wn', body: { metadata: { name: 'w' } } });
    await core.patchNamespacedConfigMap(
      { name: 'w', namespace: 'wn', body: { data: { a: '1' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedConfigMap({ name: 'w', namespace: 'wn' });
    await until(() => events.length >= 3);
    req.abort();
    expect(events).toEqual(['ADDED:w', 'MODIFIED:w', 'DELETED:w']);
  });

  it('an informer lists, then follows changes', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'inf' } } });
    await core.createNamespacedConfigMap({ namespace: 'inf', body: { metadata: { name: 'pre' } } });
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/inf/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'inf' }),
    );
    const seen: string[] = [];
    informer.on('add', (o) => seen.push(`add:${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update:${o.metadata?.name}`));
    informer.on('delete', (o) => seen.push(`delete:${o.metadata?.name}`));
    await informer.start();
    try {
      await until(() => seen.includes('add:pre'));
      await core.createNamespacedConfigMap({ namespace: 'inf', body: { metadata: { name: 'post' } } });
      await core.patchNamespacedConfigMap(
        { name: 'post', namespace: 'inf', body: { data: { a: '1' } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedConfigMap({ name: 'pre', namespace: 'inf' });
      await until(() => seen.includes('delete:pre') && seen.includes('update:post'));
      expect(informer.list().map((o) => o.metadata?.name)).toEqual(['post']);
    } finally {
      await informer.stop();
    }
  });
});
