/**
 * `kubeperf controller <name> --kubeconfig FILE [--<option> VALUE]...`: runs one simulated controller
 * standalone against any API server (the embedded control plane or a real cluster without that
 * controller), serving its /metrics, until SIGINT/SIGTERM. Options are the controller's own
 * (e.g. kro: --workers 8 --client-qps 0), validated with did-you-mean.
 */
import { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { printHuman } from '../io.js';
import { serveUntilSignal } from '../serve.js';

interface ControllerFlags {
  kubeconfig?: string;
  context?: string;
  metricsAddr: string;
  logLevel: string;
}

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** `--workers 8 --install-crd false` → { workers: 8, installCrd: false }. */
export function controllerOptionsFromArgs(args: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--'))
      throw new InputError(`unexpected argument "${a}"`, {
        hint: 'controller options are --name value pairs',
      });
    const eq = a.indexOf('=');
    const name = camel(eq > 0 ? a.slice(2, eq) : a.slice(2));
    let raw = eq > 0 ? a.slice(eq + 1) : args[i + 1];
    if (eq < 0) {
      if (raw === undefined || raw.startsWith('--')) raw = 'true';
      else i++;
    }
    out[name] = /^-?\d+(\.\d+)?$/.test(raw)
      ? Number(raw)
      : raw === 'true'
        ? true
        : raw === 'false'
          ? false
          : raw;
  }
  return out;
}

export function controllerCommand(): Command {
  return new Command('controller')
    .description(
      'Run a simulated controller (kro, gateway) standalone against an API server, serving its /metrics',
    )
    .argument('<name>', 'controller name: kro | gateway')
    .option('--kubeconfig <path>', 'the API server to act on')
    .option('--context <name>', 'kubeconfig context')
    .option('--metrics-addr <host:port>', 'where to serve /metrics', '127.0.0.1:8080')
    .option('--log-level <level>', 'debug | info | warn | error', 'info')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .addHelpText(
      'after',
      `
Controller options follow as --name value (the kro controller's, with kro's defaults):
  --workers 1  --queue-qps 10  --queue-burst 100  --backoff-base-ms 200  --backoff-max-ms 1000000
  --max-retries 20  --client-qps 100  --client-burst 150  --requeue-after-ms 3000  --rgd-workers 1
  --install-crd true  --allow-crd-deletion false
The gateway controller's (docs/gateway.md):
  --controller-name kubeperf.io/gateway-controller  --translation-delay-ms 0  --status-batch-window-ms 5
  --workers 4  --client-qps 0  --client-burst 100  --resolve-backends true  --install-crds true

Examples:
  kubeperf cluster start --kubeconfig-out ./kc &     kubeperf controller kro --kubeconfig ./kc
  kubeperf controller kro --kubeconfig ~/.kube/config --context kind --workers 8 --client-qps 0
  kubeperf controller gateway --kubeconfig ./kc --translation-delay-ms 2000`,
    )
    .action(async (name: string, flags: ControllerFlags, cmd: Command) => {
      if (!flags.kubeconfig && !flags.context)
        throw new InputError('kubeperf controller needs --kubeconfig (or --context with KUBECONFIG)', {
          hint: 'e.g. kubeperf controller kro --kubeconfig ./kubeconfig',
        });
      const m = /^(.*):(\d+)$/.exec(flags.metricsAddr);
      if (!m)
        throw new InputError(`--metrics-addr: "${flags.metricsAddr}" is not HOST:PORT`, {
          hint: 'e.g. --metrics-addr 127.0.0.1:8080 (port 0 = any free port)',
        });
      if (!['debug', 'info', 'warn', 'error'].includes(flags.logLevel))
        throw new InputError(`--log-level: "${flags.logLevel}" is not one of debug, info, warn, error`);
      const { kubeconfigPathFor } = await import('../../kube/kubeconfig.js');
      const { hostController } = await import('../../controllers/runtime/host.js');
      const kubeconfig = kubeconfigPathFor({ kubeconfig: flags.kubeconfig, context: flags.context });
      const options = controllerOptionsFromArgs(cmd.args.slice(1));
      const log = createLogger({ level: flags.logLevel as 'info', prefix: `controller ${name}` });
      const hosted = await hostController(name, {
        kubeconfig,
        context: flags.context,
        options,
        metricsHost: m[1] || '127.0.0.1',
        metricsPort: Number(m[2]),
        log,
      });
      printHuman(
        `controller ${name} running against ${kubeconfig}\nmetrics: ${hosted.metricsUrl}\n(Ctrl-C to stop)`,
      );
      await serveUntilSignal(() => hosted.stop());
    });
}
