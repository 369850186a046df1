import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../kube/connect.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import { launchTestCluster, type TestCluster } from '../../kube/testing.js';
import { launchController, type ControllerProcess } from '../runtime/launch.js';
import { findCondition } from '../runtime/objects.js';
import {
  MILO_API_VERSION,
  organizations,
  organizationScope,
  PROJECT_FINALIZER,
  projects,
  projectScope,
} from './api.js';

async function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const get = async (c: KubeClient, name: string) => {
  const r = await c.get(projects, undefined, name);
  return r?.status === 200 ? (JSON.parse(r.body) as KubeObject) : undefined;
};

async function createOrgAndProjects(c: KubeClient, org: string, names: string[], apply = false) {
  const send = (path: string, body: KubeObject) =>
    apply
      ? c.rest.request({
          method: 'PATCH',
          path: `${path}/${body.metadata.name}?fieldManager=test`,
          body: JSON.stringify(body),
          contentType: 'application/apply-patch+yaml',
        })
      : c.rest.request({ method: 'POST', path, body: JSON.stringify(body) });
  const o = await send(`/apis/${MILO_API_VERSION}/organizations`, {
    apiVersion: MILO_API_VERSION,
    kind: 'Organization',
    metadata: { name: org },
    spec: { type: 'Standard' },
  });
  expect(o.status).toBeLessThan(300);
  for (const name of names) {
    const r = await send(`${organizationScope(org)}/apis/${MILO_API_VERSION}/projects`, {
      apiVersion: MILO_API_VERSION,
      kind: 'Project',
      metadata: { name },
      spec: { ownerRef: { kind: 'Organization', name: org } },
    });
    expect(r.status, r.body).toBeLessThan(300);
  }
}

describe('simulated Milo project controller', () => {
  let cluster: TestCluster;
  let controller: ControllerProcess;
  let c: KubeClient;
  beforeAll(async () => {
    cluster = await launchTestCluster({ milo: true });
    controller = await launchController('project', { kubeconfig: cluster.target.kubeconfigPath! });
    c = await connect(cluster.target);
  });
  afterAll(async () => {
    await c?.close();
    await controller?.stop();
    await cluster?.stop();
  });

  it('makes each project Ready: finalizer, its default namespace, Ready=True "Project is ready"', async () => {
    await createOrgAndProjects(c, 'acme', ['acme-p-001', 'acme-p-002', 'acme-p-003']);
    for (const name of ['acme-p-001', 'acme-p-002', 'acme-p-003']) {
      const p = await until(`${name} Ready`, async () => {
        const x = await get(c, name);
        return findCondition(x, 'Ready')?.status === 'True' ? x : undefined;
      });
      expect(p.metadata.finalizers).toEqual([PROJECT_FINALIZER]);
      expect(findCondition(p, 'Ready')).toMatchObject({
        reason: 'Ready',
        message: 'Project is ready',
        observedGeneration: 1,
      });
      const scoped = c.rest.withPathPrefix(projectScope(name));
      const ns = await scoped.request({ method: 'GET', path: '/api/v1/namespaces/default' });
      expect(ns.status).toBe(200);
      expect(JSON.parse(ns.body).metadata.labels).toMatchObject({ 'miloapis.com/project-default': 'true' });
    }
    // Nothing sets Organization Ready.
    const org = JSON.parse((await c.get(organizations, undefined, 'acme'))!.body);
    expect(findCondition(org, 'Ready')?.status).not.toBe('True');
  });

  it('purges a deleted project’s control plane, then removes its finalizer', async () => {
    const name = 'acme-p-002';
    const scoped = c.rest.withPathPrefix(projectScope(name));
    const cm = await scoped.request({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
    });
    expect(cm.status).toBe(201);
    const del = await c.rest.request({
      method: 'DELETE',
      path: `${organizationScope('acme')}/apis/${MILO_API_VERSION}/projects/${name}`,
    });
    expect(del.status).toBe(200);
    await until('project gone', async () => ((await get(c, name)) ? undefined : true));
    const gone = await scoped.request({ method: 'GET', path: '/api/v1/namespaces' });
    expect(gone.status).toBe(404);
    // The others are untouched.
    expect(findCondition(await get(c, 'acme-p-001'), 'Ready')?.status).toBe('True');
    const other = await c.rest
      .withPathPrefix(projectScope('acme-p-003'))
      .request({ method: 'GET', path: '/api/v1/namespaces/default' });
    expect(other.status).toBe(200);
  });

  it('exports controller-runtime and workqueue metrics under the controller name "project"', async () => {
    const text = await (await fetch(`${controller.metricsUrl}`)).text();
    expect(text).toMatch(/controller_runtime_reconcile_total\{controller="project",result="success"\} [1-9]/);
    expect(text).toContain('controller_runtime_max_concurrent_reconciles{controller="project"} 1');
    expect(text).toMatch(/workqueue_adds_total\{controller="project",name="project"\} [1-9]/);
  });
});

describe('project controller when the default namespace cannot be created', () => {
  let cluster: TestCluster;
  let controller: ControllerProcess;
  let c: KubeClient;
  beforeAll(async () => {
    // Every create fails; the test's own objects are made with server-side apply.
    cluster = await launchTestCluster({ milo: true, faults: { create: '503:1' } });
    controller = await launchController('project', {
      kubeconfig: cluster.target.kubeconfigPath!,
      options: { workers: 4, requeueAfterMs: 200 },
    });
    c = await connect(cluster.target);
  });
  afterAll(async () => {
    await c?.close();
    await controller?.stop();
    await cluster?.stop();
  });

  it('keeps the project not Ready and requeues after requeueAfterMs', async () => {
    await createOrgAndProjects(c, 'bad', ['bad-p-001'], true);
    await until('finalizer', async () =>
      (await get(c, 'bad-p-001'))?.metadata.finalizers ? true : undefined,
    );
    const text = await until('requeues', async () => {
      const t = await (await fetch(controller.metricsUrl)).text();
      const m =
        /controller_runtime_reconcile_total\{controller="project",result="requeue_after"\} (\d+)/.exec(t);
      return m && Number(m[1]) >= 1 ? t : undefined;
    });
    expect(text).toContain('controller_runtime_max_concurrent_reconciles{controller="project"} 4');
    expect(findCondition(await get(c, 'bad-p-001'), 'Ready')?.status).not.toBe('True');
  });
});
