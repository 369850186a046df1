// A stand-in for a big kube-apiserver's /metrics, run as its own process by scrape-cost.bench.ts:
// ~2.5 MB of Prometheus text in kube-apiserver's shape (request counters and duration histograms
// per resource × verb × code, etcd and watch series), rendered from data structures on every scrape
// as client_golang does, plus the process series. Prints its port on stdout.
import http from 'node:http';

const resources = Array.from({ length: 120 }, (_, i) => `resource${i}`);
const verbs = ['GET', 'LIST', 'WATCH', 'POST', 'PUT', 'PATCH', 'DELETE'];
const codes = ['200', '201', '404', '409'];
const buckets = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60,
];
const counts = new Map<string, number>();
for (const r of resources)
  for (const v of verbs) for (const c of codes) counts.set(`${r}|${v}|${c}`, Math.floor(Math.random() * 1e6));

function render(): string {
  const out: string[] = [];
  out.push(
    '# HELP apiserver_request_total Counter of apiserver requests.',
    '# TYPE apiserver_request_total counter',
  );
  for (const [k, n] of counts) {
    const [r, v, c] = k.split('|');
    out.push(
      `apiserver_request_total{code="${c}",component="apiserver",dry_run="",group="",resource="${r}",scope="namespace",subresource="",verb="${v}",version="v1"} ${n}`,
    );
  }
  out.push(
    '# HELP apiserver_request_duration_seconds Response latency.',
    '# TYPE apiserver_request_duration_seconds histogram',
  );
  for (const r of resources)
    for (const v of verbs) {
      const l = `component="apiserver",dry_run="",group="",resource="${r}",scope="namespace",subresource="",verb="${v}",version="v1"`;
      let acc = 0;
      for (const b of buckets) {
        acc += 7;
        out.push(`apiserver_request_duration_seconds_bucket{${l},le="${b}"} ${acc}`);
      }
      out.push(`apiserver_request_duration_seconds_bucket{${l},le="+Inf"} ${acc}`);
      out.push(
        `apiserver_request_duration_seconds_sum{${l}} ${acc * 0.012}`,
        `apiserver_request_duration_seconds_count{${l}} ${acc}`,
      );
    }
  const cpu = process.cpuUsage();
  out.push(
    '# TYPE process_cpu_seconds_total counter',
    `process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`,
  );
  out.push(
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${process.memoryUsage().rss}`,
  );
  return out.join('\n') + '\n';
}

const server = http.createServer((req, res) => {
  if (req.url !== '/metrics') {
    res.writeHead(404).end();
    return;
  }
  const body = render();
  res.writeHead(200, {
    'content-type': 'text/plain; version=0.0.4',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
