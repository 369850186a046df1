import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { ControllerRuntimeMetrics } from '../metrics/controller-runtime.js';
import { parsePromText } from '../metrics/prom-text.js';
import { startTestCluster } from '../kube/testing.js';
import { runStudyObject } from '../run/run-study.js';
import { closedPort } from './test-support.js';
import { diffControllerScrapes, proxyPath, type ControllerMetricsData } from './controller-metrics.js';

const out = mkdtempSync(join(tmpdir(), 'kubeperf-controller-metrics-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('controllerMetrics', () => {
  it('diffs controller-runtime reconciles and workqueue figures between two scrapes', () => {
    const m = new ControllerRuntimeMetrics();
    const kro = m.controller('kro');
    kro.reconciled(0.002, 'success');
    const before = parsePromText(m.render());
    for (let i = 0; i < 98; i++) kro.reconciled(0.003, 'success');
    kro.reconciled(0.5, 'error');
    kro.reconciled(0.004, 'requeue');
    kro.added(3);
    kro.added(4);
    kro.retried();
    const d = diffControllerScrapes(before, parsePromText(m.render()));
    expect(d.reconcile).toEqual([
      expect.objectContaining({
        controller: 'kro',
        total: 100,
        errors: 1,
        byResult: { success: 98, error: 1, requeue: 1 },
      }),
    ]);
    // 99 of 100 reconciles took ≤ 5 ms: p99 lies in (0, 5 ms].
    expect(d.reconcile[0]!.p99BucketMs).toEqual([0, 5]);
    expect(d.workqueue).toEqual([
      expect.objectContaining({ name: 'kro', adds: 2, retries: 1, depthBefore: 0, depthAfter: 4 }),
    ]);
  });

  it('builds API server proxy paths for services and pods', () => {
    expect(
      proxyPath('services', {
        namespace: 'kro-system',
        name: 'kro',
        port: 8080,
        scheme: 'http',
        path: '/metrics',
      }),
    ).toBe('/api/v1/namespaces/kro-system/services/kro:8080/proxy/metrics');
    expect(
      proxyPath('pods', { namespace: 'x', name: 'p-0', port: 'metrics', scheme: 'https', path: '/metrics' }),
    ).toBe('/api/v1/namespaces/x/pods/https:p-0:metrics/proxy/metrics');
  });

  it("reads the embedded control plane's deployment controller while a phase creates deployments", async () => {
    const cluster = await startTestCluster({ nodes: 2 });
    try {
      const outcome = await runStudyObject(
        {
          name: 'controller-metrics',
          target: { kubeconfig: cluster.target.kubeconfigPath },
          phases: [
            {
              type: 'crud',
              name: 'deployments',
              resource: 'Deployment',
              apiVersion: 'apps/v1',
              namespace: 'cm-deploy',
              objects: 20,
              ops: ['create', 'get'],
            },
          ],
          measurements: [
            {
              type: 'controllerMetrics',
              url: `${cluster.target.server}/metrics`,
              bearerToken: cluster.token,
              interval: '50ms',
              controllers: ['deployment'],
            },
          ],
        },
        { source: 'test', out, log: silentLogger },
      );
      const m = outcome.results.phases[0]!.measurements!.controllerMetrics!;
      expect(m.status, m.message).toBe('ok');
      const d = m.data as unknown as ControllerMetricsData;
      expect(d.reconcile.map((r) => r.controller)).toEqual(['deployment']);
      expect(d.reconcile[0]!.total).toBeGreaterThanOrEqual(20);
      expect(d.reconcile[0]!.errors).toBe(0);
      expect(d.reconcile[0]!.p99Ms).toBeGreaterThan(0);
      expect(d.workqueue[0]).toMatchObject({ name: 'deployment' });
      expect(d.workqueue[0]!.adds).toBeGreaterThanOrEqual(20);
      expect(d.cost.scrapes).toBeGreaterThanOrEqual(2);
    } finally {
      await cluster.stop();
    }
  }, 60_000);

  it('an unreachable URL is recorded as missing with the reason; the run does not fail', async () => {
    const port = await closedPort();
    const outcome = await runStudyObject(
      {
        name: 'controller-metrics-down',
        phases: [{ type: 'crud', name: 'crud', objects: 5, ops: ['create'] }],
        measurements: [{ type: 'controllerMetrics', url: `http://127.0.0.1:${port}/metrics` }],
      },
      { source: 'test', out, log: silentLogger },
    );
    expect(outcome.exitCode).toBe(0);
    const m = outcome.results.phases[0]!.measurements!.controllerMetrics!;
    expect(m.status).toBe('missing');
    expect(m.message).toBe(
      `scrape before the phase failed: http://127.0.0.1:${port}/metrics is unreachable (ECONNREFUSED)`,
    );
    expect(m.data).toBeUndefined();
  }, 60_000);
});
