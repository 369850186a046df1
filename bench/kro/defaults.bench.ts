/**
 * With kro's defaults (1 worker, queue 10/s burst 100 + backoff, client QPS 100 burst 150, 3 s requeue)
 * throughput must come out where the shapers put it. The phase names the limiting shaper from the
 * controller's metrics; the evidence that the model is faithful is that the binding limit is met:
 * the controller's request rate sits at its client QPS, and the instance throughput equals that QPS
 * divided by the requests each instance costs. (In client-go the queue's 10/s bucket only paces
 * rate-limited requeues, i.e. errors; watch events and requeue-after bypass it, so with no errors it
 * is not the binding shaper. The run reports the requeues that went through it.)
 */
import { loadNote, r2, runKro } from './lib.js';
import { finish } from '../client/util.js';

const run = await runKro({
  generate: { resources: 1, deps: 0, shape: 'random', kinds: ['ConfigMap'] },
  instances: 300,
  namespaces: 3,
  concurrency: 16,
  timeout: '5m',
});
const r = run.round;
const c = r.controller!;
const windowS = r.windowS;
const requests = c.requests ?? 0;
const metricsWindowS = windowS + 4; // the phase's settle: the scrape-to-scrape window
const reqRate = requests / metricsWindowS;
const predicted = 100 / (requests / Math.max(1, r.active));
const results = [
  { name: 'activeInstances', value: r.active, unit: 'instances', target: '= 300', pass: r.active === 300 },
  {
    name: 'limitingShaper',
    value: r.shaper.limiting === 'client-qps' ? 1 : 0,
    unit: 'client-qps?',
    target: '= 1 (client QPS binds)',
    pass: r.shaper.limiting === 'client-qps',
  },
  {
    name: 'controllerRequestsPerSec',
    value: r2(reqRate),
    unit: 'req/s',
    target: '85–115 (qps 100, burst 150)',
    pass: reqRate >= 85 && reqRate <= 115,
  },
  { name: 'instancesPerSec', value: r2(r.shaper.throughput), unit: 'instances/s' },
  {
    name: 'predictedInstancesPerSec',
    value: r2(predicted),
    unit: 'instances/s',
    target: 'measured within ±25%',
    pass: Math.abs(r.shaper.throughput - predicted) / predicted <= 0.25,
  },
  { name: 'controllerRequestsPerInstance', value: r2(c.requestsPerInstance), unit: 'req' },
  { name: 'limiterWaitSeconds', value: r2(c.limiterWaitSeconds), unit: 's' },
  { name: 'queueBucketRequeues', value: c.queueRetries ?? 0, unit: 'requeues' },
  { name: 'timeToActive.p50', value: r2(run.ops['instance-ready']!.latencyMs.p50), unit: 'ms' },
  { name: 'timeToActive.p99', value: r2(run.ops['instance-ready']!.latencyMs.p99), unit: 'ms' },
];
finish('kro/defaults', results, `${r.shaper.text} ${loadNote(run)}`);
