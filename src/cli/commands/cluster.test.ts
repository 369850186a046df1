import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kubectlBinary } from '../../cluster/kubectl-support.js';

const main = new URL('../main.ts', import.meta.url).pathname;

function cli(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

const run = promisify(execFile);

/** Starts `kubeperf cluster start ARGS` and resolves once it printed the server and kubeconfig. */
async function startCli(args: string[]): Promise<{ child: ChildProcess; server: string; out: string }> {
  const child = cli(['cluster', 'start', ...args]);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('kubeconfig:')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`exited early with ${code}`)));
  });
  return { child, server: /server:\s+(\S+)/.exec(out)![1]!, out };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.kill('SIGINT');
  return exited;
}

describe('kubeperf cluster start', () => {
  it('serves HTTPS by default with a kubeconfig kubectl 1.28 and 1.33 use as is; health checks are anonymous', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubeperf-cli-'));
    const kc = join(dir, 'kubeconfig');
    const { child, server, out } = await startCli([
      '--kubeconfig-out',
      kc,
      '--nodes',
      '2',
      '--latency',
      'get=fixed:1ms',
    ]);
    try {
      expect(server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(out).toContain(`kubeconfig: ${kc}`);
      const config = parse(await readFile(kc, 'utf8'));
      expect(config.clusters[0].cluster).toEqual({
        server,
        'certificate-authority-data': expect.stringMatching(/^[A-Za-z0-9+/=]+$/),
      });
      expect(config.users[0].user.token).toMatch(/^[0-9a-f]{48}$/);
      for (const version of ['1.28', '1.33']) {
        const k = (...a: string[]) =>
          run(kubectlBinary(version), [
            '--kubeconfig',
            kc,
            '--cache-dir',
            join(dir, `cache-${version}`),
            ...a,
          ]);
        expect((await k('get', 'ns')).stdout).toMatch(/NAME\s+STATUS\s+AGE\n(.*\n)*default\s+Active/);
        expect(JSON.parse((await k('get', 'nodes', '-o', 'json')).stdout).items).toHaveLength(2);
      }
      // `curl -sk $SERVER/readyz` prints ok without a token, as on a real cluster.
      expect((await run('curl', ['-sk', `${server}/readyz`])).stdout).toBe('ok');
      expect(await stop(child)).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--insecure-http: plain HTTP without authentication, still usable by kubectl as is', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubeperf-cli-'));
    const kc = join(dir, 'kubeconfig');
    const { child, server, out } = await startCli(['--insecure-http', '--kubeconfig-out', kc]);
    try {
      expect(server).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(out).toMatch(/without authentication/);
      for (const version of ['1.28', '1.33']) {
        const k = (...a: string[]) =>
          run(kubectlBinary(version), [
            '--kubeconfig',
            kc,
            '--cache-dir',
            join(dir, `cache-${version}`),
            ...a,
          ]);
        expect((await k('get', 'ns')).stdout).toMatch(/default\s+Active/);
        expect((await k('create', 'configmap', `made-${version.replace('.', '')}`)).stdout).toMatch(
          /created/,
        );
        expect((await k('auth', 'whoami')).stdout).toMatch(/system:unsecured/);
      }
      expect(await stop(child)).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--tls and --insecure-http exclude each other (exit 2)', async () => {
    const child = cli(['cluster', 'start', '--tls', '--insecure-http']);
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    expect(await new Promise<number | null>((r) => child.on('exit', (c) => r(c)))).toBe(2);
    expect(err).toMatch(/--tls and --insecure-http/);
  });

  it('exits 2 and names the flag on bad input', async () => {
    const child = cli(['cluster', 'start', '--fault', 'get=nope']);
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(err).toContain('--fault get=nope');
    expect(err).not.toMatch(/\n\s+at /);
  });
});
