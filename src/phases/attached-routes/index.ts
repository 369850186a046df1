/**
 * `attached-routes`: the Gateway API control-plane tests of kgateway (incremental: a stopwatch on one
 * route added to a baseline of N) and gateway-api-bench (bulk: add all, remove all), from watches at
 * millisecond precision, with status writes per step, kgateway's scale-aware thresholds, and the
 * work done by kubeperf's simulated gateway controller (embedded control plane) or the target's own.
 */
import type { PhaseType } from '../types.js';
import { attachedRoutesAccess } from './access.js';
import { describeSettings } from './controller.js';
import { GatewayControllerOptions } from '../../controllers/gateway/options.js';
import { kgatewaySizing } from '../simulate-backends/sizing.js';
import { AttachedRoutesOptions, batchSizeOf, routeCount } from './options.js';
import { runAttachedRoutes } from './run.js';
import { builtInThresholds } from './thresholds.js';

export const attachedRoutesPhase: PhaseType<AttachedRoutesOptions> = {
  type: 'attached-routes',
  description:
    "Gateway API attached-routes test: kgateway's incremental stopwatch (setup/teardown of one route over N) or gateway-api-bench's bulk add-all/remove-all, status writes per step, scale-aware thresholds.",
  options: AttachedRoutesOptions,
  plan(o) {
    const n = routeCount(o);
    const batch = batchSizeOf(o);
    const services = o.backends === false ? 0 : (o.backends.services ?? kgatewaySizing(n).services);
    const ctl =
      o.controller === 'external'
        ? "the target's own controller"
        : o.controller === 'simulated'
          ? describeSettings(GatewayControllerOptions.parse(o.controllerOptions ?? {}))
          : 'simulated on the embedded control plane, external on a kubeconfig target';
    const th = builtInThresholds(o, n, 'phase').map((t) => t.expression.replace(/^phase:/, ''));
    const how =
      o.methodology === 'incremental'
        ? `${n} baseline routes in batches of ${batch} (grace ${o.gracePeriod}), then setup/teardown of one incremental route${o.restartController ? ' after a controller restart' : ''}`
        : `bulk: ${n} routes, add-all then remove-all`;
    return {
      steps: [
        `attached-routes${o.preset ? ` (${o.preset})` : ''}: ${how}; backends: ${o.backends === false ? 'loadtest-backend only' : `${services} Services${o.backends.create ? '' : ' (existing)'}`}; controller: ${ctl}; thresholds: ${th.length ? th.join(', ') : 'none'}`,
      ],
      objects: n + (o.backends === false || !o.backends.create ? 0 : services * 2) + 5,
      needsCluster: true,
    };
  },
  access: (o) => attachedRoutesAccess(o),
  run: runAttachedRoutes,
};
