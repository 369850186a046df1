/**
 * What the bench commands share: number and list flags (bad values are bad input, exit 2, naming the
 * flag), the target and output flags, and running their one-phase study like `kubeperf run`.
 */
import type { Command } from 'commander';
import { InputError } from '../core/errors.js';
import { runStudyObject } from '../run/run-study.js';
import { writeStdout } from './io.js';
import { formatOutcome } from './summary.js';

export function num(flag: string, v: string | undefined, integer = true): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < 0)
    throw new InputError(
      `--${flag}: "${v}" is not a ${integer ? 'non-negative integer' : 'non-negative number'}`,
    );
  return n;
}

/** A comma-separated list of non-negative integers. */
export function numList(flag: string, v: string | undefined): number[] | undefined {
  return v?.split(',').map((x) => num(flag, x.trim())!);
}

export interface BenchFlags {
  kubeconfig?: string;
  context?: string;
  out?: string;
  keep?: boolean;
  json?: boolean;
}

const jsonHelp = 'print results.json on stdout (the same document as kubeperf run --json)';

/** --out and --json, for a bench that needs no cluster. */
export function outputFlags(cmd: Command): Command {
  return cmd.option('--out <dir>', 'output directory').option('--json', jsonHelp);
}

/** --kubeconfig, --context, --out, --keep and --json, for a bench against a cluster. */
export function targetFlags(cmd: Command, keepHelp = 'keep what the run created'): Command {
  return cmd
    .option('--kubeconfig <path>', 'run against this cluster (default: embedded control plane)')
    .option('--context <name>', 'kubeconfig context')
    .option('--out <dir>', 'output directory')
    .option('--keep', keepHelp)
    .option('--json', jsonHelp);
}

/** Runs `kubeperf bench <name>`'s one-phase study through the normal lifecycle and prints the outcome. */
export async function runBenchPhase(
  name: string,
  phase: Record<string, unknown>,
  f: BenchFlags,
): Promise<void> {
  const outcome = await runStudyObject(
    { name: `bench-${name}`, phases: [phase] },
    {
      source: `kubeperf bench ${name}`,
      kubeconfig: f.kubeconfig,
      context: f.context,
      out: f.out,
      keep: f.keep,
      json: f.json,
    },
  );
  await writeStdout(formatOutcome(outcome, f.json));
  process.exitCode = outcome.exitCode;
}
