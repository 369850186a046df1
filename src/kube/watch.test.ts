import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect } from './connect.js';
import { startTestCluster, type TestCluster } from './testing.js';
import { watch, type WatchEvent } from './watch.js';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ dropWatchesEvery: 150 });
});
afterAll(async () => {
  await cluster?.stop();
});

it('a watch resumes from its last resourceVersion after the server drops it, without missing or repeating events', async () => {
  const c = await connect(cluster.target);
  const m = await c.mapper.resolve('v1', 'ConfigMap');
  const seen: WatchEvent[] = [];
  const w = await watch(c, m, {
    namespace: 'default',
    labelSelector: 'w=resume',
    onEvent: (e) => seen.push(e),
  });
  for (let i = 0; i < 30; i++) {
    await c.create(
      m,
      'default',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `w-${i}`, labels: { w: 'resume' } },
      }),
    );
    await new Promise((r) => setTimeout(r, 15));
  }
  await new Promise((r) => setTimeout(r, 300));
  await w.stop();
  await c.close();
  expect(w.reconnects).toBeGreaterThan(0);
  expect(w.lost).toBeUndefined();
  const added = seen.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata.name);
  expect(added).toEqual(Array.from({ length: 30 }, (_, i) => `w-${i}`));
});

it('watches work over TLS + HTTP/2 (streamed NDJSON on an h2 stream)', async () => {
  const tls = await startTestCluster({ tls: true });
  try {
    const c = await connect(tls.target);
    const m = await c.mapper.resolve('v1', 'ConfigMap');
    const names: string[] = [];
    const w = await watch(c, m, {
      namespace: 'default',
      onEvent: (e) => names.push(e.object.metadata.name!),
    });
    for (let i = 0; i < 5; i++) {
      await c.create(
        m,
        'default',
        JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `t-${i}` } }),
      );
    }
    const deadline = performance.now() + 5000;
    while (names.length < 5 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await w.stop();
    await c.close();
    expect(names).toEqual(['t-0', 't-1', 't-2', 't-3', 't-4']);
  } finally {
    await tls.stop();
  }
});

it('a resume from a compacted resourceVersion (410 Expired) marks the watch lost instead of hiding a gap', async () => {
  const small = await startTestCluster({ watchCacheSize: 10, dropWatchesEvery: 300 });
  try {
    const c = await connect(small.target);
    const m = await c.mapper.resolve('v1', 'ConfigMap');
    let lost: string | undefined;
    const w = await watch(c, m, {
      namespace: 'default',
      labelSelector: 'never=matches',
      onEvent: () => {},
      onLost: (r) => (lost = r),
    });
    // 50 writes the watch does not match move the server's window past the watch's resourceVersion.
    for (let i = 0; i < 50; i++) {
      await c.create(
        m,
        'default',
        JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `x-${i}` } }),
      );
    }
    const deadline = performance.now() + 3000;
    while (!lost && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await w.stop();
    await c.close();
    expect(lost).toMatch(/410|expired/i);
  } finally {
    await small.stop();
  }
});
