// The load engine must never be the bottleneck (issue 10): the `crud` phase against a raw keep-alive
// client (bench/cluster/lib.ts's RawClient: hand-built HTTP/1.1 bytes, status + Content-Length parsing
// only) on the same embedded control plane process, in one run, rounds alternating which goes first.
// Targets: phase throughput ≥ 0.8× the raw client's for create, get, update and delete; client CPU
// per request ≤ 40 µs in the crud phase and in a templated `job` phase (process CPU during the phase ÷
// requests). Ratios and CPU per request hold up under background load; absolute rates do not.
import { cpus, loadavg } from 'node:os';
import { closedLoop, RawClient } from '../cluster/lib.js';
import { emit, log, startCluster } from '../client/util.js';
import { crudPhase } from '../../src/phases/crud/index.js';
import { CrudOptions } from '../../src/phases/crud/options.js';
import { jobPhase } from '../../src/phases/job/index.js';
import { JobOptions } from '../../src/phases/job/options.js';
import { testPhaseContext } from '../../src/kube/testing.js';
import { median } from '../../src/analysis/stats.js';

const N = Number(process.env.BENCH_OBJECTS ?? 4000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = 16;
const OPS = ['create', 'get', 'update', 'delete'] as const;

const { cluster, target } = await startCluster();
const raw = new RawClient(new URL(cluster.server), cluster.token, CONCURRENCY);
const cpuUs = () => {
  const c = process.cpuUsage();
  return c.user + c.system;
};

async function rawCycle(tag: string): Promise<{ rates: Record<string, number>; cpuPerReqUs: number }> {
  // The same requests the phase sends: labelled objects, updates with the resourceVersion the create
  // returned, deletes with propagationPolicy: what differs is only the client.
  const base = '/api/v1/namespaces/default/configmaps';
  const data = 'x'.repeat(256);
  const body = (i: number, rev: number, rv?: string) =>
    `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${tag}-${i}","labels":{"kubeperf.io/run-id":"raw","kubeperf.io/job":"${tag}","kubeperf.io/iteration":"${i}"},"annotations":{"kubeperf.io/rev":"${rev}"}${rv ? `,"resourceVersion":"${rv}"` : ''}},"data":{"payload":"${data}"}}`;
  const rvs: string[] = new Array(N);
  const rates: Record<string, number> = {};
  const c0 = cpuUs();
  const run = async (op: string, fn: (i: number) => Promise<number>) => {
    const r = await closedLoop(N, CONCURRENCY, fn);
    if (r.errors) throw new Error(`raw ${op}: ${r.errors} errors`);
    rates[op] = r.rate;
  };
  await run('create', async (i) => {
    const r = await raw.exchange('POST', base, body(i, 0));
    rvs[i] = /"resourceVersion":"(\d+)"/.exec(r.body.toString())![1]!;
    return r.status;
  });
  await run('get', (i) => raw.request('GET', `${base}/${tag}-${i}`));
  await run('update', (i) => raw.request('PUT', `${base}/${tag}-${i}`, body(i, 1, rvs[i])));
  await run('delete', (i) => raw.request('DELETE', `${base}/${tag}-${i}?propagationPolicy=Background`));
  return { rates, cpuPerReqUs: (cpuUs() - c0) / (N * OPS.length) };
}

async function phaseCycle(): Promise<{ rates: Record<string, number>; cpuPerReqUs: number }> {
  const ctx = testPhaseContext(target, { phaseName: 'bench' });
  const c0 = cpuUs();
  await crudPhase.run(
    CrudOptions.parse({ objects: N, concurrency: CONCURRENCY, ops: [...OPS], payloadBytes: 256 }),
    ctx,
  );
  const used = cpuUs() - c0;
  for (const f of ctx.cleanups) await f();
  const snap = ctx.recorder.snapshot();
  let requests = 0;
  const rates: Record<string, number> = {};
  for (const op of OPS) {
    const s = snap[op]!;
    if (s.errors) throw new Error(`phase ${op}: ${s.errors} errors`);
    requests += s.count;
    rates[op] = s.throughput;
  }
  return { rates, cpuPerReqUs: used / requests };
}

const template = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{.JobName}}-{{.Iteration}}-{{.Replica}}
  labels:
    app: bench
