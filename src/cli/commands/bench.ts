import { Command } from 'commander';
import { benchAttachedRoutesCommand } from './bench-attached-routes.js';
import { benchCelCommand } from './bench-cel.js';
import { benchCrudCommand } from './bench-crud.js';
import { benchGraphCommand } from './bench-graph.js';
import { benchKroCommand } from './bench-kro.js';

export function benchCommand(): Command {
  return new Command('bench')
    .alias('benchmark')
    .description(
      'Run one benchmark directly (crud, cel, graph, kro, attached-routes); writes results like `kubeperf run`',
    )
    .addCommand(benchCrudCommand())
    .addCommand(benchCelCommand())
    .addCommand(benchGraphCommand())
    .addCommand(benchKroCommand())
    .addCommand(benchAttachedRoutesCommand());
}
