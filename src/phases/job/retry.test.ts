import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect } from '../../kube/connect.js';
import { startTestCluster, testPhaseContext, type TestCluster } from '../../kube/testing.js';
import { jobPhase } from './index.js';
import { JobOptions } from './options.js';

let cluster: TestCluster;
beforeAll(async () => {
  // Two mutating requests in flight at most, each held 20 ms: 32 workers get 429 + Retry-After: 1.
  cluster = await startTestCluster({
    maxMutatingInflight: 2,
    latency: { create: { kind: 'fixed', ms: 20 } },
  });
});
afterAll(async () => {
  await cluster?.stop();
});

it('with 429s and Retry-After the job completes, retries are counted, successes + classified errors == requests', async () => {
  const ctx = testPhaseContext(cluster.target, { phaseName: 'throttled' });
  const o = JobOptions.parse({
    jobIterations: 60,
    namespacedIterations: false,
    namespace: 'throttled',
    concurrency: 32,
    maxRetries: 10,
    objects: [{ objectTemplate: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t-{{.Iteration}}\n' }],
  });
  const out = await jobPhase.run(o, ctx);
  const create = ctx.recorder.snapshot().create!;
  expect(create.retries).toBeGreaterThan(0);
  expect(create.count).toBe(60); // one outcome per request, never one per attempt
  const c = await connect(cluster.target);
  const m = await c.mapper.resolve('v1', 'ConfigMap');
  const { items } = await c.listAll(m, 'throttled', { labelSelector: `kubeperf.io/run-id=${ctx.runId}` });
  await c.close();
  // Every success is a stored object; every other request is a classified error.
  expect(items.length).toBe(create.count - create.errors);
  expect(Object.values(create.errorsByReason).reduce((a, b) => a + b, 0)).toBe(create.errors);
  expect(out.data).toMatchObject({ job: { created: items.length } });
  expect(create.errors).toBe(0); // 10 retries honouring Retry-After are enough here
}, 60_000);

it('connection resets are retried and classified; every request still ends as exactly one outcome', async () => {
  const { crudPhase } = await import('../crud/index.js');
  const { CrudOptions } = await import('../crud/options.js');
  const resets = await startTestCluster({ resetRate: 0.1 });
  try {
    const ctx = testPhaseContext(resets.target);
    await crudPhase.run(
      CrudOptions.parse({ objects: 100, concurrency: 8, ops: ['create', 'get', 'delete'], maxRetries: 8 }),
      ctx,
    );
    const ops = ctx.recorder.snapshot();
    for (const op of ['create', 'get', 'delete']) {
      const s = ops[op]!;
      expect(s.count, op).toBe(100);
      expect(
        Object.values(s.errorsByReason).reduce((a, b) => a + b, 0),
        op,
      ).toBe(s.errors);
    }
    expect(ops.get!.retries).toBeGreaterThan(0);
    expect(ops.get!.errors).toBe(0); // GETs are idempotent: 8 retries absorb a 10% reset rate
  } finally {
    await resets.stop();
  }
}, 60_000);
