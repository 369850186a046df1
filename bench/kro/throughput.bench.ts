/**
 * The simulated kro controller is not the bottleneck without shapers: 1,000 instances of a
 * 5-resource RGD (flat: every resource in the first pass; ConfigMaps, Secrets and Services, so no pods)
 * reach ACTIVE on the embedded control plane in ≤ 10 s with 8 workers, no queue bucket and no client
 * QPS limit. Reports instances/s and API requests/s, and the CPU of each process.
 */
import { loadNote, mb, r2, runKro } from './lib.js';
import { finish } from '../client/util.js';

const run = await runKro({
  generate: { resources: 5, deps: 0, shape: 'random', kinds: ['ConfigMap', 'Secret', 'Service'] },
  instances: 1000,
  namespaces: 10,
  concurrency: 32,
  settle: '0s',
  timeout: '2m',
  controllerOptions: { workers: 8, queueQps: 0, clientQps: 0 },
});
const r = run.round;
const ready = run.ops['instance-ready']!;
// CPU seconds of the three processes over the phase (the API server's from its /metrics samples):
// on a shared machine this is what the work costs, whatever the wall clock says.
const apiCpu = (run.phase.resources?.cpuCores.mean ?? 0) * (run.phase.durationMs / 1000);
const cpuTotal = (r.controller?.cpuSeconds ?? 0) + run.generatorCpuSeconds + apiCpu;
const results = [
  { name: 'activeInstances', value: r.active, unit: 'instances', target: '= 1000', pass: r.active === 1000 },
  {
    name: 'allActiveSeconds',
    value: r2(r.windowS),
    unit: 's',
    target: '<= 10',
    pass: r.active === 1000 && r.windowS <= 10,
  },
  { name: 'instancesPerSec', value: r2(r.shaper.throughput), unit: 'instances/s' },
  { name: 'apiRequestsPerSec', value: r2((r.apiServer?.requests ?? 0) / r.windowS), unit: 'req/s' },
  { name: 'apiRequestsPerInstance', value: r2(r.apiServer?.perInstance), unit: 'req' },
  { name: 'controllerRequestsPerInstance', value: r2(r.controller?.requestsPerInstance), unit: 'req' },
  { name: 'reconcilesPerInstance', value: r2(r.controller?.reconcilesPerInstance), unit: 'reconciles' },
  { name: 'timeToActive.p50', value: r2(ready.latencyMs.p50), unit: 'ms' },
  { name: 'timeToActive.p99', value: r2(ready.latencyMs.p99), unit: 'ms' },
  { name: 'controllerCpuSeconds', value: r2(r.controller?.cpuSeconds), unit: 's' },
  { name: 'generatorCpuSeconds', value: r2(run.generatorCpuSeconds), unit: 's' },
  { name: 'apiServerCpuSeconds', value: r2(apiCpu), unit: 's' },
  { name: 'cpuMsPerInstance', value: r2((cpuTotal * 1000) / Math.max(1, r.active)), unit: 'ms' },
  { name: 'controllerMaxRss', value: mb(run.controllerMaxRssBytes), unit: 'MB' },
];
finish('kro/throughput', results, `${r.shaper.text} ${loadNote(run)}`);
