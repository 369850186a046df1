/**
 * The only place that calls process.exit: maps errors to the exit codes of the CLI contract and
 * prints them without stack traces (KUBEPERF_DEBUG=1 shows the stack of a tool failure).
 */
import { CommanderError } from 'commander';
import { ExitCode, InputError, isKubeperfError } from '../core/errors.js';
import { buildProgram } from './program.js';

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (e) {
    return reportError(e);
  }
}

export function reportError(e: unknown): number {
  if (e instanceof CommanderError) {
    // help and --version exit 0; anything else commander rejects is a bad flag or argument.
    if (e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    return ExitCode.badInput;
  }
  if (isKubeperfError(e)) {
    const lines = [`kubeperf: ${e.message}`];
    if (e instanceof InputError) lines.push(...e.problems.map((p) => `  ${p}`));
    if (e.hint) lines.push(`hint: ${e.hint}`);
    if (process.env.KUBEPERF_DEBUG && e.cause) lines.push(String((e.cause as Error).stack ?? e.cause));
    process.stderr.write(lines.join('\n') + '\n');
    return e.exitCode;
  }
  const err = e as Error;
  process.stderr.write(`kubeperf: internal error: ${err?.message ?? String(e)}\n`);
  if (process.env.KUBEPERF_DEBUG) process.stderr.write(String(err?.stack) + '\n');
  else process.stderr.write('hint: re-run with KUBEPERF_DEBUG=1 for the stack trace and report it\n');
  return ExitCode.toolFailure;
}
