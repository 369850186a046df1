import { Command } from 'commander';
import { notAvailable } from '../not-available.js';

export function compareCommand(): Command {
  return new Command('compare')
    .description('Compare a candidate run against a baseline (regression verdict)')
    .argument('<base>', 'baseline results.json')
    .argument('<candidate...>', 'candidate results.json (more files: trend across runs)')
    .option('--threshold <pct>', 'tolerance in percent before a change counts', '10')
    .option('--json', 'print JSON on stdout')
    .option('--md <file>', 'write the Markdown comparison')
    .option('--html <file>', 'write the HTML comparison')
    .action(notAvailable('kubeperf compare'));
}
