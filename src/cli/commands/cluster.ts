import { Command, Option } from 'commander';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { collect, printHuman } from '../io.js';

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
  const server = await startClusterServer({
    ...options,
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
  // client-go (kubectl) never sends a bearer token over plain HTTP, so that port needs none.
  if (insecure)
    lines.push('note: plain HTTP without authentication: anyone who reaches the port is cluster admin');
  lines.push('(Ctrl-C to stop)');
  printHuman(lines.join('\n'));
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
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
