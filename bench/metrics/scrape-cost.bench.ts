// The observer effect of sampling control-plane usage (issue 10): API server CPU per /metrics
// scrape, measured on the embedded control plane and on a synthetic 2.5 MB kube-apiserver-shaped
// /metrics (its own process), against the server CPU of a crud phase. Target: at the default
// interval (10 s from /metrics) sampling costs ≤ 2% of the phase's server CPU. The embedded control
// plane is read from /proc in runs, at no cost to it; its /metrics figure is for kubeconfig targets
// that point at `kubeperf cluster start`.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { crudPhase } from '../../src/phases/crud/index.js';
import { CrudOptions } from '../../src/phases/crud/options.js';
import { testPhaseContext } from '../../src/kube/testing.js';
import { measureScrapeCostMs, metricsSource, procfsSource } from '../../src/metrics/control-plane-usage.js';
import { emit, log, startCluster } from '../client/util.js';

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 4000);
const here = new URL('.', import.meta.url).pathname;
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

const { cluster, target } = await startCluster();
const synth = spawn(process.execPath, ['--import', 'tsx', join(here, 'synthetic-apiserver-metrics.ts')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const [portLine] = (await once(synth.stdout!, 'data')) as [Buffer];
  const synthUrl = `http://127.0.0.1:${portLine.toString().trim()}/metrics`;
  const headers = { authorization: `Bearer ${cluster.token}`, 'accept-encoding': 'identity' };
  const embedded = metricsSource(async () => (await fetch(`${cluster.server}/metrics`, { headers })).text());
  const big = metricsSource(async () =>
    (await fetch(synthUrl, { headers: { 'accept-encoding': 'identity' } })).text(),
  );
  // Medians of 5 differential measurements each (burst of 5 scrapes vs a pause of the same length).
  const costOf = async (read: () => Promise<{ cpuSeconds: number; rssBytes: number }>) => {
    const xs: number[] = [];
    for (let i = 0; i < 5; i++) xs.push(await measureScrapeCostMs(read));
    return xs.sort((a, b) => a - b)[2]!;
  };
  const embeddedMs = await costOf(embedded.read);
  const bigMs = await costOf(big.read);
  const embeddedBytes = (await embedded.read()).bytes!;
  const bigBytes = (await big.read()).bytes!;
  // Cross-check of the synthetic figure from outside: its process CPU over 20 back-to-back scrapes.
  const proc = procfsSource(synth.pid!);
  const p0 = await proc.read();
  for (let i = 0; i < 20; i++) await big.read();
  const p1 = await proc.read();
  const bigProcMs = ((p1.cpuSeconds - p0.cpuSeconds) * 1000) / 20;

  // The server CPU of a crud phase, from /proc of the embedded server (free to read).
  const server = procfsSource(cluster.pid);
  const ctx = testPhaseContext(target, { phaseName: 'observer' });
  const s0 = await server.read();
  const t0 = performance.now();
  await crudPhase.run(CrudOptions.parse({ objects: OBJECTS, concurrency: 16 }), ctx);
  const phaseS = (performance.now() - t0) / 1000;
  const s1 = await server.read();
  for (const f of ctx.cleanups) await f();
  const serverCpuS = s1.cpuSeconds - s0.cpuSeconds;
  // Scrapes the default policy makes inside a phase this long: one every 10 s and one at its end (its
  // start reading is the one taken at the end of the warm-up or of the phase before).
  const scrapes = 1 + Math.floor(phaseS / 10);
  const share = (ms: number) => (scrapes * ms) / 1000 / serverCpuS;
  // The same ratio for a phase that lasts a minute at this server CPU rate.
  const minuteShare = (ms: number) => ((1 + 6) * ms) / 1000 / ((serverCpuS / phaseS) * 60);
  log(
    `embedded /metrics ${embeddedBytes} B ${r2(embeddedMs)} ms; synthetic ${bigBytes} B ${r2(bigMs)} ms (by /proc ${r2(bigProcMs)} ms); crud phase ${r1(phaseS)} s, server ${r2(serverCpuS)} CPU-s`,
  );
  const results = [
    { name: 'embedded /metrics size', value: embeddedBytes, unit: 'bytes' },
    { name: 'embedded server CPU per /metrics scrape', value: r2(embeddedMs), unit: 'ms' },
    { name: 'synthetic kube-apiserver /metrics size', value: bigBytes, unit: 'bytes' },
    { name: 'synthetic server CPU per scrape (by difference)', value: r2(bigMs), unit: 'ms' },
    { name: 'synthetic server CPU per scrape (its /proc, 20 scrapes)', value: r2(bigProcMs), unit: 'ms' },
    { name: 'crud phase duration', value: r1(phaseS), unit: 's' },
    { name: 'crud phase server CPU', value: r2(serverCpuS), unit: 'CPU-s' },
    {
      name: 'sampling cost, embedded /metrics, ÷ phase server CPU',
      value: r2(share(embeddedMs) * 100),
      unit: '%',
      target: 2,
      pass: share(embeddedMs) <= 0.02,
    },
    {
      name: `sampling cost, ${(bigBytes / 1e6).toFixed(1)} MB /metrics, ÷ phase server CPU`,
      value: r2(share(bigMs) * 100),
      unit: '%',
      target: 2,
      pass: share(bigMs) <= 0.02,
    },
    {
      name: `sampling cost, ${(bigBytes / 1e6).toFixed(1)} MB /metrics, ÷ server CPU of a 60 s phase at this rate`,
      value: r2(minuteShare(bigMs) * 100),
      unit: '%',
    },
    { name: 'sampling cost, embedded server from /proc', value: 0, unit: '%' },
    { name: 'load average (1 min) at the end', value: r2(loadavg()[0]!), unit: `on ${cpus().length} cores` },
  ];
  emit(
    'metrics/scrape-cost',
    results,
    `server CPU per scrape by difference (5 scrapes back to back vs a pause and 1 scrape, median of 5); crud phase: ${OBJECTS} ConfigMaps, 16 workers, 5 rounds`,
  );
  if (results.some((r) => r.pass === false)) process.exitCode = 1;
} finally {
  synth.kill('SIGTERM');
  await cluster.stop();
}
