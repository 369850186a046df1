import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchEmbeddedCluster } from '../../cluster/launch.js';
import { silentLogger } from '../../core/logger.js';
import { instantQuery } from '../../metrics/promql-client.js';
import { startLocalStack } from '../../monitoring/stack.js';

const main = new URL('../main.ts', import.meta.url).pathname;
const cli = (args: string[]) =>
  spawn(process.execPath, ['--import', 'tsx', main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });

describe('kubeperf metrics up / dashboards', () => {
  it('dashboards --out writes the three dashboards', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubeperf-dash-'));
    try {
      const child = cli(['dashboards', '--out', dir]);
      const [code] = await new Promise<[number | null]>((r) => child.on('exit', (c) => r([c])));
      expect(code).toBe(0);
      expect((await readdir(dir)).sort()).toEqual([
        'kubeperf-apiserver.json',
        'kubeperf-controllers.json',
        'kubeperf-run.json',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('metrics up scrapes a cluster by kubeconfig (API server and cAdvisor) until SIGINT', async () => {
    const cluster = await launchEmbeddedCluster({});
    const child = cli([
      'metrics',
      'up',
      '--backend',
      'victoriametrics',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /^victoriametrics: (http:\/\/127\.0\.0\.1:\d+)/m.exec(out);
          if (m && out.includes('Ctrl-C')) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
      });
      expect(out).toContain(`scraping:   ${cluster.server} /metrics and /metrics/cadvisor`);
      let jobs: string[] = [];
      for (let i = 0; i < 50 && jobs.length < 2; i++) {
        jobs = (await instantQuery({ url }, 'up == 1')).map((s) => s.labels.job!).sort();
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(jobs).toEqual(['apiserver', 'kubernetes-cadvisor']);
      const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await cluster.stop();
    }
  }, 60_000);

  it('metrics up with nothing to scrape is bad input (exit 2)', async () => {
    const child = cli(['metrics', 'up']);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(err).toContain('nothing to scrape: give --kubeconfig (and/or --context) or --scrape URL');
  }, 30_000);

  it('a missing backend binary names the Debian package to install', async () => {
    await expect(
      startLocalStack({
        backend: 'victoriametrics',
        scrapeIntervalMs: 1000,
        log: silentLogger,
        binary: '/nonexistent/victoria-metrics',
      }),
    ).rejects.toMatchObject({
      message: 'metrics.local: victoriametrics needs /nonexistent/victoria-metrics, which is not installed',
      hint: 'install the Debian package: apt-get install victoria-metrics',
    });
  });
});
