// The cost of apiserverMetrics on the load generator: parsing and diffing two scrapes the size of a real
// kube-apiserver's /metrics (v1.28: about 15,000 lines, megabytes), generated here with its families,
// labels and buckets. Only the families the measurement reads are split into labels (prefix filter).
import { diffApiserverScrapes } from '../../src/measurements/apiserver-metrics.js';
import { parsePromText } from '../../src/metrics/prom-text.js';
import { emit, log } from '../client/util.js';

const buckets = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60,
];
const resources = Array.from({ length: 60 }, (_, i) => `resource${i}`);
const verbs = ['GET', 'LIST', 'WATCH', 'POST', 'PUT', 'PATCH', 'DELETE'];

function scrape(scale: number): string {
  const out: string[] = [];
  for (const r of resources)
    for (const v of verbs) {
      const l = `component="apiserver",dry_run="",group="",resource="${r}",scope="namespace",subresource="",verb="${v}",version="v1"`;
      out.push(`apiserver_request_total{code="200",${l}} ${1000 * scale}`);
      let c = 0;
      for (const b of buckets)
        out.push(`apiserver_request_duration_seconds_bucket{${l},le="${b}"} ${(c += 30 * scale)}`);
      out.push(`apiserver_request_duration_seconds_bucket{${l},le="+Inf"} ${c}`);
      out.push(
        `apiserver_request_duration_seconds_sum{${l}} ${c * 0.01}`,
        `apiserver_request_duration_seconds_count{${l}} ${c}`,
      );
      // Families the measurement skips, as a real scrape has many (etcd, response sizes, admission…).
      for (const b of [1000, 10000, 100000, 1e6, 1e7])
        out.push(`apiserver_response_sizes_bucket{${l},le="${b}"} ${c}`);
    }
  for (const r of resources) out.push(`apiserver_storage_objects{resource="${r}"} ${100 * scale}`);
  return out.join('\n') + '\n';
}

const before = scrape(1);
const after = scrape(2);
const lines = before.split('\n').length;
const bytes = Buffer.byteLength(before);
// Warm up, then time the work of one phase: two parses and the diff (CPU time).
diffApiserverScrapes(parsePromText(before, ['apiserver_']), parsePromText(after, ['apiserver_']));
const families = [
  'apiserver_request_total',
  'apiserver_request_duration_seconds_bucket',
  'apiserver_current_inflight_requests',
  'apiserver_storage_objects',
];
const N = 10;
const c0 = process.cpuUsage();
for (let i = 0; i < N; i++)
  diffApiserverScrapes(parsePromText(before, families), parsePromText(after, families));
const c = process.cpuUsage(c0);
const ms = (c.user + c.system) / 1000 / N;
log(
  `${lines} lines, ${(bytes / 1e6).toFixed(2)} MB per scrape: ${ms.toFixed(1)} ms CPU to parse two and diff`,
);
emit(
  'monitoring/apiserver-scrape',
  [
    { name: 'lines per scrape', value: lines, unit: 'lines' },
    { name: 'bytes per scrape', value: bytes, unit: 'B' },
    {
      name: 'CPU per phase (parse two scrapes, diff)',
      value: Math.round(ms * 10) / 10,
      unit: 'ms',
      target: 100,
      pass: ms <= 100,
    },
  ],
  'synthetic kube-apiserver v1.28 families and buckets: 60 resources × 7 verbs; scraped only at phase boundaries',
);
