import { Command } from 'commander';
import { notAvailable } from '../not-available.js';

export function cleanupCommand(): Command {
  return new Command('cleanup')
    .description('Delete objects kubeperf created (selected by its run labels only)')
    .option('--run-id <id>', 'delete the objects of this run')
    .option('--all', 'delete the objects of every kubeperf run')
    .option('--kubeconfig <path>', 'kubeconfig file')
    .option('--context <name>', 'kubeconfig context')
    .action(notAvailable('kubeperf cleanup'));
}
