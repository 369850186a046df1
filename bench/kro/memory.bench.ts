/**
 * 10,000 instances of a 3-resource RGD complete on the embedded control plane without running out of
 * memory; the RSS of each process is recorded (controller from its /metrics over the round, API
 * server from its /metrics, the load generator from getrusage).
 */
import { loadNote, mb, r2, runKro } from './lib.js';
import { finish } from '../client/util.js';

const run = await runKro({
  generate: { resources: 3, deps: 1, shape: 'chain', kinds: ['ConfigMap', 'Secret', 'Service'] },
  instances: 10_000,
  namespaces: 20,
  concurrency: 32,
  settle: '0s',
  timeout: '15m',
  controllerOptions: { workers: 8, queueQps: 0, clientQps: 0 },
});
const r = run.round;
const results = [
  {
    name: 'activeInstances',
    value: r.active,
    unit: 'instances',
    target: '= 10000',
    pass: r.active === 10_000,
  },
  {
    name: 'childrenPerInstance',
    value: r2(r.childrenPerInstance),
    unit: 'objects',
    target: '= 3',
    pass: r.childrenPerInstance === 3,
  },
  { name: 'allActiveSeconds', value: r2(r.windowS), unit: 's' },
  { name: 'instancesPerSec', value: r2(r.shaper.throughput), unit: 'instances/s' },
  { name: 'controllerMaxRss', value: mb(run.controllerMaxRssBytes), unit: 'MB' },
  { name: 'apiServerMaxRss', value: mb(run.apiServerMaxRssBytes), unit: 'MB' },
  { name: 'generatorMaxRss', value: mb(run.generatorMaxRssBytes), unit: 'MB' },
  { name: 'controllerCpuSeconds', value: r2(r.controller?.cpuSeconds), unit: 's' },
  { name: 'generatorCpuSeconds', value: r2(run.generatorCpuSeconds), unit: 's' },
  { name: 'exitCode', value: run.exitCode, unit: '', target: '= 0', pass: run.exitCode === 0 },
];
finish('kro/memory', results, `${r.shaper.text} ${loadNote(run)}`);
