/**
 * Watch fan-out: 100 watchers on one collection receive 10,000 events (ConfigMap creates sent at a
 * steady rate: 1,000/s by default, BENCH_EVENT_RATES=500,1000 for several) after a warm-up; delivery lag = receive time - time the create was sent (same
 * process clock, so it includes the create's own latency). Target (issue 3): p99 <= 50 ms.
 */
import net from 'node:net';
import { cpuSeconds, percentile, request, round, startBench } from './lib.js';

const watchers = 100;
const events = Number(process.env.BENCH_EVENTS ?? 10_000);
const rates = (process.env.BENCH_EVENT_RATES ?? '1000').split(',').map(Number);
const b = await startBench({}, 16);
const url = new URL(b.cluster.server);
async function measure(rate: number, nsName: string, count = events) {
  await request(b, 'POST', '/api/v1/namespaces', `{"metadata":{"name":"${nsName}"}}`);
  const ns = `/api/v1/namespaces/${nsName}/configmaps`;
  const sentAt = new Float64Array(count);
  const lags: number[] = [];
  let received = 0;
  let allDone!: () => void;
  const done = new Promise<void>((r) => (allDone = r));
  const rv = JSON.parse((await request(b, 'GET', ns)).text).metadata.resourceVersion as string;
  // Lean receivers (raw sockets, native Buffer.indexOf): the load generator must not be what lags.
  const marker = Buffer.from('"name":"ev-');
  const sockets: net.Socket[] = [];
  await Promise.all(
    Array.from(
      { length: watchers },
      () =>
        new Promise<void>((resolve, reject) => {
          const sock = net.connect(Number(url.port), url.hostname, () => {
            sock.write(
              `GET ${ns}?watch=true&resourceVersion=${rv} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${b.cluster.token}\r\n\r\n`,
            );
            resolve();
          });
          sock.setNoDelay(true);
          let carry: Buffer = Buffer.alloc(0);
          sock.on('data', (chunk: Buffer) => {
            const now = performance.now();
            const buf: Buffer = carry.length ? Buffer.concat([carry, chunk]) : chunk;
            let from = 0;
            for (;;) {
              const at = buf.indexOf(marker, from);
              if (at < 0) break;
              let i = at + marker.length;
              let n = 0;
              while (i < buf.length && buf[i]! >= 48 && buf[i]! <= 57) n = n * 10 + (buf[i++]! - 48);
              if (i >= buf.length) {
                from = at;
                break;
              }
              lags.push(now - sentAt[n]!);
              if (++received === watchers * count) allDone();
              from = i;
            }
            // Keep a possibly split marker for the next chunk.
            carry = buf.subarray(Math.max(from, buf.length - marker.length - 12));
          });
          sock.on('error', reject);
          sockets.push(sock);
        }),
    ),
  );
  const cpu0 = await cpuSeconds(b);
  const t0 = performance.now();
  // Open loop: event i is sent at t0 + i/rate regardless of how earlier ones fare.
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    sentAt[i] = performance.now();
    sends.push(request(b, 'POST', ns, `{"metadata":{"name":"ev-${i}"},"data":{"k":"v"}}`));
  }
  await Promise.all(sends);
  await Promise.race([done, new Promise((r) => setTimeout(r, 30_000).unref())]);
  const seconds = (performance.now() - t0) / 1000;
  for (const sock of sockets) sock.destroy();
  const serverCpu = (await cpuSeconds(b)) - cpu0;
  const p99 = percentile(lags, 99);
  const complete = received === watchers * count;
  return { p99, p50: percentile(lags, 50), received, complete, serverCpu, seconds };
}

try {
  // Warm-up (JIT on both sides, first-use allocations), not reported.
  await measure(1000, 'watch-warmup', 2000);
  const runs = [];
  for (const [i, rate] of rates.entries()) runs.push({ rate, ...(await measure(rate, `watch-${i}`)) });
  const results = runs.flatMap((r) => [
    {
      name: `watch delivery lag p99 (100 watchers x ${events} events at ${r.rate}/s)`,
      value: round(r.p99, 2),
      unit: 'ms',
      target: 50,
      pass: r.p99 <= 50 && r.complete,
    },
    { name: `watch delivery lag p50 at ${r.rate}/s`, value: round(r.p50, 2), unit: 'ms' },
    {
      name: `events delivered at ${r.rate}/s`,
      value: r.received,
      unit: 'count',
      target: watchers * events,
      pass: r.complete,
    },
    {
      name: `server CPU per 1,000 delivered events at ${r.rate}/s`,
      value: round((r.serverCpu * 1e6) / Math.max(1, r.received), 1),
      unit: 'ms',
    },
    {
      name: `delivered events per second at ${r.rate}/s`,
      value: round(r.received / r.seconds, 0),
      unit: 'events/s',
    },
  ]);
  process.stdout.write(
    JSON.stringify({
      bench: 'cluster/watch',
      results,
      notes:
        'lag measured from sending the create (so it includes the create latency) to the event line arriving at each watcher; creates open-loop at each rate over 16 connections',
    }) + '\n',
  );
} finally {
  await b.close();
}
