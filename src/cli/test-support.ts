/**
 * Runs the real CLI entry point in a child process (through tsx, so tests need no build), the way a
 * user runs it: exit codes, stdout/stderr separation and signals are all real.
 *
 * Never wait for the CLI synchronously (spawnSync): a blocked event loop cannot read vitest's replies,
 * and on a busy machine a CLI run that takes over 60 s ends the suite with
 * `[vitest-worker]: Timeout calling "onTaskUpdate"` although every test passed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const entry = fileURLToPath(new URL('./main.ts', import.meta.url));
// By URL, so the CLI also starts from a cwd outside the repository (a user's own folder).
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Text for the CLI's stdin (default: none, stdin closed). */
  input?: string;
}

export function spawnCli(args: string[], opts: CliOptions & { detached?: boolean } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', tsx, entry, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, CI: 'true', ...opts.env },
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    detached: opts.detached,
  });
}

/** Runs the CLI to its exit and collects its output; killed (status null) after `timeoutMs`. */
export function runCli(args: string[], opts: CliOptions & { timeoutMs?: number } = {}): Promise<CliResult> {
  const child = spawnCli(args, opts);
  if (opts.input !== undefined) child.stdin!.end(opts.input);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 170_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
