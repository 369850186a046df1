/**
 * Runs the real CLI entry point in a child process (through tsx, so tests need no build), the way a
 * user runs it: exit codes, stdout/stderr separation and signals are all real.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const entry = fileURLToPath(new URL('./main.ts', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, CI: 'true', ...opts.env },
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function spawnCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, CI: 'true', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
