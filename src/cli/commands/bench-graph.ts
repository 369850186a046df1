/**
 * `kubeperf bench graph`: a one-phase `graph` study run through the normal lifecycle. With --json
 * stdout carries results.json, like every run (the graph figures are in phases[0].data).
 */
import { Command } from 'commander';
import { num, numList, outputFlags, runBenchPhase } from '../flags.js';

interface GraphFlags {
  sizes: string;
  deps?: string;
  shape?: string;
  complexity?: string;
  seed?: string;
  budgetMs?: string;
  out?: string;
  json?: boolean;
}

export function graphPhaseFromFlags(f: GraphFlags): Record<string, unknown> {
  const phase: Record<string, unknown> = {
    type: 'graph',
    sizes: numList('sizes', f.sizes)!,
  };
  if (f.deps !== undefined) phase.edgesPerNode = num('deps', f.deps);
  if (f.shape !== undefined) phase.shape = f.shape;
  if (f.complexity !== undefined) phase.complexity = f.complexity;
  if (f.seed !== undefined) phase.seed = num('seed', f.seed);
  if (f.budgetMs !== undefined) phase.budgetMs = num('budget-ms', f.budgetMs);
  return phase;
}

export function benchGraphCommand(): Command {
  const cmd = new Command('graph')
    .description('Resource-graph processing benchmark by graph size (no cluster needed)')
    .option('--sizes <list>', 'graph sizes (resources)', '5,15,30,100,1000,10000')
    .option('--deps <k>', 'dependencies per resource (edges ≈ k × nodes)', '2')
    .option('--shape <shape>', 'chain | tree | layered | random', 'random')
    .option(
      '--complexity <level>',
      'expression complexity: simple | medium | complex | very-complex',
      'simple',
    )
    .option('--seed <n>', 'generator seed', '1')
    .option('--budget-ms <ms>', 'measurement time per operation and size', '100');
  return outputFlags(cmd)
    .addHelpText(
      'after',
      `
Examples:
  kubeperf bench graph                                  sizes 5 … 10,000, random DAG with ≈2 edges per node
  kubeperf bench graph --sizes 100,1000 --shape chain --json`,
    )
    .action((f: GraphFlags) => runBenchPhase('graph', graphPhaseFromFlags(f), f));
}
