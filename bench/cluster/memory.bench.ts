/**
 * Memory of the embedded control plane: RSS (process_resident_memory_bytes from its /metrics)
 * after storing 100,000 small ConfigMaps. Target (issue 3): <= 400 MB.
 */
import { closedLoop, request, round, rssBytes, startBench } from './lib.js';

const count = Number(process.env.BENCH_OBJECTS ?? 100_000);
const b = await startBench();
try {
  const before = await rssBytes(b);
  const body = (i: number) =>
    `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-${i}","labels":{"app":"bench","shard":"s${i % 10}"}},"data":{"key":"value-${i}"}}`;
  const c = await closedLoop(
    count,
    64,
    async (i) => (await request(b, 'POST', '/api/v1/namespaces/default/configmaps', body(i))).status,
  );
  // Let the server settle (GC) before reading RSS.
  await new Promise((r) => setTimeout(r, 1000));
  const after = await rssBytes(b);
  const mb = after / 1024 / 1024;
  process.stdout.write(
    JSON.stringify({
      bench: 'cluster/memory',
      results: [
        {
          name: `RSS with ${count} configmaps`,
          value: round(mb, 0),
          unit: 'MB',
          target: 400,
          pass: mb <= 400 && c.errors === 0,
        },
        { name: 'RSS at start', value: round(before / 1024 / 1024, 0), unit: 'MB' },
        { name: 'create throughput while filling', value: round(c.rate, 0), unit: 'ops/s' },
      ],
      notes: 'ConfigMaps with 2 labels and 1 data key; watch cache (event log) at its default size 100,000',
    }) + '\n',
  );
} finally {
  await b.close();
}
