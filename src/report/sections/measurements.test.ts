import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import type { ContainerUsageData } from '../../measurements/container-usage.js';
import type { PromQueryData } from '../../measurements/prom-query.js';
import type { Results } from '../../results/types.js';
import { runStudyObject } from '../../run/run-study.js';
import { renderHtml } from '../html.js';
import { renderMarkdown } from '../markdown.js';

const out = mkdtempSync(join(tmpdir(), 'kubeperf-measure-report-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const snapshot = (at: 'start' | 'end', cpu: number, mem: number) => ({
  at,
  time: 1_800_000_000,
  windowSeconds: 30,
  targets: {
    apiserver: {
      cpuCores: { value: cpu, variant: 'pod,container', query: 'q' },
      memoryBytes: { value: mem, variant: 'pod,container', query: 'q' },
    },
    etcd: { cpuCores: null, memoryBytes: null },
  },
});

describe('measurement report sections', () => {
  it('show server vs client latency with the gap, requests, storage, controllers, containers and PromQL', async () => {
    const outcome = await runStudyObject(
      {
        name: 'report-measurements',
        // Without the warm-up step's namespace, the storage counts below are the test's own.
        warmup: false,
        phases: [
          { type: 'crud', name: 'one', objects: 200, ops: ['create', 'get', 'delete'] },
          { type: 'crud', name: 'two', objects: 100, ops: ['create', 'delete'] },
        ],
      },
      { source: 'test', out, log: silentLogger },
    );
    const r: Results = structuredClone(outcome.results);
    const cu: ContainerUsageData = {
      url: 'http://vm',
      snapshots: [snapshot('start', 0.05, 80e6), snapshot('end', 0.6, 120e6)],
    };
    const pq: PromQueryData = {
      url: 'http://prom',
      startTime: 1,
      endTime: 2,
      queries: [
        {
          name: 'etcd-fsync',
          query: 'histogram_quantile(0.99, x)',
          unit: 's',
          start: [],
          end: [{ labels: { instance: 'e0' }, value: 0.004 }],
        },
        { name: 'broken', query: 'up', error: 'query "broken": http://prom is unreachable (ECONNREFUSED)' },
      ],
    };
    r.phases[0]!.measurements!.containerUsage = {
      type: 'containerUsage',
      status: 'partial',
      message: 'no series for etcd at start, etcd at end',
      data: { ...cu },
    };
    r.phases[1]!.measurements!.containerUsage = { type: 'containerUsage', status: 'ok', data: { ...cu } };
    r.phases[0]!.measurements!.etcd = { type: 'promQuery', status: 'partial', data: { ...pq } };
    r.phases[1]!.measurements!.kro = {
      type: 'controllerMetrics',
      status: 'missing',
      message: 'scrape before the phase failed: http://x is unreachable (ECONNREFUSED)',
    };

    const md = renderMarkdown(r);
    expect(md).toContain('## API server view (one)');
    expect(md).toMatch(
      /\| create \| POST configmaps \| [\d.]+ (ms|µs) \| [\d.]+ (ms|µs) \| [\d.]+ (ms|µs) \| [\d.]+ (ms|µs) \| [\d.]+ (ms|µs)–[\d.]+ (ms|µs) \| -?[\d.]+ (ms|µs) \|/,
    );
    expect(md).toMatch(/\| POST configmaps \| 200 \| 201×200 \|/);
    expect(md).toMatch(/\| namespaces \| 4 \| 5 \|/);
    expect(md).toContain('## Container CPU and memory (two)');
    expect(md).toMatch(/\| apiserver \| end \| 30s \| 0\.6 cores \| 120 MB \|/);
    expect(md).toMatch(/\| etcd \| start \| 30s \| – \| – \|/);
    expect(md).toContain('## PromQL (one) (etcd)');
    expect(md).toMatch(/\| etcd-fsync \| no series \| \{instance=e0\} 0\.004 s \| – \|/);
    expect(md).toContain('broken (query "broken": http://prom is unreachable (ECONNREFUSED))');
    expect(md).toContain('## Controller (two) (kro)');
    expect(md).toContain('_missing: scrape before the phase failed: http://x is unreachable (ECONNREFUSED)_');

    const html = renderHtml(r);
    expect(html).toContain('<h3>API server view</h3>');
    expect(html).toContain('p99 latency, client vs API server');
    expect(html).toContain('<h2>Containers per phase</h2>');
    expect(html).toContain('Containers per phase: CPU (cores)');
    expect(html).toContain('one: working-set memory (MB)');
  }, 60_000);
});
