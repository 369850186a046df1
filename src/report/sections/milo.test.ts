import { describe, expect, it } from 'vitest';
import type { MiloData, Snapshot } from '../../phases/milo/data.js';
import { snapshotDeltas } from '../../phases/milo/runner-results.js';
import { miloHtml, renderMiloPage } from './milo.js';

const MB = 1024 * 1024;
const snap = (api: number, mem: number, etcd: number | null): Snapshot => ({
  time: 0,
  status: 'ok',
  variant: 'pod,container',
  values: {
    apiserver_cpu_cores: api,
    apiserver_mem_bytes: mem,
    etcd_cpu_cores: etcd,
    etcd_mem_bytes: etcd === null ? null : 64 * MB,
  },
});

function data(objects: boolean): MiloData {
  const snapshots = {
    baseline: snap(0.1, 100 * MB, 0.05),
    after_projects: snap(0.3, 150 * MB, 0.07),
    after_secrets: objects ? snap(0.5, 250 * MB, null) : null,
  };
  return {
    mode: 'run',
    testId: '0123abcd',
    orgName: 'perf-0123abcd',
    knobs: {},
    checkpoints: [{ phase: 'init', ok: true }],
    snapshots,
    projects: {
      requested: 10,
      created: 10,
      ready: 10,
      readySeconds: 20,
      watchReadySeconds: 18.5,
      list: Array.from({ length: 10 }, (_, i) => ({
        name: `perf-0123abcd-p-${String(i + 1).padStart(3, '0')}`,
        createMs: 2,
        readyMs: 100 + i,
        readyAtMs: 200 + i,
      })),
    },
    deltas: snapshotDeltas(snapshots, 10, 200),
  };
}

describe('the Milo report section', () => {
  it('draws the runner’s two grouped bar charts: apiserver and etcd, one bar per snapshot, memory in MB', () => {
    const { charts } = miloHtml(data(true), {}, 'm');
    const [cpu, mem] = charts;
    expect(cpu).toMatchObject({
      id: 'm-cpu',
      title: 'CPU (cores)',
      kind: 'bar',
      labels: ['apiserver', 'etcd'],
    });
    expect(cpu!.datasets.map((d) => [d.label, d.data])).toEqual([
      ['baseline', [0.1, 0.05]],
      ['after-projects', [0.3, 0.07]],
      ['after-objects', [0.5, null]],
    ]);
    expect(mem!.datasets.map((d) => d.data)).toEqual([
      [100, 64],
      [150, 64],
      [250, null],
    ]);
    expect(charts.find((c) => c.id === 'm-ready')!.datasets[0]!.data).toHaveLength(10);
  });

  it('shows the runner’s subtitle and per-project delta cards, and kubeperf’s per-object cards', () => {
    const { html } = miloHtml(data(true), {}, 'm');
    expect(html).toContain('Projects: 10 • Time to Ready: 20.0s (2.00s/project)');
    expect(html).toContain('After-projects (per-project deltas)');
    // (0.3 − 0.1) cores / 10 projects; (150 − 100) MB / 10.
    expect(html).toContain('+0.0200 cores');
    expect(html).toContain('+5.00 MB');
    expect(html).toContain('After objects (per-object deltas, kubeperf)');
    // etcd after objects is missing: no delta, not zero.
    expect(html).toMatch(/CPU etcd<\/span><b>–<\/b>/);
  });

  it('leaves out the after-objects bars and cards without the objects phase', () => {
    const { html, charts } = miloHtml(data(false), {}, 'm');
    expect(charts[0]!.datasets.map((d) => d.label)).toEqual(['baseline', 'after-projects']);
    expect(html).not.toContain('After objects');
  });

  it('renders as a page of its own (report.html of perf-results)', () => {
    const page = renderMiloPage(data(true), {});
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<title>Milo Performance Report</title>');
    expect(page).toContain('"id":"milo-cpu"');
  });
});
