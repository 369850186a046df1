/**
 * The simulated gateway controller keeps up with 5,000 routes: kgateway's `production` preset (2,500
 * simulated backends, 5,000 routes in batches of 500, setup and teardown of one more, cleanup) on the
 * embedded control plane completes in ≤ 60 s, with kgateway's limits met (setup < 90 s, teardown < 20 s).
 */
import { exitedZero, finish, loadNote, msUnder, r1, runAttachedRoutes } from './lib.js';

const run = await runAttachedRoutes({ preset: 'production' });
const d = run.data;
const accepted = run.ops['route-accepted'];
finish(
  'gateway/production',
  [
    {
      name: 'runSeconds',
      value: r1(run.wallSeconds),
      unit: 's',
      target: '≤ 60 s',
      pass: run.wallSeconds <= 60,
    },
    exitedZero('exitCode', run),
    msUnder('setup', d.setupMs, 90),
    msUnder('teardown', d.teardownMs, 20),
    { name: 'baselineTranslation', value: r1(d.translationMs), unit: 'ms' },
    { name: 'phaseSeconds', value: r1(run.phase.durationMs / 1000), unit: 's' },
    { name: 'backendsSetup', value: r1(d.backends?.setupMs), unit: 'ms' },
    { name: 'gatewayStatusWrites', value: d.writes.gateway, unit: 'writes' },
    { name: 'routeStatusWrites', value: d.writes.httproute, unit: 'writes' },
    {
      name: 'routesAccepted',
      value: d.routesAccepted,
      unit: 'routes',
      target: '5001',
      pass: d.routesAccepted === 5001,
    },
    { name: 'timeToAccepted.p50', value: r1(accepted?.latencyMs.p50), unit: 'ms' },
    { name: 'timeToAccepted.p99', value: r1(accepted?.latencyMs.p99), unit: 'ms' },
    { name: 'routeCreate.p99', value: r1(run.ops['route-create']?.latencyMs.p99), unit: 'ms' },
    { name: 'controllerCpu', value: r1(d.controllerCpuSeconds), unit: 's' },
    { name: 'generatorCpu', value: r1(run.generatorCpuSeconds), unit: 's' },
  ],
  loadNote(run),
);
