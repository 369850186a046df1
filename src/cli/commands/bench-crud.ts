import { Command } from 'commander';
import { notAvailable } from '../not-available.js';

export function benchCrudCommand(): Command {
  return new Command('crud')
    .description('CRUD benchmark against the embedded control plane or a kubeconfig target')
    .option('--out <dir>', 'output directory')
    .option('--json', 'print results JSON on stdout')
    .action(notAvailable('kubeperf bench crud'));
}
