import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const main = new URL('../main.ts', import.meta.url).pathname;

function cli(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('kubeperf cluster start', () => {
  it('prints the URL and kubeconfig, serves, and stops cleanly on SIGINT', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubeperf-cli-'));
    try {
      const kc = join(dir, 'kubeconfig');
      const child = cli([
        'cluster',
        'start',
        '--kubeconfig-out',
        kc,
        '--nodes',
        '2',
        '--latency',
        'get=fixed:1ms',
      ]);
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('kubeconfig:')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const server = /server:\s+(\S+)/.exec(out)![1]!;
      expect(out).toContain(`kubeconfig: ${kc}`);
      const config = parse(await readFile(kc, 'utf8'));
      expect(config.clusters[0].cluster.server).toBe(server);
      const nodes = await fetch(`${server}/api/v1/nodes`, {
        headers: { authorization: `Bearer ${config.users[0].user.token}` },
      });
      expect((await nodes.json()).items).toHaveLength(2);
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 and names the flag on bad input', async () => {
    const child = cli(['cluster', 'start', '--fault', 'get=nope']);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(err).toContain('--fault get=nope');
    expect(err).not.toMatch(/\n\s+at /);
  });
});
