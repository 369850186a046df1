/**
 * The runner's snapshot rules against Debian's victoria-metrics, fed cAdvisor-shaped series through
 * its import API: the label-variant fallback (first non-zero set wins, recorded), missing values as
 * null, and where the endpoint comes from.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { credentialsFromToken } from '../../kube/credentials.js';
import { KubeClient } from '../../kube/client.js';
import { RestClient } from '../../kube/rest.js';
import { startLocalStack, type LocalStack } from '../../monitoring/stack.js';
import { MiloOptions } from './options.js';
import { resolveMetricsSource, takeSnapshot, type MetricsSource } from './snapshots.js';

const o = (over: Record<string, unknown> = {}) => MiloOptions.parse({ measureWindow: '5m', ...over });
const source = (stack: LocalStack): MetricsSource => ({
  endpoint: stack.endpoint,
  source: 'test',
  stop: async () => {},
});

/** Two samples a minute apart of every series, ending now (exposition text with ms timestamps). */
async function load(stack: LocalStack, series: { labels: string; cpu: [number, number]; mem: number }[]) {
  const now = Date.now();
  const lines = series.flatMap((s) => [
    `container_cpu_usage_seconds_total{${s.labels}} ${s.cpu[0]} ${now - 60_000}`,
    `container_cpu_usage_seconds_total{${s.labels}} ${s.cpu[1]} ${now - 1000}`,
    `container_memory_working_set_bytes{${s.labels}} ${s.mem} ${now - 60_000}`,
    `container_memory_working_set_bytes{${s.labels}} ${s.mem} ${now - 1000}`,
  ]);
  const r = await fetch(`${stack.endpoint.url}/api/v1/import/prometheus`, {
    method: 'POST',
    body: lines.join('\n') + '\n',
  });
  expect(r.status).toBe(204);
  await stack.endpoint.flush!();
}

describe('milo snapshots from victoria-metrics', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ backend: 'victoriametrics', scrapeIntervalMs: 1000, log: silentLogger });
  });
  afterAll(() => stack?.stop());

  it('falls back to the pod_name label set, records the variant, and leaves absent series null', async () => {
    await load(stack, [
      {
        labels: 'namespace="ns-a",pod_name="milo-apiserver-0",container="apiserver"',
        cpu: [10, 40],
        mem: 2e8,
      },
    ]);
    const s = await takeSnapshot(source(stack), o({ miloNamespace: 'ns-a' }));
    expect(s.status).toBe('ok');
    expect(s.variant).toBe('pod_name,container');
    expect(s.values.apiserver_cpu_cores).toBeCloseTo(0.5, 1);
    expect(s.values.apiserver_mem_bytes).toBe(2e8);
    expect(s.values.etcd_cpu_cores).toBeNull();
    expect(s.queries!.apiserver_cpu_cores).toBe(
      'sum(rate(container_cpu_usage_seconds_total{namespace="ns-a",pod_name=~"milo-apiserver.*",container!="",container!="POD"}[5m]))',
    );
  });

  it('takes the pod label with the container filter first, for apiserver and etcd together', async () => {
    await load(stack, [
      { labels: 'namespace="ns-b",pod="milo-apiserver-1",container="apiserver"', cpu: [0, 6], mem: 1e8 },
      { labels: 'namespace="ns-b",pod="etcd-0",container="etcd"', cpu: [0, 3], mem: 5e7 },
      // A POD (pause) container the filter excludes.
      { labels: 'namespace="ns-b",pod="etcd-0",container="POD"', cpu: [0, 60], mem: 1e6 },
    ]);
    const s = await takeSnapshot(source(stack), o({ miloNamespace: 'ns-b' }));
    expect(s.variant).toBe('pod,container');
    expect(s.values.etcd_cpu_cores).toBeCloseTo(0.05, 2);
    expect(s.values.etcd_mem_bytes).toBe(5e7);
    expect(s.seriesCounts).toEqual({ namespace: 3, apiserver: 1, etcd: 2 });
  });

  it('is missing, with the reason, when no variant has a non-zero value', async () => {
    const s = await takeSnapshot(source(stack), o({ miloNamespace: 'nothing-here' }));
    expect(s).toMatchObject({
      status: 'missing',
      values: { apiserver_cpu_cores: null, etcd_mem_bytes: null },
    });
    expect(s.reason).toContain('every query variant returned 0 or no series');
  });
});

describe('where milo snapshots come from', () => {
  let server: http.Server;
  let milo: KubeClient;
  beforeAll(async () => {
    // A Milo API server that serves no cAdvisor endpoint (a real one is scraped by its cluster's VictoriaMetrics).
    server = http.createServer((_, res) => res.writeHead(404).end('404 page not found'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    milo = new KubeClient(new RestClient(credentialsFromToken(url, 't')), 'v1.30');
  });
  afterAll(async () => {
    await milo.close();
    server.close();
  });
  const env = (over: Partial<Parameters<typeof resolveMetricsSource>[1]> = {}) => ({
    milo,
    miloTarget: { kind: 'kubeconfig' as const, server: '', version: '' },
    scrapeIntervalMs: 1000,
    log: silentLogger,
    inCluster: false,
    ...over,
  });

  it('says clearly that snapshots were skipped on a kubeconfig target without a URL', async () => {
    const src = await resolveMetricsSource(o(), env());
    expect(src.endpoint).toBeUndefined();
    expect(src.skipped).toMatch(/set VM_BASE_URL .*snapshots were skipped/);
    const s = await takeSnapshot(src, o());
    expect(s).toMatchObject({ status: 'missing', reason: src.skipped });
  });

  it('uses VM_BASE_URL first, then the runner’s in-cluster service URL', async () => {
    expect((await resolveMetricsSource(o({ vmBaseUrl: 'http://vm:8428' }), env())).endpoint?.url).toBe(
      'http://vm:8428',
    );
    expect((await resolveMetricsSource(o({ vmNamespace: 'obs' }), env())).endpoint?.url).toBe(
      'http://vmsingle-telemetry-system-vm-victoria-metrics-k8s-stack.obs.svc.cluster.local:8428',
    );
    expect((await resolveMetricsSource(o(), env({ inCluster: true }))).endpoint?.url).toBe(
      'http://vmsingle-telemetry-system-vm-victoria-metrics-k8s-stack.telemetry-system.svc.cluster.local:8428',
    );
    const runs = { url: 'http://prom:9090' };
    expect((await resolveMetricsSource(o(), env({ observe: { prometheus: runs } }))).endpoint).toBe(runs);
  });
});
