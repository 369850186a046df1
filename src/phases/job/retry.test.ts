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