data:
  iteration: "{{.Iteration}}"
  payload: {{ randAlphaNum 256 | quote }}
{{- range $i := until 3 }}
  key-{{ $i }}: {{ printf "value-%d-%d" $.Iteration $i | quote }}
{{- end }}
`;

async function jobCycle(k: number): Promise<number> {
  const ctx = testPhaseContext(target, { phaseName: `bench-job-${k}` });
  const c0 = cpuUs();
  await jobPhase.run(
    JobOptions.parse({
      jobIterations: N,
      namespace: `bench-job-${k}`,
      namespacedIterations: false,
      concurrency: CONCURRENCY,
      objects: [{ objectTemplate: template }],
    }),
    ctx,
  );
  const used = cpuUs() - c0;
  const s = ctx.recorder.snapshot().create!;
  if (s.errors) throw new Error(`job create: ${s.errors} errors`);
  for (const f of ctx.cleanups) await f();
  return used / s.count;
}

try {
  // Warm both sides (JIT of client and server) before anything is measured.
  await rawCycle('warm');
  await phaseCycle();
  await jobCycle(0);
  const ratios: Record<string, number[]> = Object.fromEntries(OPS.map((op) => [op, []]));
  const rawRates: Record<string, number[]> = Object.fromEntries(OPS.map((op) => [op, []]));
  const phaseRates: Record<string, number[]> = Object.fromEntries(OPS.map((op) => [op, []]));
  const phaseCpu: number[] = [];
  const rawCpu: number[] = [];
  const jobCpu: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate the order so a load burst does not always hit the same side.
    const first = r % 2 === 0 ? 'raw' : 'phase';
    const a = first === 'raw' ? await rawCycle(`raw${r}`) : await phaseCycle();
    const b = first === 'raw' ? await phaseCycle() : await rawCycle(`raw${r}`);
    const [rw, ph] = first === 'raw' ? [a, b] : [b, a];
    for (const op of OPS) {
      ratios[op]!.push(ph.rates[op]! / rw.rates[op]!);
      rawRates[op]!.push(rw.rates[op]!);
      phaseRates[op]!.push(ph.rates[op]!);
    }
    phaseCpu.push(ph.cpuPerReqUs);
    rawCpu.push(rw.cpuPerReqUs);
    jobCpu.push(await jobCycle(r + 1));
    log(
      `round ${r + 1}: ${OPS.map((op) => `${op} ${ph.rates[op]!.toFixed(0)} vs ${rw.rates[op]!.toFixed(0)}/s`).join(', ')}; CPU/req crud ${ph.cpuPerReqUs.toFixed(1)} µs, raw ${rw.cpuPerReqUs.toFixed(1)} µs, job ${jobCpu.at(-1)!.toFixed(1)} µs; load ${loadavg()[0]!.toFixed(2)}`,
    );
  }
  const r1 = (x: number) => Math.round(x * 10) / 10;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const results = [];
  for (const op of OPS) {
    const ratio = median(ratios[op]!);
    results.push({
      name: `crud ${op} throughput ÷ raw client's`,
      value: r2(ratio),
      unit: 'ratio',
      target: 0.8,
      pass: ratio >= 0.8,
    });
    results.push({
      name: `crud ${op} throughput`,
      value: Math.round(median(phaseRates[op]!)),
      unit: 'ops/s',
    });
    results.push({ name: `raw ${op} throughput`, value: Math.round(median(rawRates[op]!)), unit: 'ops/s' });
  }
  const crudCpu = median(phaseCpu);
  const job = median(jobCpu);
  results.push({
    name: 'crud phase client CPU per request',
    value: r1(crudCpu),
    unit: 'µs',
    target: 40,
    pass: crudCpu <= 40,
  });
  results.push({
    name: 'job phase (template) client CPU per request',
    value: r1(job),
    unit: 'µs',
    target: 40,
    pass: job <= 40,
  });
  results.push({ name: 'raw client CPU per request', value: r1(median(rawCpu)), unit: 'µs' });
  results.push({
    name: 'load average (1 min) at the end',
    value: r2(loadavg()[0]!),
    unit: `on ${cpus().length} cores`,
  });
  emit(
    'load/crud-vs-raw',
    results,
    `${N} ConfigMaps per op, ${CONCURRENCY} workers/connections, HTTP/1.1, embedded control plane in a child process; medians of ${ROUNDS} alternating rounds after a warm-up round`,
  );
  if (results.some((r) => r.pass === false)) process.exitCode = 1;
} finally {
  raw.close();
  await cluster.stop();
}
