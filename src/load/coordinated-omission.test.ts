import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeClock } from '../core/fake-clock.js';
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

it('arrival-rate mode on a virtual clock: a 1 s stall is in the percentiles from the intended start, not from the send', async () => {
  const clock = new FakeClock();
  const rec = new Recorder(0);
  const fromSend = new Recorder(0);
  // A server that answers in 1 ms, except that nothing it receives in [1000, 2000) ms is answered
  // before 2000 ms (a stop-the-world pause).
  const answerAt = (sent: number) => (sent >= 1000 && sent < 2000 ? 2000 : sent + 1);
  const stats = await clock.run(
    runOpen({
      arrivals: { kind: 'constant', rate: 100 },
      durationMs: 3000,
      maxInFlight: 8, // the dispatcher itself is blocked during the stall, like a closed-loop client
      clock,
      task: async (_i, t) => {
        const sent = clock.nowMs();
        await clock.sleepUntil(answerAt(sent));
        rec.record('get', t, clock.nowMs());
        fromSend.record('get', sent, clock.nowMs());
      },
    }),
  );
  const get = rec.snapshot().get!;
  const sendView = fromSend.snapshot().get!;
  expect(get).toMatchObject({ count: 300, errors: 0 });
  // Arrivals due at 1080 … 1990 ms waited for a slot (8 were stuck in the server) and started late,
  // and so did the one due at 2000 ms, queued behind them while the backlog drained 8 per ms.
  expect(stats).toMatchObject({ started: 300, late: 93, dropped: 0 });
  expect(stats.maxLagMs).toBe(920);
  // About a third of the requests were due during the stall: from their intended start, p99 is close
  // to the full second and p95 far above the 1 ms service time…
  expect(get.latencyMs.p99).toBeGreaterThan(900);
  expect(get.latencyMs.p95).toBeGreaterThan(700);
  expect(get.latencyMs.p50).toBeLessThan(2);
  expect(summarizeUs(decodeHistogram(get.histogram)).max).toBeGreaterThan(999);
  // …while timed from their actual send (what a coordinated-omission client reports), only the 8
  // requests in flight when the stall began saw it.
  expect(sendView.latencyMs.p95).toBeLessThan(2);
  expect(sendView.latencyMs.p99).toBeGreaterThan(900);
});

it('arrival-rate mode against a real server stalled for 1 s (SIGSTOP): the stall shows in p99', async () => {
  const client = await connect(cluster.target, { connections: 8 });
  const m = await client.mapper.resolve('v1', 'ConfigMap');
  await client.create(
    m,
    'default',
    JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'co-target' } }),
  );
  const rec = new Recorder(performance.now());
  // Stall the whole server process for at least 1 s, 1 s into a 3 s run at 100 req/s.
  const stall = setTimeout(() => {
    process.kill(cluster.pid!, 'SIGSTOP');
    setTimeout(() => process.kill(cluster.pid!, 'SIGCONT'), 1000);
  }, 1000);
  const stats = await runOpen({
    arrivals: { kind: 'constant', rate: 100 },
    durationMs: 3000,
    maxInFlight: 8,
    task: (_i, t) =>
      client.get(m, 'default', 'co-target', 'get', { recorder: rec, intendedMs: t }).then(() => {}),
  });
  clearTimeout(stall);
  await client.close();
  const get = rec.snapshot().get!;
  expect(get.count).toBe(300);
  expect(get.errors).toBe(0);
  // Only lower bounds, which a busy machine cannot break: a request due when the server stopped
  // waited the whole second, and the starts queued behind the 8 stuck requests count as late.
  expect(stats.late).toBeGreaterThan(50);
  expect(get.latencyMs.p99).toBeGreaterThan(800);
  expect(summarizeUs(decodeHistogram(get.histogram)).max).toBeGreaterThan(900);
}, 30_000);
