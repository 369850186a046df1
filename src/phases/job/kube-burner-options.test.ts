/**
 * The job options kube-burner configs need (runOnce, podWait, jobIterationDelay, churn,
 * waitOptions.kind, kube-burner's labels, pod/service latency) and a worker's share, against the
 * embedded control plane with simulated nodes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import { connect } from '../../kube/connect.js';
import { startTestCluster, testPhaseContext, type TestCluster } from '../../kube/testing.js';
import { crudPhase } from '../crud/index.js';
import { CrudOptions } from '../crud/options.js';
import { jobPhase } from './index.js';
import { JobOptions } from './options.js';

let cluster: TestCluster;
let client: KubeClient;
beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 2 });
  client = await connect(cluster.target);
});
afterAll(async () => {
  await client?.close();
  await cluster?.stop();
});

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: registry.k8s.io/pause:3.9}]}
`;

async function list(apiVersion: string, kind: string, selector: string): Promise<KubeObject[]> {
  const m = await client.mapper.resolve(apiVersion, kind);
  return (await client.listAll(m, undefined, { labelSelector: selector })).items;
}

describe('kube-burner job options', () => {
  it('runOnce, kube-burner labels on objects, pod templates and namespaces, podWait, podLatency and serviceLatency', async () => {
    const ctx = testPhaseContext(cluster.target, { phaseName: 'kb' });
    const out = await jobPhase.run(
      JobOptions.parse({
        jobName: 'kb',
        jobIterations: 3,
        namespace: 'kb',
        podWait: true,
        jobIterationDelay: '1ms',
        kubeBurnerLabels: true,
        measure: ['podLatency', 'serviceLatency'],
        objects: [
          { objectTemplate: deployment('web'), wait: true },
          {
            objectTemplate:
              'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n',
          },
          {
            objectTemplate: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared, namespace: kb-0}\n',
            runOnce: true,
          },
        ],
      }),
      ctx,
    );
    expect(out.warnings ?? []).toEqual([]);
    const sel = `kubeperf.io/run-id=${ctx.runId}`;
    expect((await list('v1', 'ConfigMap', sel)).map((c) => c.metadata.name)).toEqual(['shared']);
    const deps = await list('apps/v1', 'Deployment', `kube-burner-job=kb,${sel}`);
    expect(deps).toHaveLength(3);
    const tpl = (deps[0]!.spec as { template: { metadata: { labels: Record<string, string> } } }).template;
    expect(tpl.metadata.labels).toMatchObject({
      app: 'web',
      'kube-burner.io/job': 'kb',
      'kubeperf.io/run-id': ctx.runId,
    });
    expect(await list('v1', 'Pod', `kube-burner.io/job=kb,${sel}`)).toHaveLength(3);
    expect(await list('v1', 'Namespace', `kube-burner-job=kb,${sel}`)).toHaveLength(3);
    const ops = ctx.recorder.snapshot();
    expect(ops.readiness!.count).toBe(3);
    expect(ops['podLatency.Ready']!.count).toBe(3);
    expect(ops['serviceLatency.Ready']!.count).toBe(3);
    // podWait: one batch per iteration.
    expect((out.data as { pacing: unknown[] }).pacing).toHaveLength(3);
    expect(out.data).toMatchObject({
      job: { created: 7 },
      latency: { podLatency: { seen: 3, complete: 3 } },
    });
  }, 60_000);

  it('waitOptions.kind waits for the pods of the deployments instead of the deployments', async () => {
    const ctx = testPhaseContext(cluster.target, { phaseName: 'child' });
    const out = await jobPhase.run(
      JobOptions.parse({
        jobIterations: 2,
        namespace: 'child',
        objects: [
          {
            objectTemplate: deployment('api'),
            wait: true,
            waitOptions: { kind: 'Pod', apiVersion: 'v1', labelSelector: { app: 'api' } },
          },
        ],
      }),
      ctx,
    );
    expect(out.warnings ?? []).toEqual([]);
    expect(ctx.recorder.snapshot().readiness).toBeUndefined();
    const pods = await list('v1', 'Pod', `app=api,kubeperf.io/run-id=${ctx.runId}`);
    expect(
      pods.every((p) =>
        (p.status as { conditions: { type: string; status: string }[] }).conditions.some(
          (c) => c.type === 'Ready' && c.status === 'True',
        ),
      ),
    ).toBe(true);
  }, 60_000);

  it('churn re-creates a share of the iteration namespaces per cycle, timed apart from the first creates', async () => {
    const ctx = testPhaseContext(cluster.target, { phaseName: 'churn' });
    const out = await jobPhase.run(
      JobOptions.parse({
        jobIterations: 4,
        namespace: 'churn',
        churnConfig: { cycles: 2, percent: 50 },
        objects: [
          {
            objectTemplate: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c-{{.Replica}}}\n',
            replicas: 2,
          },
        ],
      }),
      ctx,
    );
    const ops = ctx.recorder.snapshot();
    expect(ops.create).toMatchObject({ count: 8, errors: 0 });
    expect(ops['churn.delete']!.count).toBe(4); // 2 cycles × 2 of 4 namespaces
    expect(ops['churn.create']).toMatchObject({ count: 8, errors: 0 }); // 2 cycles × 2 iterations × 2 objects
    expect(out.data).toMatchObject({ job: { churn: { cycles: 2, iterations: 4 } } });
    expect(await list('v1', 'ConfigMap', `kubeperf.io/run-id=${ctx.runId}`)).toHaveLength(8);
  }, 120_000);

  it('churn mode objects keeps objects with churn: false', async () => {
    const ctx = testPhaseContext(cluster.target, { phaseName: 'churn-objects' });
    await jobPhase.run(
      JobOptions.parse({
        jobIterations: 2,
        namespace: 'churn-objects',
        churnConfig: { cycles: 1, percent: 100, mode: 'objects' },
        objects: [
          { objectTemplate: 'apiVersion: v1\nkind: Secret\nmetadata: {name: keep}\n', churn: false },
          { objectTemplate: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: churned}\n' },
        ],
      }),
      ctx,
    );
    const ops = ctx.recorder.snapshot();
    expect(ops['churn.delete']!.count).toBe(2);
    expect(ops['churn.create']!.count).toBe(2);
    const secrets = await list('v1', 'Secret', `kubeperf.io/run-id=${ctx.runId}`);
    expect(secrets.map((s) => s.metadata.resourceVersion)).toHaveLength(2);
  }, 120_000);
});

describe('a worker’s share', () => {
  it('job: worker 1 of 3 creates its namespace groups only, labelled with its index', async () => {
    const ctx = testPhaseContext(cluster.target, { phaseName: 'w', share: { index: 1, count: 3 } });
    await jobPhase.run(
      JobOptions.parse({
        jobName: 'w',
        jobIterations: 6,
        namespace: 'w',
        qps: 30,
        objects: [
          { objectTemplate: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c-{{.Iteration}}}\n' },
        ],
      }),
      ctx,
    );
    const cms = await list('v1', 'ConfigMap', `kubeperf.io/run-id=${ctx.runId}`);
    expect(cms.map((c) => `${c.metadata.namespace}/${c.metadata.name}`).sort()).toEqual([
      'w-2/c-2',
      'w-3/c-3',
    ]);
    expect(cms.every((c) => c.metadata.labels?.['kubeperf.io/worker'] === '1')).toBe(true);
  }, 60_000);

  it('crud: worker 1 of 4 does a quarter of the objects and of the lists, named by their global index', async () => {
    const ctx = testPhaseContext(cluster.target, { share: { index: 1, count: 4 } });
    await crudPhase.run(
      CrudOptions.parse({
        objects: 100,
        lists: 10,
        namespace: 'default',
        ops: ['create', 'get', 'list', 'delete'],
      }),
      ctx,
    );
    const ops = ctx.recorder.snapshot();
    expect(ops.create!.count).toBe(25);
    expect(ops.get!.count).toBe(25);
    expect(ops.list!.count).toBe(3); // floor(10·2/4) − floor(10·1/4)
  }, 60_000);
});
