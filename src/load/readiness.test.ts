import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Recorder } from '../metrics/recorder.js';
import { connect } from '../kube/connect.js';
import type { KubeClient } from '../kube/client.js';
import { celPredicate } from '../kube/readiness.js';
import { watch } from '../kube/watch.js';
import { launchTestCluster, testPhaseContext, type TestCluster } from '../kube/testing.js';
import { jobPhase } from '../phases/job/index.js';
import { JobOptions } from '../phases/job/options.js';
import { ReadinessTracker } from './readiness.js';

const DELAY_MS = 150;

let cluster: TestCluster;
let client: KubeClient;
beforeAll(async () => {
  // Child process: the server's work never lands on the event loop that timestamps our events.
  cluster = await launchTestCluster();
  client = await connect(cluster.target);
});
afterAll(async () => {
  await client?.close();
  await cluster?.stop();
});

/** A tiny controller: DELAY_MS after it sees a ConfigMap, it marks it ready; remembers when it sent each patch. */
async function startController(selector: string) {
  const cm = await client.mapper.resolve('v1', 'ConfigMap');
  const patchedAt = new Map<string, number>();
  const w = await watch(client, cm, {
    labelSelector: selector,
    onEvent: (e) => {
      if (e.type !== 'ADDED') return;
      const { name, namespace } = e.object.metadata;
      setTimeout(() => {
        patchedAt.set(name!, performance.now());
        void client.patch(cm, namespace, name!, '{"data":{"ready":"yes"}}', 'merge');
      }, DELAY_MS);
    },
  });
  return { patchedAt, stop: () => w.stop() };
}

describe('readiness tracker (times given, so exact)', () => {
  const ready = (o: unknown) => (o as { ready?: boolean }).ready === true;

  it('records create-sent → first event (op watch) and create-sent → first ready event (op readiness)', () => {
    const rec = new Recorder(0);
    const t = new ReadinessTracker(rec);
    t.expect('ns/a', 100, ready);
    t.observe('ns/a', { ready: false }, 103.25); // ADDED: seen, not ready
    t.observe('ns/a', { ready: false }, 180); // MODIFIED, still not ready
    t.observe('ns/a', { ready: true }, 257.5); // ready: this is the moment that counts
    t.observe('ns/a', { ready: true }, 300); // later events change nothing
    expect(t.latenciesMs).toEqual([157.5]);
    expect(t.ready).toBe(1);
    expect(t.outstanding).toBe(0);
    const snap = rec.snapshot();
    expect(snap.watch).toMatchObject({ count: 1, errors: 0 });
    expect(snap.watch!.latencyMs.max).toBeCloseTo(3.25, 1);
    expect(snap.readiness).toMatchObject({ count: 1, errors: 0 });
    expect(snap.readiness!.latencyMs.max).toBeCloseTo(157.5, 0);
  });

  it('an object seen ready before expect() (generateName race) counts from its send time', () => {
    const t = new ReadinessTracker(new Recorder(0));
    t.observe('ns/gen-x', { ready: true }, 42, ready);
    expect(t.ready).toBe(0);
    t.expect('ns/gen-x', 10, ready);
    expect(t.latenciesMs).toEqual([32]);
  });

  it('a forgotten object (create failed) is not waited for', async () => {
    const t = new ReadinessTracker(new Recorder(0));
    t.expect('ns/a', 0, ready);
    t.forget('ns/a');
    expect(await t.waitAll(60_000)).toEqual({ timedOut: 0 });
  });
});

describe('readiness measured from watch events', () => {
  it('latency is create-sent → the watch event that first shows the object ready, to the µs', async () => {
    const cm = await client.mapper.resolve('v1', 'ConfigMap');
    const ctl = await startController('test=readiness-exact');
    const rec = new Recorder(performance.now());
    const tracker = new ReadinessTracker(rec);
    const ready = celPredicate('self.data.ready == "yes"');
    // The truth, from the same events: when this watch first delivered each object in its ready state.
    const firstReadyEvent = new Map<string, number>();
    const w = await watch(client, cm, {
      labelSelector: 'test=readiness-exact',
      onEvent: (e) => {
        const name = e.object.metadata.name!;
        if (ready(e.object) && !firstReadyEvent.has(name)) firstReadyEvent.set(name, e.receivedMs);
        tracker.observe(`default/${name}`, e.object, e.receivedMs);
      },
    });
    const sent = new Map<string, number>();
    for (let i = 0; i < 10; i++) {
      const name = `ready-${i}`;
      const t = performance.now();
      sent.set(name, t);
      tracker.expect(`default/${name}`, t, ready as (o: unknown) => boolean);
      await client.create(
        cm,
        'default',
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, labels: { test: 'readiness-exact' } },
        }),
      );
    }
    const { timedOut } = await tracker.waitAll(30_000);
    await w.stop();
    await ctl.stop();
    expect(timedOut).toBe(0);
    const names = [...sent.keys()];
    const expected = names.map((n) => firstReadyEvent.get(n)! - sent.get(n)!).sort((a, b) => a - b);
    expect([...tracker.latenciesMs].sort((a, b) => a - b)).toEqual(expected);
    // The controller marks an object ready DELAY_MS after it saw it, and it saw it after the create
    // was sent: a busy machine can only add to this, so it is a bound, not a timing assumption.
    for (const l of tracker.latenciesMs) expect(l).toBeGreaterThanOrEqual(DELAY_MS);
    // Causality on one clock: no object is seen ready before the controller sent its patch.
    for (const n of names) expect(firstReadyEvent.get(n)!).toBeGreaterThanOrEqual(ctl.patchedAt.get(n)!);
    const snap = rec.snapshot();
    expect(snap.readiness).toMatchObject({ count: 10, errors: 0 });
    // op watch: create sent → first (ADDED) event, recorded once per object, never after it was ready.
    expect(snap.watch).toMatchObject({ count: 10, errors: 0 });
    expect(snap.watch!.latencyMs.max).toBeLessThanOrEqual(snap.readiness!.latencyMs.max);
  });

  it('a job with wait: true records op readiness for every object (CEL waitOptions), at ms precision', async () => {
    const ctx = testPhaseContext(cluster.target, { phaseName: 'ready-job' });
    const ctl = await startController(`kubeperf.io/run-id=${ctx.runId}`);
    const o = JobOptions.parse({
      jobIterations: 12,
      namespacedIterations: false,
      namespace: 'ready-job',
      concurrency: 4,
      objects: [
        {
          objectTemplate: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r-{{.Iteration}}\n',
          wait: true,
          waitOptions: { cel: 'self.data.ready == "yes"' },
        },
      ],
    });
    const out = await jobPhase.run(o, ctx);
    await ctl.stop();
    expect(out.invalidReasons).toBeUndefined();
    const r = ctx.recorder.snapshot().readiness!;
    expect(r.count).toBe(12);
    expect(r.errors).toBe(0);
    // At least the controller's delay (a busy machine only adds), and not rounded to whole seconds
    // like condition timestamps.
    expect(r.latencyMs.min).toBeGreaterThanOrEqual(DELAY_MS);
    expect(r.latencyMs.p50 % 1000).not.toBe(0);
  });
});
