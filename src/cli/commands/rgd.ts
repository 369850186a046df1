import { Command } from 'commander';
import { notAvailable } from '../not-available.js';

export function rgdCommand(): Command {
  const rgd = new Command('rgd').description('Inspect and generate kro ResourceGraphDefinitions');
  rgd
    .command('inspect')
    .description('Validate RGDs and show their graph, order, depth and expression costs')
    .argument('<file...>', 'RGD YAML files')
    .option('--json', 'print JSON on stdout')
    .option('--mermaid', 'print the dependency graph as a Mermaid diagram')
    .option('--instance <file>', 'sample instance to evaluate expressions against')
    .action(notAvailable('kubeperf rgd inspect'));
  rgd
    .command('generate')
    .description('Generate a valid, deterministic scale-test RGD')
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .action(notAvailable('kubeperf rgd generate'));
  return rgd;
}
