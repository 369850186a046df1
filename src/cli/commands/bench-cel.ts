/**
 * `kubeperf bench cel`: a one-phase `cel` study run through the normal lifecycle (results.json,
 * reports, verdict). With --json stdout carries results.json, like every run (the CEL figures are
 * in phases[0].data).
 */
import { Command } from 'commander';
import { outputFlags, runBenchPhase } from '../flags.js';
import { InputError } from '../../core/errors.js';

interface CelFlags {
  expressions?: string;
  rgd?: string;
  items?: string;
  budgetMs?: string;
  reference?: boolean;
  out?: string;
  json?: boolean;
}

function positive(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InputError(`--${flag}: "${v}" is not a positive number`);
  return n;
}

export function celPhaseFromFlags(f: CelFlags): Record<string, unknown> {
  const phase: Record<string, unknown> = { type: 'cel' };
  if (f.expressions) phase.expressionsFile = f.expressions;
  if (f.rgd) phase.rgd = f.rgd;
  if (f.items !== undefined) phase.items = positive('items', f.items);
  if (f.budgetMs !== undefined) phase.budgetMs = positive('budget-ms', f.budgetMs);
  if (f.reference) phase.reference = true;
  return phase;
}

export function benchCelCommand(): Command {
  const cmd = new Command('cel')
    .description('CEL expression evaluation benchmark by complexity (no cluster needed)')
    .option('--expressions <file>', 'YAML/JSON file of expressions to benchmark')
    .option(
      '--rgd <file>',
      'benchmark the expressions of a ResourceGraphDefinition against its sample instance',
    )
    .option('--items <n>', 'items in the reference activation spec.items', '8')
    .option('--budget-ms <ms>', 'measurement time per expression', '150')
    .option('--reference', 'also run the five reference expressions when --expressions/--rgd is given');
  return outputFlags(cmd)
    .addHelpText(
      'after',
      `
Examples:
  kubeperf bench cel                              the five reference expressions (simple … nested quantifier)
  kubeperf bench cel --rgd examples/rgd/webapp.yaml --json
  kubeperf bench cel --expressions my-exprs.yaml --reference`,
    )
    .action((f: CelFlags) => runBenchPhase('cel', celPhaseFromFlags(f), f));
}
