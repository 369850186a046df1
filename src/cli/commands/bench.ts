import { Command } from 'commander';
import { benchCelCommand } from './bench-cel.js';
import { benchCrudCommand } from './bench-crud.js';
import { benchGraphCommand } from './bench-graph.js';

export function benchCommand(): Command {
  return new Command('bench')
    .alias('benchmark')
    .description('Run one benchmark directly (crud, cel, graph); writes results like `kubeperf run`')
    .addCommand(benchCrudCommand())
    .addCommand(benchCelCommand())
    .addCommand(benchGraphCommand());
}
