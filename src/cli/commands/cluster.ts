import { Command, Option } from 'commander';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { collect, printHuman } from '../io.js';
import { serveUntilSignal } from '../serve.js';

interface StartFlags {
  host: string;
  port: string;
  kubeconfigOut?: string;
  nodes: string;
  tls?: boolean;
  insecureHttp?: boolean;
  latency?: string[];
  fault?: string[];
  maxInflight?: string;
  maxMutatingInflight?: string;
  dropWatchesEvery?: string;
  milo?: boolean;
  miloWorkers?: string;
  miloRequeue?: string;
}

async function start(flags: StartFlags): Promise<void> {
  const { clusterOptionsFromFlags } = await import('../../cluster/options.js');
  const { startClusterServer } = await import('../../cluster/server.js');
  const { writeKubeconfig } = await import('../../cluster/kubeconfig.js');
  if (!/^\d+$/.test(flags.port) || Number(flags.port) > 65535) {
    throw new InputError(`--port: "${flags.port}" is not a port number (0-65535; 0 picks a free port)`);
  }
  if (flags.tls && flags.insecureHttp) {
    throw new InputError('--tls and --insecure-http exclude each other (TLS is the default)');
  }
  const options = clusterOptionsFromFlags(flags);
  const insecure = !!flags.insecureHttp;
  const controllerOptions = flags.milo ? await miloControllerOptions(flags) : undefined;
  const server = await startClusterServer({
    ...options,
    // Milo's apiserver pods are milo-system/milo-apiserver-*: the runner's default regex finds this one.
    ...(flags.milo
      ? {
          milo: true,
          apiserverContainer: { namespace: 'milo-system', pod: 'milo-apiserver-0', container: 'apiserver' },
        }
      : {}),
    host: flags.host,
    port: Number(flags.port),
    tls: !insecure,
    insecurePort: insecure,
  });
  const port = new URL(server.url).port;
  const kubeconfigPath = resolve(
    flags.kubeconfigOut ?? join(tmpdir(), `kubeperf-cluster-${port}.kubeconfig`),
  );
  await writeKubeconfig(kubeconfigPath, { server: server.url, token: server.token, caPem: server.caPem });
  const lines = [
    `server:     ${server.url}`,
    `kubeconfig: ${kubeconfigPath}`,
    '',
    `export KUBECONFIG=${kubeconfigPath}`,
  ];
  let controller: import('../../controllers/runtime/launch.js').ControllerProcess | undefined;
  if (controllerOptions) {
    const { launchController } = await import('../../controllers/runtime/launch.js');
    try {
      controller = await launchController('project', {
        kubeconfig: kubeconfigPath,
        options: controllerOptions,
      });
    } catch (e) {
      await server.close();
      throw e;
    }
    server.api.containers.register({
      pid: controller.pid,
      namespace: 'milo-system',
      pod: 'milo-controller-manager-0',
      container: 'manager',
    });
    lines.push(
      '',
      `Milo: organizations ${server.url}/apis/resourcemanager.miloapis.com/v1alpha1/organizations/<org>/control-plane`,
      `      projects      ${server.url}/apis/resourcemanager.miloapis.com/v1alpha1/projects/<project>/control-plane`,
      `      project controller pid ${controller.pid} (${controllerOptions.workers} worker(s)), metrics ${controller.metricsUrl}`,
    );
  }
  // client-go (kubectl) never sends a bearer token over plain HTTP, so that port needs none.
  if (insecure)
    lines.push('note: plain HTTP without authentication: anyone who reaches the port is cluster admin');
  lines.push('(Ctrl-C to stop)');
  printHuman(lines.join('\n'));
  await serveUntilSignal(() => (controller?.stop() ?? Promise.resolve()).then(() => server.close()));
}

export function clusterCommand(): Command {
  const cluster = new Command('cluster').description('Run the embedded Kubernetes-compatible control plane');
  cluster
    .command('start')
    .description('Start the embedded control plane and serve until SIGINT/SIGTERM')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0 = a free port)', '0')
    .option('--kubeconfig-out <path>', 'where to write the kubeconfig for this cluster')
    .option('--nodes <n>', 'simulated Ready nodes', '0')
    .option('--insecure-http', 'serve plain HTTP without authentication instead of HTTPS (the default)')
    .option(
      '--milo',
      "serve Milo's API (organizations, projects, their control planes) with the simulated project controller",
    )
    .option('--milo-workers <n>', '--milo: workers of the project controller (Milo: 1)', '1')
    .option('--milo-requeue <duration>', '--milo: requeue delay of the project controller (Milo: 2s)', '2s')
    .addOption(new Option('--tls', 'serve HTTPS (the default; kept for older scripts)').hideHelp())
    .addOption(
      new Option('--latency <verb=model>', 'latency model per verb, e.g. create=fixed:20ms').argParser(
        collect,
      ),
    )
    .addOption(new Option('--fault <verb=code:rate>', 'inject errors, e.g. get=503:0.05').argParser(collect))
    .option('--max-inflight <n>', 'max non-mutating requests in flight (429 beyond)')
    .option('--max-mutating-inflight <n>', 'max mutating requests in flight (429 beyond)')
    .option('--drop-watches-every <duration>', 'close every watch connection at this interval')
    .action(start);
  return cluster;
}

async function miloControllerOptions(flags: StartFlags) {
  const { parseDuration } = await import('../../config/duration.js');
  if (!/^\d+$/.test(flags.miloWorkers ?? '1') || Number(flags.miloWorkers) < 1) {
    throw new InputError(`--milo-workers: "${flags.miloWorkers}" is not a positive integer`, {
      hint: 'e.g. --milo-workers 4',
    });
  }
  const requeueAfterMs = parseDuration(flags.miloRequeue ?? '2s');
  if (requeueAfterMs === undefined) {
    throw new InputError(`--milo-requeue: "${flags.miloRequeue}" is not a duration`, {
      hint: 'e.g. --milo-requeue 2s',
    });
  }
  const { ProjectControllerOptions } = await import('../../controllers/project/options.js');
  return ProjectControllerOptions.parse({ workers: Number(flags.miloWorkers ?? '1'), requeueAfterMs });
}
