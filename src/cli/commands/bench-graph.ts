import { Command } from 'commander';
import { notAvailable } from '../not-available.js';

export function benchGraphCommand(): Command {
  return new Command('graph')
    .description('Resource-graph processing benchmark by graph size')
    .option('--sizes <list>', 'graph sizes (resources)', '5,15,30,100,1000,10000')
    .option('--out <dir>', 'output directory')
    .option('--json', 'print results JSON on stdout')
    .action(notAvailable('kubeperf bench graph'));
}
