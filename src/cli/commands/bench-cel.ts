import { Command } from 'commander';
import { notAvailable } from '../not-available.js';

export function benchCelCommand(): Command {
  return new Command('cel')
    .description('CEL expression evaluation benchmark by complexity')
    .option('--expressions <file>', 'YAML/JSON file of expressions to benchmark')
    .option('--rgd <file>', 'benchmark the expressions of a ResourceGraphDefinition')
    .option('--out <dir>', 'output directory')
    .option('--json', 'print results JSON on stdout')
    .action(notAvailable('kubeperf bench cel'));
}
