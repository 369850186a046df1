/**
 * kgateway's baseline (`kubeperf bench attached-routes --routes 1000`) and gateway-api-bench's bulk
 * test with 1,000 routes, on the embedded control plane with the simulated controller's defaults: the
 * numbers both projects report (setup, teardown, add-all, remove-all, status writes) and kgateway's
 * limits for 1,000 routes (setup < 30 s, teardown < 10 s).
 */
import { exitedZero, finish, loadNote, msUnder, r1, runAttachedRoutes } from './lib.js';

const inc = await runAttachedRoutes({ routes: 1000 });
const bulk = await runAttachedRoutes({ routes: 1000, methodology: 'bulk' });
const d = inc.data;
const b = bulk.data;
finish(
  'gateway/baseline',
  [
    exitedZero('incremental.exitCode', inc),
    msUnder('setup', d.setupMs, 30),
    { name: 'setup.kgateway1sPoll', value: r1(d.kgatewayPoll?.setupMs), unit: 'ms' },
    msUnder('teardown', d.teardownMs, 10),
    { name: 'teardown.kgateway100msPoll', value: r1(d.kgatewayPoll?.teardownMs), unit: 'ms' },
    { name: 'baselineTranslation', value: r1(d.translationMs), unit: 'ms' },
    { name: 'incremental.gatewayStatusWrites', value: d.writes.gateway, unit: 'writes' },
    { name: 'incremental.routeStatusWrites', value: d.writes.httproute, unit: 'writes' },
    { name: 'incremental.kgatewayTotalWrites', value: d.writes.kgatewayTotalWrites ?? -1, unit: 'writes' },
    { name: 'timeToAccepted.p50', value: r1(inc.ops['route-accepted']?.latencyMs.p50), unit: 'ms' },
    { name: 'timeToAccepted.p99', value: r1(inc.ops['route-accepted']?.latencyMs.p99), unit: 'ms' },
    { name: 'incremental.runSeconds', value: r1(inc.wallSeconds), unit: 's' },
    exitedZero('bulk.exitCode', bulk),
    { name: 'addAll', value: r1(b.addAllMs), unit: 'ms' },
    { name: 'removeAll', value: r1(b.removeAllMs), unit: 'ms' },
    {
      name: 'bulk.gatewayApiBenchWrites',
      value: b.writes.gatewayApiBenchWrites ?? -1,
      unit: 'writes',
      target: 'a few hundred (kgateway 323, Istio 311 in gateway-api-bench)',
      pass: (b.writes.gatewayApiBenchWrites ?? 0) >= 100 && (b.writes.gatewayApiBenchWrites ?? 0) <= 1000,
    },
    { name: 'bulk.routeStatusWrites', value: b.writes.httproute, unit: 'writes' },
    { name: 'bulk.runSeconds', value: r1(bulk.wallSeconds), unit: 's' },
  ],
  `${loadNote(inc)}; bulk: ${loadNote(bulk)}`,
);
