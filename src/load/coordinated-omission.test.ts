import { afterAll, beforeAll, expect, it } from 'vitest';
import { Recorder } from '../metrics/recorder.js';
import { summarizeUs, decodeHistogram } from '../metrics/histogram.js';
import { connect } from '../kube/connect.js';
import { launchTestCluster, type TestCluster } from '../kube/testing.js';
import { runOpen } from './executor.js';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await launchTestCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

it('arrival-rate mode: a 1 s server stall shows up in p99 (latency from the intended start)', async () => {
  const client = await connect(cluster.target, { connections: 8 });
  const m = await client.mapper.resolve('v1', 'ConfigMap');
  await client.create(
    m,
    'default',
    JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'co-target' } }),
  );
  const rec = new Recorder(performance.now());
  const fromSend = new Recorder(performance.now());
  // Stall the whole server process for 1 s, 1 s into a 3 s run at 100 req/s.
  const stall = setTimeout(() => {
    process.kill(cluster.pid!, 'SIGSTOP');
    setTimeout(() => process.kill(cluster.pid!, 'SIGCONT'), 1000);
  }, 1000);
  // maxInFlight 8: the dispatcher itself is blocked during the stall, like a closed-loop client would be.
  const stats = await runOpen({
    arrivals: { kind: 'constant', rate: 100 },
    durationMs: 3000,
    maxInFlight: 8,
    task: async (_i, t) => {
      const sent = performance.now();
      await client.get(m, 'default', 'co-target', 'get', { recorder: rec, intendedMs: t });
      fromSend.record('get', sent, performance.now());
    },
  });
  clearTimeout(stall);
  await client.close();
  const get = rec.snapshot().get!;
  expect(get.count).toBe(300);
  expect(get.errors).toBe(0);
  expect(stats.late).toBeGreaterThan(50); // starts queued behind the stall are counted as late
  // About a third of the requests were due during the stall: p99 is close to the full second.
  expect(get.latencyMs.p99).toBeGreaterThan(800);
  expect(get.latencyMs.p50).toBeLessThan(100);
  expect(get.latencyMs.p95).toBeGreaterThan(500);
  // The same requests timed from their actual send (what a coordinated-omission client reports)
  // hide most of the stall: only the 8 requests in flight when it began saw it.
  expect(fromSend.snapshot().get!.latencyMs.p95).toBeLessThan(100);
  expect(summarizeUs(decodeHistogram(get.histogram)).max).toBeGreaterThan(900);
}, 30_000);
