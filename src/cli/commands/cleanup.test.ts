import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../kube/connect.js';
import type { KubeClient } from '../../kube/client.js';
import { launchTestCluster, type TestCluster } from '../../kube/testing.js';
import { runCli } from '../test-support.js';

let cluster: TestCluster;
let client: KubeClient;
beforeAll(async () => {
  // A child-process server, like the one a user would point cleanup at.
  cluster = await launchTestCluster();
  client = await connect(cluster.target);
});
afterAll(async () => {
  await client?.close();
  await cluster?.stop();
});

const labels = (run: string, extra: Record<string, string> = {}) => ({
  'kubeperf.io/run-id': run,
  'kubeperf.io/job': 'j',
  'kubeperf.io/iteration': '0',
  ...extra,
});

describe('kubeperf cleanup', () => {
  it('needs exactly one of --run-id/--all and a cluster: exit 2 with a hint', async () => {
    let r = await runCli(['cleanup']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/exactly one of --run-id ID or --all/);
    r = await runCli(['cleanup', '--run-id', 'abc']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/needs a cluster/);
  });

  it("--run-id deletes only that run's labelled objects and the namespaces kubeperf created", async () => {
    const cm = await client.mapper.resolve('v1', 'ConfigMap');
    const ns = await client.mapper.resolve('v1', 'Namespace');
    const mk = (m: typeof cm, namespace: string | undefined, body: object) =>
      client.create(m, namespace, JSON.stringify(body));
    await mk(ns, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'run-a-ns', labels: labels('run-a', { 'kubeperf.io/created-namespace': 'true' }) },
    });
    await mk(ns, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'users-ns' } });
    for (let i = 0; i < 5; i++)
      await mk(cm, 'run-a-ns', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `a-${i}`, labels: labels('run-a') },
      });
    for (let i = 0; i < 3; i++)
      await mk(cm, 'users-ns', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `a-${i}`, labels: labels('run-a') },
      });
    await mk(cm, 'users-ns', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'b-0', labels: labels('run-b') },
    });
    await mk(cm, 'users-ns', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mine' } });

    const r = await runCli([
      'cleanup',
      '--run-id',
      'run-a',
      '--kubeconfig',
      cluster.target.kubeconfigPath!,
      '--json',
    ]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout) as { deleted: number; byResource: Record<string, number> };
    expect(summary).toEqual({ deleted: 9, byResource: { configmaps: 8, namespaces: 1 } });
    expect(
      (await client.listAll(cm, undefined, { labelSelector: 'kubeperf.io/run-id=run-a' })).items,
    ).toHaveLength(0);
    expect((await client.get(cm, 'users-ns', 'b-0'))?.status).toBe(200);
    expect((await client.get(cm, 'users-ns', 'mine'))?.status).toBe(200);
    expect((await client.get(ns, undefined, 'users-ns'))?.status).toBe(200);
  });
});

describe('kubeperf bench crud', () => {
  it('runs a one-phase crud study on the embedded control plane and prints results JSON', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kubeperf-bench-crud-'));
    const r = await runCli([
      'bench',
      'crud',
      '--objects',
      '40',
      '--concurrency',
      '4',
      '--ops',
      'create,get,delete',
      '--json',
      '--out',
      out,
    ]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    const results = JSON.parse(r.stdout) as {
      name: string;
      phases: { type: string; ops: Record<string, { count: number; errors: number }> }[];
    };
    expect(results.name).toBe('bench-crud');
    expect(results.phases[0]!.type).toBe('crud');
    expect(results.phases[0]!.ops.create).toMatchObject({ count: 40, errors: 0 });
    expect(results.phases[0]!.ops.get).toMatchObject({ count: 40, errors: 0 });
  });

  it('a bad flag value is exit 2 naming the flag', async () => {
    const r = await runCli(['bench', 'crud', '--objects', 'lots']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--objects: "lots"/);
  });
});
