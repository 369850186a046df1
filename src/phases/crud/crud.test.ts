import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, testPhaseContext, type TestCluster } from '../../kube/testing.js';
import { connect } from '../../kube/connect.js';
import { Recorder } from '../../metrics/recorder.js';
import { crudPhase } from './index.js';
import { CrudOptions } from './options.js';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

describe('crud phase against the embedded control plane', () => {
  it('records every op with counts that match the requests sent, and leaves no object behind', async () => {
    const o = CrudOptions.parse({
      objects: 40,
      concurrency: 8,
      lists: 3,
      listPageSize: 15,
      payloadBytes: 1024,
    });
    const ctx = testPhaseContext(cluster.target);
    await crudPhase.run(o, ctx);
    const ops = ctx.recorder.snapshot();
    for (const op of ['create', 'get', 'update', 'patch', 'delete']) {
      expect(ops[op]?.count, op).toBe(40);
      expect(ops[op]?.errors, op).toBe(0);
      expect(ops[op]!.latencyMs.p50).toBeGreaterThan(0);
      expect(ops[op]!.throughput).toBeGreaterThan(0);
    }
    expect(ops.list?.count).toBe(3);
    // 10 interleaved rounds of 4 objects: one page of at most 15 per round.
    expect(ops['list-paged']?.count).toBe(10);
    for (const op of ['create', 'get', 'update', 'patch', 'delete']) {
      expect(
        ops[op]!.rounds!.map((r) => r.count),
        op,
      ).toEqual(Array(10).fill(4));
      // The op's active time is the sum of its rounds, not the span across other ops' rounds.
      const sum = ops[op]!.rounds!.reduce((a, r) => a + r.durationMs, 0);
      expect(ops[op]!.durationMs).toBeCloseTo(sum, 0);
    }
    const c = await connect(cluster.target);
    const m = await c.mapper.resolve('v1', 'ConfigMap');
    const left = await c.listAll(m, undefined, { labelSelector: `kubeperf.io/run-id=${ctx.runId}` });
    expect(left.items).toHaveLength(0);
    // The namespace it created is deleted by the run's cleanup, never before.
    for (const f of ctx.cleanups) await f();
    const ns = await c.get(
      { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, verbs: [] },
      undefined,
      'kubeperf-crud',
    );
    expect([404, 200]).toContain(ns?.status);
    if (ns?.status === 200) expect(JSON.parse(ns.body).status.phase).toBe('Terminating');
    await c.close();
  });

  it('interleaves rounds: every op of round r ends before round r + 1 begins, in op order', async () => {
    const order: [string, number][] = [];
    class Spy extends Recorder {
      override record(...a: Parameters<Recorder['record']>): void {
        order.push([a[0], this.round]);
        super.record(...a);
      }
    }
    const ctx = testPhaseContext(cluster.target, { recorder: new Spy(performance.now()) });
    await crudPhase.run(
      CrudOptions.parse({ objects: 12, concurrency: 3, rounds: 3, lists: 3, namespace: 'crud-rounds' }),
      ctx,
    );
    const ops = ['create', 'get', 'update', 'patch', 'list', 'list-paged', 'delete'];
    // The sequence of (round, op) steps, collapsed: each round runs each op once, in order.
    const steps = order.map(([op, r]) => `${r}:${op}`).filter((x, i, a) => x !== a[i - 1]);
    expect(steps).toEqual([0, 1, 2].flatMap((r) => ops.map((op) => `${r}:${op}`)));
  });

  it('a concurrency sweep returns one point per worker count with flat metrics', async () => {
    const o = CrudOptions.parse({
      objects: 20,
      concurrencySweep: [1, 4],
      ops: ['create', 'get', 'delete'],
      namespace: 'crud-sweep',
    });
    const ctx = testPhaseContext(cluster.target);
    const out = await crudPhase.run(o, ctx);
    const sweep = out.sweeps![0]!;
    expect(sweep.parameter).toBe('concurrency');
    expect(sweep.points.map((p) => p.x)).toEqual([1, 4]);
    for (const p of sweep.points) {
      expect(p.metrics['create.throughput']).toBeGreaterThan(0);
      expect(p.metrics['get.p99']).toBeGreaterThan(0);
      expect(p.ops!.create!.count).toBe(20);
    }
    expect(out.ops?.get?.count).toBe(20);
  });

  it('an unknown resource is an InputError naming it', async () => {
    const o = CrudOptions.parse({ objects: 1, resource: 'Frobnicator', apiVersion: 'v1' });
    await expect(crudPhase.run(o, testPhaseContext(cluster.target))).rejects.toThrow(/Frobnicator/);
  });
});

