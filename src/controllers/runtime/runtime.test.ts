/**
 * The runtime against a real API server (the embedded control plane on loopback): informer cache and
 * events through a watch that expires (relist), the client-side rate limiter, and the launcher's
 * process contract (ready + /metrics over IPC, bad options as bad input, dies with its parent).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import type { KubeObject } from '../../kube/client.js';
import { launchTestCluster, type TestCluster } from '../../kube/testing.js';
import { parsePromText, sumOf } from '../../metrics/prom-text.js';
import { connectController } from './client.js';
import { Informer } from './informer.js';
import { launchController } from './launch.js';
import { ControllerMetrics } from './metrics.js';

let cluster: TestCluster;
beforeAll(async () => {
  // A tiny watch cache and dropped watches force the informer through 410 → relist.
  cluster = await launchTestCluster({ watchCacheSize: 20, dropWatchesEvery: 300 });
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

const cm = (name: string, v: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', labels: { t: 'informer' } },
  data: { v },
});

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('controller runtime against the embedded control plane', () => {
  it('informer: cache and events stay right across expired watches (relist turns gaps into events)', async () => {
    const metrics = new ControllerMetrics({ processMetrics: false });
    const client = await connectController(
      { path: cluster.target.kubeconfigPath! },
      { qps: 0, burst: 1 },
      { metrics },
    );
    const m = await client.mapper.resolve('v1', 'ConfigMap');
    await client.createObject(m, 'default', cm('pre', '0'));
    const seen = { add: 0, update: 0, delete: 0 };
    const inf = new Informer<KubeObject>(client, m, {
      labelSelector: 't=informer',
      onAdd: () => seen.add++,
      onUpdate: () => seen.update++,
      onDelete: () => seen.delete++,
    });
    await inf.start();
    expect(inf.get('default', 'pre')).toBeDefined();
    for (let i = 0; i < 60; i++) await client.createObject(m, 'default', cm(`c${i}`, '0'));
    // Unrelated churn pushes our resourceVersions out of the 20-event watch cache.
    for (let i = 0; i < 60; i++)
      await client.createObject(m, 'default', {
        ...cm(`x${i}`, '0'),
        metadata: { name: `x${i}`, namespace: 'default' },
      });
    // The selected watch saw none of that churn: its next resume (watches drop every 300 ms) is 410.
    await until(() => inf.relists > 0, 'a relist');
    for (let i = 0; i < 30; i++) await client.deleteObject(m, 'default', `c${i}`);
    await client.updateObject(m, {
      ...(await client.getObject<KubeObject>(m, 'default', 'pre')),
      data: { v: '1' },
    });
    await until(
      () => inf.size === 31 && (inf.get('default', 'pre')?.data as { v: string })?.v === '1',
      'the cache to converge',
    );
    expect([...inf.list()].map((o) => o.metadata.name).sort()).toEqual(
      ['pre', ...Array.from({ length: 30 }, (_, i) => `c${i + 30}`)].sort(),
    );
    // The relist found the same objects: no event was replayed.
    expect(seen.add).toBe(61);
    expect(seen.delete).toBe(30);
    expect(seen.update).toBeGreaterThanOrEqual(1);
    await inf.stop();
    await client.close();
  }, 60_000);

  it('client: every request waits on the client-go token bucket and is counted like rest_client_*', async () => {
    const metrics = new ControllerMetrics({ processMetrics: false });
    const client = await connectController(
      { path: cluster.target.kubeconfigPath! },
      { qps: 50, burst: 2 },
      { metrics },
    );
    const m = await client.mapper.resolve('v1', 'ConfigMap');
    await Promise.all(Array.from({ length: 10 }, () => client.tryGet(m, 'default', 'missing')));
    const s = parsePromText(await metrics.text());
    expect(sumOf(s, 'rest_client_requests_total', { method: 'GET', code: '404' })).toBe(10);
    // 11 requests (one discovery) through a 2-token bucket: 9 had to wait; the waits are recorded.
    expect(sumOf(s, 'rest_client_rate_limiter_duration_seconds_count', { verb: 'GET' })).toBe(11);
    expect(sumOf(s, 'rest_client_rate_limiter_duration_seconds_sum', { verb: 'GET' })!).toBeGreaterThan(0);
    await client.close();
  });

  it('launcher: reports ready with /metrics; bad options are bad input naming the option', async () => {
    const c = await launchController('kro', {
      kubeconfig: cluster.target.kubeconfigPath!,
      options: { workers: 2 },
    });
    const text = await (await fetch(c.metricsUrl)).text();
    const s = parsePromText(text);
    expect(
      sumOf(s, 'controller_runtime_max_concurrent_reconciles', { controller: 'dynamic-controller' }),
    ).toBe(2);
    expect(sumOf(s, 'workqueue_depth', { name: 'dynamic-controller-queue' })).toBe(0);
    expect(sumOf(s, 'process_resident_memory_bytes')!).toBeGreaterThan(0);
    await c.stop();
    expect(c.exit).toBeDefined();
    const bad = launchController('kro', {
      kubeconfig: cluster.target.kubeconfigPath!,
      options: { wrokers: 2 },
    });
    await expect(bad).rejects.toBeInstanceOf(InputError);
    await expect(bad).rejects.toMatchObject({
      problems: [expect.stringMatching(/wrokers.*did you mean workers/)],
    });
    await expect(
      launchController('krow', { kubeconfig: cluster.target.kubeconfigPath! }),
    ).rejects.toMatchObject({
      hint: expect.stringMatching(/did you mean "kro"/),
    });
  }, 60_000);

  it('launcher: the controller process exits when its parent dies', async () => {
    const launch = fileURLToPath(new URL('./launch.ts', import.meta.url));
    const code = `
      const { launchController } = await import(${JSON.stringify(launch)});
      const c = await launchController('kro', { kubeconfig: ${JSON.stringify(cluster.target.kubeconfigPath)} });
      process.stdout.write(String(c.pid) + '\\n');
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const pid = await new Promise<number>((resolve, reject) => {
      parent.stdout!.on('data', (b: Buffer) => resolve(Number(b.toString().trim())));
      parent.once('exit', (c) => reject(new Error(`parent exited early (${c})`)));
    });
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive()).toBe(true);
    parent.kill('SIGKILL');
    await until(() => !alive(), 'the orphaned controller to exit', 30_000);
  }, 60_000);
});
