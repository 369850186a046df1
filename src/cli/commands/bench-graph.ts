/**
 * `kubeperf bench graph`: a one-phase `graph` study run through the normal lifecycle. With --json
 * stdout carries results.json, like every run (the graph figures are in phases[0].data).
 */
import { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { runStudyObject } from '../../run/run-study.js';
import { writeStdout } from '../io.js';
import { formatOutcome } from '../summary.js';

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

function int(flag: string, v: string): number {
  const n = Number(v.trim());
  if (!Number.isInteger(n) || n < 0) throw new InputError(`--${flag}: "${v}" is not a non-negative integer`);
  return n;
}

export function graphPhaseFromFlags(f: GraphFlags): Record<string, unknown> {
  const phase: Record<string, unknown> = {
    type: 'graph',
    sizes: f.sizes.split(',').map((s) => int('sizes', s)),
  };
  if (f.deps !== undefined) phase.edgesPerNode = int('deps', f.deps);
  if (f.shape !== undefined) phase.shape = f.shape;
  if (f.complexity !== undefined) phase.complexity = f.complexity;
  if (f.seed !== undefined) phase.seed = int('seed', f.seed);
  if (f.budgetMs !== undefined) phase.budgetMs = int('budget-ms', f.budgetMs);
  return phase;
}

export function benchGraphCommand(): Command {
  return new Command('graph')
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
    .option('--budget-ms <ms>', 'measurement time per operation and size', '100')
    .option('--out <dir>', 'output directory')
    .option('--json', 'print results.json on stdout (the same document as kubeperf run --json)')
    .addHelpText(
      'after',
      `
Examples:
  kubeperf bench graph                                  sizes 5 … 10,000, random DAG with ≈2 edges per node
  kubeperf bench graph --sizes 100,1000 --shape chain --json`,
    )
    .action(async (f: GraphFlags) => {
      const outcome = await runStudyObject(
        { name: 'bench-graph', phases: [graphPhaseFromFlags(f)] },
        { source: 'kubeperf bench graph', out: f.out, json: f.json },
      );
      await writeStdout(formatOutcome(outcome, f.json));
      process.exitCode = outcome.exitCode;
    });
}
