// The official client (@kubernetes/client-node's generated CoreV1Api over node-fetch) vs our fast path
// (undici Pool, raw JSON) on the same embedded server: GET and create throughput at 16 and 64 workers,
// and CPU per request. We keep the faster one per use (see docs/load-engine.md).
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { closedLoop, connect, emit, log, seedConfigMap, startCluster } from './util.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

const { cluster, target } = await startCluster();
try {
  const fast = await connect(target, { connections: 64 });
  const m = await seedConfigMap(fast, 'bench-official');
  const kc = new KubeConfig();
  kc.loadFromFile(target.kubeconfigPath!);
  const official = kc.makeApiClient(CoreV1Api);
  const results: { name: string; value: number; unit: string }[] = [];
  let n = 0;
  const runs: [string, number, () => Promise<unknown>][] = [
    [
      'official GET',
      16,
      () => official.readNamespacedConfigMap({ name: 'bench-official', namespace: 'default' }),
    ],
    ['fast GET', 16, () => fast.get(m, 'default', 'bench-official')],
    [
      'official GET',
      64,
      () => official.readNamespacedConfigMap({ name: 'bench-official', namespace: 'default' }),
    ],
    ['fast GET', 64, () => fast.get(m, 'default', 'bench-official')],
    [
      'official create',
      16,
      () =>
        official.createNamespacedConfigMap({
          namespace: 'default',
          body: { metadata: { name: `o-${n++}` }, data: { k: 'v' } },
        }),
    ],
    [
      'fast create',
      16,
      () =>
        fast.create(
          m,
          'default',
          JSON.stringify({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: `f-${n++}` },
            data: { k: 'v' },
          }),
        ),
    ],
  ];
  // Warm-up both paths.
  await closedLoop(16, 500, () =>
    official.readNamespacedConfigMap({ name: 'bench-official', namespace: 'default' }),
  );
  await closedLoop(16, 500, () => fast.get(m, 'default', 'bench-official'));
  for (const [name, workers, fn] of runs) {
    const r = await closedLoop(workers, SECONDS * 1000, fn);
    const rps = r.requests / r.seconds;
    const cpu = r.cpuUs / r.requests;
    log(`${name} ×${workers}: ${rps.toFixed(0)} req/s, ${cpu.toFixed(1)} µs CPU/request`);
    results.push({ name: `${name} throughput, ${workers} workers`, value: Math.round(rps), unit: 'req/s' });
    results.push({
      name: `${name} CPU per request, ${workers} workers`,
      value: Math.round(cpu * 10) / 10,
      unit: 'µs',
    });
  }
  await fast.close();
  emit(
    'client/official-vs-fast',
    results,
    `embedded control plane in a child process, same 2 shared cores; ${SECONDS}s per run after warm-up; official = CoreV1Api 1.4 (default fetch agent), fast = src/kube/rest.ts`,
  );
} finally {
  await cluster.stop();
}
