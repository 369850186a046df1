import { Command, Option } from 'commander';
import { collect } from '../io.js';
import { notAvailable } from '../not-available.js';

export function clusterCommand(): Command {
  const cluster = new Command('cluster').description('Run the embedded Kubernetes-compatible control plane');
  cluster
    .command('start')
    .description('Start the embedded control plane and serve until SIGINT/SIGTERM')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0 = a free port)', '0')
    .option('--kubeconfig-out <path>', 'where to write the kubeconfig for this cluster')
    .option('--nodes <n>', 'simulated Ready nodes', '0')
    .option('--tls', 'serve HTTPS (self-signed CA, HTTP/2) instead of HTTP')
    .addOption(new Option('--latency <verb=model>', 'latency model per verb, e.g. create=fixed:20ms').argParser(collect))
    .addOption(new Option('--fault <verb=code:rate>', 'inject errors, e.g. get=503:0.05').argParser(collect))
    .option('--max-inflight <n>', 'max non-mutating requests in flight (429 beyond)')
    .option('--max-mutating-inflight <n>', 'max mutating requests in flight (429 beyond)')
    .option('--drop-watches-every <duration>', 'close every watch connection at this interval')
    .action(notAvailable('kubeperf cluster start'));
  return cluster;
}