describe('crud variants', () => {
  it('open model (arrival rate) and a payload-size sweep', async () => {
    const ctx = testPhaseContext(cluster.target);
    const open = await crudPhase.run(
      CrudOptions.parse({ objects: 50, arrivalRate: 250, ops: ['create', 'delete'], namespace: 'crud-open' }),
      ctx,
    );
    // Every arrival started on the schedule (10 rounds of 5 arrivals at 250/s each).
    const pacing = (open.data!.pacing as Record<string, Record<string, { started: number }>>).cycle!;
    expect(pacing.create!.started).toBe(50);
    expect(ctx.recorder.snapshot().create).toMatchObject({ count: 50, errors: 0 });
    expect(ctx.recorder.snapshot().create!.rounds).toHaveLength(10);

    const sizes = testPhaseContext(cluster.target);
    const out = await crudPhase.run(
      CrudOptions.parse({
        objects: 10,
        payloadSizes: [100, 100_000],
        ops: ['create', 'get', 'delete'],
        namespace: 'crud-sizes',
      }),
      sizes,
    );
    expect(out.sweeps![0]!.parameter).toBe('payloadBytes');
    expect(out.sweeps![0]!.points.map((p) => p.x)).toEqual([100, 100_000]);
    expect(out.sweeps![0]!.points[1]!.ops!.get!.count).toBe(10);
  });

  it.each(['json', 'strategic', 'apply'] as const)(
    'patch type %s succeeds on ConfigMaps',
    async (patchType) => {
      const ctx = testPhaseContext(cluster.target);
      await crudPhase.run(
        CrudOptions.parse({
          objects: 5,
          patchType,
          ops: ['create', 'patch', 'delete'],
          namespace: `crud-${patchType}`,
        }),
        ctx,
      );
      expect(ctx.recorder.snapshot().patch).toMatchObject({ count: 5, errors: 0 });
    },
  );
});

it('other kinds get a minimal valid spec; a body the server refuses is an InputError, not a load result', async () => {
  const ctx = testPhaseContext(cluster.target);
  await crudPhase.run(
    CrudOptions.parse({
      objects: 5,
      resource: 'Deployment',
      apiVersion: 'apps/v1',
      ops: ['create', 'get', 'delete'],
      namespace: 'crud-dep',
    }),
    ctx,
  );
  expect(ctx.recorder.snapshot().create).toMatchObject({ count: 5, errors: 0 });
  const bad = CrudOptions.parse({
    objects: 3,
    namespace: 'crud-bad',
    objectTemplate: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n',
    ops: ['create', 'delete'],
  });
  await expect(crudPhase.run(bad, testPhaseContext(cluster.target))).rejects.toThrow(
    /refused every ConfigMap create: 400 BadRequest/,
  );
});

it('runs over TLS with HTTP/2 offered by the server (ALPN), concurrency 32', async () => {
  const { startTestCluster: start } = await import('../../kube/testing.js');
  const tls = await start({ tls: true });
  try {
    const ctx = testPhaseContext(tls.target);
    await crudPhase.run(
      CrudOptions.parse({ objects: 100, concurrency: 32, ops: ['create', 'get', 'patch', 'delete'] }),
      ctx,
    );
    const ops = ctx.recorder.snapshot();
    for (const op of ['create', 'get', 'patch', 'delete'])
      expect(ops[op], op).toMatchObject({ count: 100, errors: 0 });
  } finally {
    await tls.stop();
  }
});

describe('request bodies', () => {
  it('the precompiled bodies equal the objects built and stringified per request', async () => {
    const { bodyFactory, buildObject } = await import('./cycle.js');
    for (const kind of ['ConfigMap', 'Secret', 'Deployment']) {
      const spec = {
        runId: 'run-1',
        job: 'job-a',
        namespace: 'ns',
        mapping: {
          group: kind === 'Deployment' ? 'apps' : '',
          version: 'v1',
          resource: 'x',
          kind,
          namespaced: true,
          verbs: [],
        },
      } as unknown as Parameters<typeof buildObject>[0];
      const fast = bodyFactory(spec, 'pay"load\u00e9')!;
      const created = buildObject(spec, 'job-a-7', 7, 'pay"load\u00e9');
      expect(JSON.parse(fast('job-a-7', 7)), kind).toEqual(created);
      const updated = buildObject(spec, 'job-a-7', 7, 'pay"load\u00e9');
      const md = updated.metadata as { annotations: Record<string, string> };
      md.annotations = { ...md.annotations, 'kubeperf.io/rev': '1' };
      (updated.metadata as Record<string, unknown>).resourceVersion = '123';
      expect(JSON.parse(fast('job-a-7', 7, '123')), kind).toEqual(updated);
    }
  });
});
