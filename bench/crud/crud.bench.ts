// The crud phase end to end against the embedded control plane (child process): 1000 ConfigMaps,
// 16 workers, every op's throughput and p50/p99. For the real-apiserver comparison with client-go
// (~740 creates/s at concurrency 16 on a v1.28 apiserver), run `kubeperf bench crud --kubeconfig …`.
import { crudPhase } from '../../src/phases/crud/index.js';
import { CrudOptions } from '../../src/phases/crud/options.js';
import { testPhaseContext } from '../../src/kube/testing.js';
import { emit, log, startCluster } from '../client/util.js';

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 1000);
const { cluster, target } = await startCluster();
try {
  const ctx = testPhaseContext(target, { phaseName: 'bench-crud' });
  const t0 = performance.now();
  await crudPhase.run(CrudOptions.parse({ objects: OBJECTS, concurrency: 16, payloadBytes: 256 }), ctx);
  const wallS = (performance.now() - t0) / 1000;
  for (const f of ctx.cleanups) await f();
  const ops = ctx.recorder.snapshot();
  const results = [];
  for (const op of ['create', 'get', 'update', 'patch', 'list', 'list-paged', 'delete']) {
    const s = ops[op];
    if (!s) continue;
    log(
      `${op.padEnd(10)} ${String(s.count).padStart(5)} ${s.throughput.toFixed(0).padStart(6)}/s p50 ${s.latencyMs.p50}ms p99 ${s.latencyMs.p99}ms errors ${s.errors}`,
    );
    results.push({ name: `${op} throughput`, value: s.throughput, unit: 'ops/s' });
    results.push({ name: `${op} p50`, value: s.latencyMs.p50, unit: 'ms' });
    results.push({ name: `${op} p99`, value: s.latencyMs.p99, unit: 'ms' });
    if (s.errors)
      results.push({ name: `${op} errors`, value: s.errors, unit: 'count', target: 0, pass: false });
  }
  results.push({ name: 'phase wall time', value: Math.round(wallS * 100) / 100, unit: 's' });
  emit(
    'crud/configmaps',
    results,
    `${OBJECTS} ConfigMaps, 16 workers, 256 B payload, embedded control plane in a child process on the same 2 shared cores`,
  );
} finally {
  await cluster.stop();
}
