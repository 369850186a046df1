/**
 * kubectl for the cluster's acceptance tests: the versioned binaries of the machine (kubectl.1.28,
 * kubectl.1.33 beside `kubectl` on the PATH) run against a started TLS cluster with a fresh cache.
 */
import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { writeKubeconfig } from './kubeconfig.js';
import type { ClusterServer } from './server.js';

const run = promisify(execFile);

export function kubectlDir(): string {
  const which = (process.env.PATH ?? '')
    .split(':')
    .map((d) => join(d, 'kubectl'))
    .find((p) => existsSync(p));
  if (!which)
    throw new Error(
      'kubectl is not on PATH: the acceptance test needs kubectl.1.28 and kubectl.1.33 beside it',
    );
  return dirname(realpathSync(which));
}

/** `kubectl.<version>` beside the machine's kubectl (1.27–1.33 are installed for the acceptance tests). */
export const kubectlBinary = (version: string): string => join(kubectlDir(), `kubectl.${version}`);

export interface Kubectl {
  bin: string;
  /** A fresh folder holding the kubeconfig and the cache, and files a test writes. */
  dir: string;
  kubeconfig: string;
  /** The connection flags, then `args`. */
  args(...args: string[]): string[];
  /** Runs kubectl; resolves with stdout/stderr and the exit code (never rejects on exit code). */
  run(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }>;
  /** stdout of a command that must succeed; rejects with execFile's error (stdout, stderr, code) otherwise. */
  out(...args: string[]): Promise<string>;
  cleanup(): Promise<void>;
}

export async function kubectlFor(version: string, server: ClusterServer): Promise<Kubectl> {
  const bin = kubectlBinary(version);
  const dir = await mkdtemp(join(tmpdir(), 'kubeperf-kubectl-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfig, { server: server.url, token: server.token, caPem: server.caPem });
  const args = (...a: string[]) => ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...a];
  const exec = (a: string[]) => run(bin, args(...a), { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  return {
    bin,
    dir,
    kubeconfig,
    args,
    run: async (...a) => {
      try {
        const r = await exec(a);
        return { stdout: r.stdout, stderr: r.stderr, code: 0 };
      } catch (e) {
        const err = e as { stdout?: string; stderr?: string; code?: number };
        return {
          stdout: err.stdout ?? '',
          stderr: err.stderr ?? '',
          code: typeof err.code === 'number' ? err.code : 1,
        };
      }
    },
    out: async (...a) => (await exec(a)).stdout,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
