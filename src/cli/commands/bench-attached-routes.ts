/**
 * `kubeperf bench attached-routes`: a one-phase `attached-routes` study built from flags (kgateway's
 * incremental test by default, gateway-api-bench's bulk one with --methodology bulk), run through the
 * normal lifecycle like `kubeperf run`.
 */
import { Command } from 'commander';
import { parseDuration } from '../../config/duration.js';
import { InputError } from '../../core/errors.js';
import { num, runBenchPhase, targetFlags, type BenchFlags } from '../flags.js';

interface Flags extends BenchFlags {
  routes?: string;
  preset?: string;
  methodology?: string;
  batchSize?: string;
  gracePeriod?: string;
  concurrency?: string;
  gatewayClass?: string;
  controller?: string;
  controllerMetricsUrl?: string;
  translationDelay?: string;
  batchWindow?: string;
  workers?: string;
  clientQps?: string;
  restartController?: boolean;
  restartDeployment?: string;
  setupThreshold?: string;
  teardownThreshold?: string;
  addAllThreshold?: string;
  removeAllThreshold?: string;
  thresholds?: boolean;
  backends?: boolean;
  gatewayReadyTimeout?: string;
  translationTimeout?: string;
  stepTimeout?: string;
}

function ms(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const d = parseDuration(v);
  if (d === undefined)
    throw new InputError(`--${flag}: "${v}" is not a duration`, { hint: 'e.g. 500ms, 30s, 2m' });
  return d;
}

/** Flags → the attached-routes phase (validated by the phase's schema when the study loads). */
export function attachedRoutesPhaseFromFlags(f: Flags): Record<string, unknown> {
  const phase: Record<string, unknown> = { type: 'attached-routes', name: 'attached-routes' };
  const set = (obj: Record<string, unknown>, k: string, v: unknown) => {
    if (v !== undefined) obj[k] = v;
  };
  set(phase, 'routes', num('routes', f.routes));
  set(phase, 'preset', f.preset);
  set(phase, 'methodology', f.methodology);
  set(phase, 'batchSize', num('batch-size', f.batchSize));
  set(phase, 'gracePeriod', f.gracePeriod);
  set(phase, 'concurrency', num('concurrency', f.concurrency));
  set(phase, 'gatewayClassName', f.gatewayClass);
  set(phase, 'controller', f.controller);
  set(phase, 'controllerMetricsUrl', f.controllerMetricsUrl);
  set(phase, 'gatewayReadyTimeout', f.gatewayReadyTimeout);
  set(phase, 'translationTimeout', f.translationTimeout);
  set(phase, 'stepTimeout', f.stepTimeout);
  const ctl: Record<string, unknown> = {};
  set(ctl, 'translationDelayMs', ms('translation-delay', f.translationDelay));
  set(ctl, 'statusBatchWindowMs', ms('batch-window', f.batchWindow));
  set(ctl, 'workers', num('workers', f.workers));
  set(ctl, 'clientQps', num('client-qps', f.clientQps, false));
  if (Object.keys(ctl).length) phase.controllerOptions = ctl;
  if (f.restartController && f.restartDeployment)
    throw new InputError('--restart-controller and --restart-deployment exclude each other', {
      hint: '--restart-controller restarts the simulated controller, --restart-deployment NS/NAME a real one',
    });
  if (f.restartController) phase.restartController = true;
  if (f.restartDeployment) {
    const [namespace, deployment, extra] = f.restartDeployment.split('/');
    if (!namespace || !deployment || extra !== undefined)
      throw new InputError(`--restart-deployment: "${f.restartDeployment}" is not NAMESPACE/NAME`);
    phase.restartController = { namespace, deployment };
  }
  if (f.thresholds === false) phase.thresholds = false;
  else {
    const th: Record<string, unknown> = {};
    set(th, 'setup', f.setupThreshold);
    set(th, 'teardown', f.teardownThreshold);
    set(th, 'addAll', f.addAllThreshold);
    set(th, 'removeAll', f.removeAllThreshold);
    if (Object.keys(th).length) phase.thresholds = th;
  }
  if (f.backends === false) phase.backends = false;
  return phase;
}

export function benchAttachedRoutesCommand(): Command {
  const cmd = new Command('attached-routes')
    .description(
      "Gateway API attached-routes test: kgateway's incremental stopwatch (default) or gateway-api-bench's bulk add-all/remove-all",
    )
    .option('--routes <n>', 'routes (the baseline for incremental; default 1000)')
    .option('--preset <name>', 'baseline (1000 routes) | production (5000)')
    .option('--methodology <m>', 'incremental (kgateway, default) | bulk (gateway-api-bench)')
    .option('--batch-size <n>', 'routes per batch (default 100; 500 from 5000 routes)')
    .option('--grace-period <duration>', 'pause after each batch (default 100ms)')
    .option('--concurrency <n>', 'route creates in flight (default 1)')
    .option('--gateway-class <name>', 'GatewayClass (default kubeperf simulated, kgateway external)')
    .option('--controller <mode>', 'simulated | external (default: simulated on the embedded control plane)')
    .option('--controller-metrics-url <url>', "external controller's /metrics (URL or API server proxy path)")
    .option('--translation-delay <duration>', 'simulated controller: time one translation takes (default 0)')
    .option('--batch-window <duration>', 'simulated controller: status batching window (default 5ms)')
    .option('--workers <n>', 'simulated controller: route-status workers (default 4)')
    .option('--client-qps <n>', 'simulated controller: client QPS, 0 = unlimited (default 0)')
    .option('--restart-controller', 'restart the simulated controller after the baseline')
    .option(
      '--restart-deployment <ns/name>',
      "rollout restart this Deployment (the real controller's) after the baseline",
    )
    .option('--setup-threshold <duration>', "override kgateway's setup limit (30s / 90s / 120s by scale)")
    .option(
      '--teardown-threshold <duration>',
      "override kgateway's teardown limit (10s / 20s / 30s by scale)",
    )
    .option('--add-all-threshold <duration>', 'bulk: limit add-all')
    .option('--remove-all-threshold <duration>', 'bulk: limit remove-all')
    .option('--no-thresholds', 'no built-in thresholds')
    .option('--no-backends', 'no simulated backends: every route points at loadtest-backend')
    .option('--gateway-ready-timeout <duration>', 'most time for the Gateway to be Programmed (default 60s)')
    .option(
      '--translation-timeout <duration>',
      'most time for the baseline / add-all / remove-all (default 5m)',
    )
    .option('--step-timeout <duration>', 'most time for setup and for teardown (default 60s)');
  return targetFlags(cmd)
    .addHelpText(
      'after',
      `
Examples:
  kubeperf bench attached-routes --routes 1000                        kgateway's baseline on the embedded control plane
  kubeperf bench attached-routes --preset production                  5,000 routes in batches of 500
  kubeperf bench attached-routes --routes 1000 --methodology bulk     gateway-api-bench's add-all / remove-all
  kubeperf bench attached-routes --routes 100 --translation-delay 2s  a slower controller
  kubeperf bench attached-routes --kubeconfig ~/.kube/config --gateway-class kgateway \\
      --restart-deployment kgateway-system/kgateway                     a real kgateway`,
    )
    .action((f: Flags) => runBenchPhase('attached-routes', attachedRoutesPhaseFromFlags(f), f));
}
