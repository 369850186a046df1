import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../kube/connect.js';
import type { KubeClient } from '../../kube/client.js';
import { cleanupWith } from '../../kube/cleanup.js';
import { startTestCluster, testPhaseContext, type TestCluster } from '../../kube/testing.js';
import { silentLogger } from '../../core/logger.js';
import { jobPhase } from './index.js';
import { JobOptions } from './options.js';

let cluster: TestCluster;
let client: KubeClient;
beforeAll(async () => {
  cluster = await startTestCluster();
  client = await connect(cluster.target);
});
afterAll(async () => {
  await client?.close();
  await cluster?.stop();
});

const cmTemplate = (prefix: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${prefix}-{{.Iteration}}-{{.Replica}}
  labels:
    app: burner
data:
  iteration: "{{.Iteration}}"
  replica: "{{.Replica}}"
  job: {{.JobName}}
  size: {{.size}}
`;

describe('job phase (kube-burner job model) against the embedded control plane', () => {
  it('create 20 iterations × 3 replicas × 2 objects = 120 labelled objects; read/patch/delete select them; cleanup spares others', async () => {
    const cm = await client.mapper.resolve('v1', 'ConfigMap');
    const ns = await client.mapper.resolve('v1', 'Namespace');
    // Pre-existing objects that must survive: an unlabelled ConfigMap and another run's ConfigMap.
    await client.create(
      ns,
      undefined,
      JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'keep-me' } }),
    );
    await client.create(
      cm,
      'keep-me',
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'user-owned' } }),
    );
    await client.create(
      cm,
      'keep-me',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'other-run',
          labels: { 'kubeperf.io/run-id': 'other-run', 'kubeperf.io/job': 'x', 'kubeperf.io/iteration': '0' },
        },
      }),
    );

    const ctx = testPhaseContext(cluster.target, { phaseName: 'burn' });
    const create = JobOptions.parse({
      jobIterations: 20,
      namespace: 'burn',
      iterationsPerNamespace: 10,
      qps: 500,
      burst: 50,
      objects: [
        { objectTemplate: cmTemplate('a'), replicas: 3, inputVars: { size: 'small' } },
        { objectTemplate: cmTemplate('b'), replicas: 3, inputVars: { size: 'big' } },
      ],
    });
    const out = await jobPhase.run(create, ctx);
    expect(out.data).toMatchObject({ job: { created: 120, failed: 0 } });
    const sel = `kubeperf.io/run-id=${ctx.runId}`;
    const { items } = await client.listAll(cm, undefined, { labelSelector: sel });
    expect(items).toHaveLength(120);
    expect(new Set(items.map((i) => i.metadata.namespace))).toEqual(new Set(['burn-0', 'burn-1']));
    const a5 = items.find((i) => i.metadata.name === 'a-5-2')!;
    expect(a5.metadata.labels).toMatchObject({
      'kubeperf.io/job': 'burn',
      'kubeperf.io/iteration': '5',
      app: 'burner',
    });
    expect((a5 as unknown as { data: Record<string, string> }).data).toEqual({
      iteration: '5',
      replica: '2',
      job: 'burn',
      size: 'small',
    });
    expect(ctx.recorder.snapshot().create?.count).toBe(120);

    const read = JobOptions.parse({
      jobType: 'read',
      jobIterations: 2,
      objects: [{ kind: 'ConfigMap', apiVersion: 'v1', labelSelector: { app: 'burner' } }],
    });
    const r = await jobPhase.run(read, ctx);
    expect(r.data).toMatchObject({ job: { selected: 120, requests: 240, failed: 0 } });

    const patch = JobOptions.parse({
      jobType: 'patch',
      objects: [
        {
          kind: 'ConfigMap',
          apiVersion: 'v1',
          labelSelector: { app: 'burner' },
          patchType: 'merge',
          objectTemplate: 'data:\n  patched: "{{.Iteration}}-{{.Name}}"\n',
        },
      ],
    });
    await jobPhase.run(patch, ctx);
    const after = await client.listAll(cm, undefined, { labelSelector: sel });
    expect(
      after.items.every(
        (i) => (i as unknown as { data: { patched: string } }).data.patched === `0-${i.metadata.name}`,
      ),
    ).toBe(true);
    // The unlabelled ConfigMap was not patched.
    const user = await client.get(cm, 'keep-me', 'user-owned');
    expect(JSON.parse(user!.body).data?.patched).toBeUndefined();

    const del = JobOptions.parse({
      jobType: 'delete',
      objects: [{ kind: 'ConfigMap', apiVersion: 'v1', labelSelector: { 'kubeperf.io/iteration': '3' } }],
    });
    await jobPhase.run(del, ctx);
    expect((await client.listAll(cm, undefined, { labelSelector: sel })).items).toHaveLength(114);
    const ops = ctx.recorder.snapshot();
    expect(ops.get?.count).toBe(240);
    expect(ops.patch?.count).toBe(120);
    expect(ops.delete?.count).toBe(6);

    // kubeperf cleanup --run-id: everything of this run goes, including the namespaces it created.
    const c = await cleanupWith(client, { runId: ctx.runId, log: silentLogger, timeoutMs: 10_000 });
    expect(c.byResource.configmaps).toBe(114);
    expect(c.byResource.namespaces).toBe(2);
    expect((await client.listAll(cm, undefined, { labelSelector: sel })).items).toHaveLength(0);
    expect((await client.get(cm, 'keep-me', 'user-owned'))?.status).toBe(200);
    expect((await client.get(cm, 'keep-me', 'other-run'))?.status).toBe(200);
    expect((await client.get(ns, undefined, 'keep-me'))?.status).toBe(200);
  });

  it('plan renders iteration 0 at load time and rejects a template with an unknown variable before running', () => {
    const o = JobOptions.parse({
      jobIterations: 4,
      objects: [{ objectTemplate: cmTemplate('x'), replicas: 2, inputVars: { size: 's' } }],
    });
    const plan = jobPhase.plan(o, { baseDir: '.', runId: 'r1' });
    expect(plan.objects).toBe(8);
    const bad = JobOptions.parse({ objects: [{ objectTemplate: cmTemplate('x') }] });
    expect(() => jobPhase.plan(bad, { baseDir: '.', runId: 'r1' })).toThrow(
      /map has no entry for key "size"/,
    );
  });
});

describe('job phase: update, list, cleanup of earlier runs, gc', () => {
  it('update and list select this run only; cleanup: true removes an earlier run of the same job; gc removes its own', async () => {
    const cm = await client.mapper.resolve('v1', 'ConfigMap');
    const tpl = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: u-{{.Iteration}}\ndata:\n  v: "0"\n';
    const earlier = testPhaseContext(cluster.target, { phaseName: 'upd' });
    await jobPhase.run(
      JobOptions.parse({
        jobIterations: 3,
        namespace: 'upd-old',
        namespacedIterations: false,
        objects: [{ objectTemplate: tpl }],
      }),
      earlier,
    );

    const ctx = testPhaseContext(cluster.target, { phaseName: 'upd' });
    await jobPhase.run(
      JobOptions.parse({
        jobIterations: 5,
        namespace: 'upd',
        namespacedIterations: false,
        cleanup: true,
        objects: [{ objectTemplate: tpl }],
      }),
      ctx,
    );
    // cleanup: true removed the earlier run's objects of job "upd" (they were kubeperf's, labelled).
    expect(
      (await client.listAll(cm, undefined, { labelSelector: `kubeperf.io/run-id=${earlier.runId}` })).items,
    ).toHaveLength(0);

    const upd = await jobPhase.run(
      JobOptions.parse({
        jobType: 'update',
        jobIterations: 2,
        objects: [{ kind: 'ConfigMap', apiVersion: 'v1' }],
      }),
      ctx,
    );
    expect(upd.data).toMatchObject({ job: { selected: 5, requests: 10, failed: 0 } });
    const items = (await client.listAll(cm, undefined, { labelSelector: `kubeperf.io/run-id=${ctx.runId}` }))
      .items;
    expect(
      items.every((i) => (i.metadata.annotations as Record<string, string>)['kubeperf.io/updated'] === '1'),
    ).toBe(true);

    const list = await jobPhase.run(
      JobOptions.parse({
        jobType: 'list',
        jobIterations: 3,
        listLimit: 2,
        objects: [{ kind: 'ConfigMap', apiVersion: 'v1' }],
      }),
      ctx,
    );
    expect(list.data).toMatchObject({ job: { requests: 9, failed: 0 } }); // 3 pages of ≤2 per LIST

    const gcCtx = testPhaseContext(cluster.target, { phaseName: 'gc-me' });
    await jobPhase.run(
      JobOptions.parse({ jobIterations: 4, namespace: 'gc', gc: true, objects: [{ objectTemplate: tpl }] }),
      gcCtx,
    );
    expect(
      (await client.listAll(cm, undefined, { labelSelector: `kubeperf.io/run-id=${gcCtx.runId}` })).items,
    ).toHaveLength(0);
  });
});

it('an invalid CEL readiness expression is an InputError at plan time', () => {
  const o = JobOptions.parse({
    objects: [
      {
        objectTemplate: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
        wait: true,
        waitOptions: { cel: 'self.status.ready ==' },
      },
    ],
  });
  expect(() => jobPhase.plan(o, { baseDir: '.', runId: 'r' })).toThrow(
    /objects\[0\]\.waitOptions\.cel: not a valid CEL expression/,
  );
});

it('incrementalLoad runs the iterations in growing steps with a pause between them', async () => {
  const ctx = testPhaseContext(cluster.target, { phaseName: 'ramp' });
  const o = JobOptions.parse({
    jobIterations: 14,
    namespace: 'ramp',
    namespacedIterations: false,
    incrementalLoad: { pattern: 'exponential', startIterations: 2, step: 2, stepDelay: '100ms' },
    objects: [{ objectTemplate: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r-{{.Iteration}}\n' }],
  });
  const t0 = performance.now();
  const out = await jobPhase.run(o, ctx);
  // Steps 2 → 4 → 8 with two 100 ms pauses between them.
  expect(performance.now() - t0).toBeGreaterThan(200);
  expect(out.data).toMatchObject({ job: { created: 14, failed: 0 } });
  expect(jobPhase.plan(o, { baseDir: '.', runId: 'r' }).steps[0]).toContain('incremental 2→4→8');
});
