/**
 * LIST latency: pages of 500 (limit/continue) from a namespace holding 10,000 ConfigMaps, and a
 * label-selected list. Target (issue 3): p99 <= 20 ms for a page of 500.
 */
import { closedLoop, percentile, request, round, startBench } from './lib.js';

const b = await startBench();
try {
  const ns = '/api/v1/namespaces/default/configmaps';
  const body = (i: number) =>
    `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-${String(i).padStart(5, '0')}","labels":{"app":"bench","shard":"s${i % 20}"}},"data":{"k":"v"}}`;
  await closedLoop(10_000, 64, async (i) => (await request(b, 'POST', ns, body(i))).status);
  // First pages and continuation pages, one client (latency of a page, not of a queue).
  const tokens: string[] = [];
  const first = await closedLoop(400, 1, async () => {
    const r = await request(b, 'GET', `${ns}?limit=500`);
    if (tokens.length < 50) tokens.push(JSON.parse(r.text).metadata.continue as string);
    return r.status;
  });
  const cont = await closedLoop(
    400,
    1,
    async (i) => (await request(b, 'GET', `${ns}?limit=500&continue=${tokens[i % tokens.length]}`)).status,
  );
  const sel = await closedLoop(
    200,
    1,
    async () => (await request(b, 'GET', `${ns}?labelSelector=shard%3Ds7`)).status,
  );
  const busy = await closedLoop(400, 4, async () => (await request(b, 'GET', `${ns}?limit=500`)).status);
  const p99 = Math.max(percentile(first.latencies, 99), percentile(cont.latencies, 99));
  process.stdout.write(
    JSON.stringify({
      bench: 'cluster/list',
      results: [
        {
          name: 'list page of 500 from 10,000 p99',
          value: round(p99, 2),
          unit: 'ms',
          target: 20,
          pass: p99 <= 20 && first.errors + cont.errors === 0,
        },
        { name: 'list first page p50', value: round(percentile(first.latencies, 50), 2), unit: 'ms' },
        { name: 'list continue page p50', value: round(percentile(cont.latencies, 50), 2), unit: 'ms' },
        {
          name: 'list page of 500 with 4 concurrent clients p99',
          value: round(percentile(busy.latencies, 99), 2),
          unit: 'ms',
        },
        {
          name: 'list labelSelector (500 of 10,000) p99',
          value: round(percentile(sel.latencies, 99), 2),
          unit: 'ms',
        },
      ],
      notes:
        'one client unless stated, 400 requests each kind, over keep-alive HTTP/1.1; server in a child process',
    }) + '\n',
  );
} finally {
  await b.close();
}
