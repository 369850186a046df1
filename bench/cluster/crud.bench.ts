/**
 * Embedded control plane CRUD throughput: creates of small ConfigMaps and gets of existing ones,
 * 64 keep-alive HTTP/1.1 connections from a separate load-generator process.
 * Targets (issue 3): create >= 10,000/s, get >= 20,000/s.
 */
import { closedLoop, cpuSeconds, percentile, RawClient, round, startBench } from './lib.js';

const creates = Number(process.env.BENCH_CREATES ?? 100_000);
const gets = Number(process.env.BENCH_GETS ?? 100_000);

const b = await startBench({}, 1);
const raw = new RawClient(new URL(b.cluster.server), b.cluster.token, 64);
try {
  const base = '/api/v1/namespaces/default/configmaps';
  const body = (i: number) =>
    `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-${i}","labels":{"app":"bench"}},"data":{"k":"v"}}`;
  // Warm up the JIT on both sides.
  await closedLoop(5000, 64, async (i) =>
    raw.request('POST', '/api/v1/namespaces/kube-public/configmaps', body(i)),
  );
  const cpu0 = await cpuSeconds(b);
  const c = await closedLoop(creates, 64, (i) => raw.request('POST', base, body(i)));
  const cpu1 = await cpuSeconds(b);
  const g = await closedLoop(gets, 64, (i) => raw.request('GET', `${base}/cm-${(i * 7919) % creates}`));
  const cpu2 = await cpuSeconds(b);
  const results = [
    { name: 'server CPU per create', value: round(((cpu1 - cpu0) * 1e6) / creates, 1), unit: 'µs' },
    { name: 'server CPU per get', value: round(((cpu2 - cpu1) * 1e6) / gets, 1), unit: 'µs' },
    {
      name: 'create configmap throughput',
      value: round(c.rate, 0),
      unit: 'ops/s',
      target: 10_000,
      pass: c.rate >= 10_000 && c.errors === 0,
    },
    { name: 'create configmap p99 latency', value: round(percentile(c.latencies, 99), 2), unit: 'ms' },
    {
      name: 'get configmap throughput',
      value: round(g.rate, 0),
      unit: 'ops/s',
      target: 20_000,
      pass: g.rate >= 20_000 && g.errors === 0,
    },
    { name: 'get configmap p99 latency', value: round(percentile(g.latencies, 99), 2), unit: 'ms' },
    { name: 'errors', value: c.errors + g.errors, unit: 'count', target: 0, pass: c.errors + g.errors === 0 },
  ];
  process.stdout.write(
    JSON.stringify({
      bench: 'cluster/crud',
      results,
      notes: `${creates} creates then ${gets} gets, 64 keep-alive HTTP/1.1 connections (autocannon-style raw client, one request in flight per connection), server in a child process; 2 shared cores`,
    }) + '\n',
  );
} finally {
  raw.close();
  await b.close();
}
