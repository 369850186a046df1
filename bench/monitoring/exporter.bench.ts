// The cost of kubeperf's exporter (--metrics-port) to the load engine. Nothing is added per request
// (the exporter reads the Recorder on scrape), so what costs is the scrape itself: measured here as
// CPU per scrape for a large recorder, and as the recorder's CPU per record with and without a scraper
// running every 100 ms (10× the local stack's default 1 s) in the same process.
import { startExporter } from '../../src/monitoring/exporter.js';
import { Recorder } from '../../src/metrics/recorder.js';
import { emit, log, recordSynthetic } from '../client/util.js';

const OPS = 300_000;

function fill(rec: Recorder, n: number): number {
  const c0 = process.cpuUsage();
  recordSynthetic(rec, n);
  const c = process.cpuUsage(c0);
  return ((c.user + c.system) * 1000) / n; // ns per record
}

// Warm up the JIT on both paths.
fill(new Recorder(0), 50_000);
const ex = await startExporter({ port: 0, runId: 'bench', study: 'bench' });
await ex.render();

const nsWithout = fill(new Recorder(0), OPS);

const rec = new Recorder(0);
ex.watch('crud', rec);
let scrapes = 0;
let scrapeCpuUs = 0;
const timer = setInterval(() => {
  const c0 = process.cpuUsage();
  void fetch(`${ex.url}/metrics`)
    .then((r) => r.text())
    .then(() => {
      const c = process.cpuUsage(c0);
      scrapeCpuUs += c.user + c.system;
      scrapes++;
    });
}, 100);
// The fill is synchronous; interleave it with scrapes in slices so they really overlap.
let nsWith = 0;
const slices = 30;
for (let s = 0; s < slices; s++) {
  nsWith += fill(rec, OPS / slices) / slices;
  await new Promise((r) => setTimeout(r, 110));
}
clearInterval(timer);
await new Promise((r) => setTimeout(r, 200));

// One scrape of the full recorder (6 ops × 300,000 records), CPU time.
const c0 = process.cpuUsage();
const body = await ex.render();
const c = process.cpuUsage(c0);
const oneScrapeMs = (c.user + c.system) / 1000;
await ex.stop(0);

const overheadAt1s = oneScrapeMs / 1000;
log(
  `record: ${nsWithout.toFixed(0)} ns without exporter, ${nsWith.toFixed(0)} ns with a 100 ms scraper; ` +
    `${scrapes} scrapes (${(scrapeCpuUs / Math.max(1, scrapes) / 1000).toFixed(2)} ms CPU each incl. HTTP); ` +
    `render ${oneScrapeMs.toFixed(2)} ms for ${body.length} bytes`,
);
emit(
  'monitoring/exporter',
  [
    { name: 'recorder CPU per record, no exporter', value: Math.round(nsWithout), unit: 'ns' },
    { name: 'recorder CPU per record, exporter scraped every 100 ms', value: Math.round(nsWith), unit: 'ns' },
    {
      name: 'CPU per scrape, 6 ops × 300,000 records',
      value: Math.round(oneScrapeMs * 100) / 100,
      unit: 'ms',
      target: 10,
      pass: oneScrapeMs <= 10,
    },
    {
      name: 'share of one core used by 1 s scrapes',
      value: Math.round(overheadAt1s * 10000) / 100,
      unit: '%',
      target: 1,
      pass: overheadAt1s <= 0.01,
    },
  ],
  'nothing is added to the per-request path; the scrape reads per-op totals and walks each HDR histogram once',
);
