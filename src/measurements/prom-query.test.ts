import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { createLogger, silentLogger } from '../core/logger.js';
import { runStudyObject } from '../run/run-study.js';
import { closedPort } from './test-support.js';
import type { PromQueryData } from './prom-query.js';
import { withElapsed } from './prom-query.js';

const out = mkdtempSync(join(tmpdir(), 'kubeperf-prom-query-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const crud = { type: 'crud', name: 'crud', objects: 200, ops: ['create', 'get'], arrivalRate: 200 };

describe('promQuery', () => {
  it('replaces kube-burner’s {{.elapsed}}', () => {
    expect(withElapsed('rate(x[{{.elapsed}}]) + rate(y[{{ .elapsed }}])', 90_000)).toBe(
      'rate(x[90s]) + rate(y[90s])',
    );
    expect(withElapsed('rate(x[{{.elapsed}}])', 1500)).toBe('rate(x[1500ms])');
  });

  it('from a local Prometheus: instant at both boundaries, a range, and a kube-burner profile', async () => {
    const profile = join(out, 'profile.yaml');
    writeFileSync(
      profile,
      `- query: sum(increase(apiserver_request_total{verb="POST",resource="configmaps"}[{{.elapsed}}]))
  metricName: createsOverPhase
  instant: true
- query: sum(rate(apiserver_request_total[5s]))
  metricName: requestRate
`,
    );
    const outcome = await runStudyObject(
      {
        name: 'prom-query',
        // No warm-up step: its ConfigMap creates would be in the series before the phase.
        warmup: false,
        metrics: { local: 'prometheus', scrapeInterval: '500ms' },
        phases: [crud],
        measurements: [
          {
            type: 'promQuery',
            profile: 'profile.yaml',
            queries: [
              {
                name: 'creates',
                query: 'sum(apiserver_request_total{verb="POST",resource="configmaps"})',
                range: true,
              },
            ],
          },
        ],
      },
      { source: 'test', baseDir: out, out, log: silentLogger },
    );
    expect(outcome.exitCode).toBe(0);
    const m = outcome.results.phases[0]!.measurements!.promQuery!;
    expect(m.status, JSON.stringify(m.data)).toBe('ok');
    const d = m.data as unknown as PromQueryData;
    const byName = Object.fromEntries(d.queries.map((q) => [q.name, q]));
    const creates = byName.creates!;
    // Before the phase no configmap was created: the series does not exist yet, an empty vector (not 0).
    expect(creates.start).toEqual([]);
    // Evaluated one scrape interval after the phase: every create of the phase is in it.
    expect(creates.end![0]!.value).toBe(200);
    expect(creates.range!.series[0]!.points.length).toBeGreaterThanOrEqual(1);
    // kube-burner rules: instant → only at the end; otherwise a range over the phase.
    expect(byName.createsOverPhase!.start).toBeUndefined();
    expect(byName.createsOverPhase!.end![0]!.value).toBeGreaterThan(100);
    expect(byName.createsOverPhase!.query).toMatch(/\[\d+(ms|s)\]\)\)$/);
    expect(byName.requestRate!.end).toBeUndefined();
    expect(byName.requestRate!.range!.series.length).toBe(1);
  }, 90_000);

  it('a PromQL syntax error is bad input before any load, naming the measurement and the query', async () => {
    const run = runStudyObject(
      {
        name: 'prom-query-bad',
        metrics: { local: 'victoriametrics', scrapeInterval: '1s' },
        phases: [crud],
        measurements: [
          {
            type: 'promQuery',
            name: 'etcd',
            queries: [
              { name: 'ok', query: 'up' },
              {
                name: 'fsync',
                query:
                  'histogram_quantile(0.99, sum(rate(etcd_disk_wal_fsync_duration_seconds_bucket[5m]) by (le)',
              },
            ],
          },
        ],
      },
      { source: 'test', out, log: silentLogger },
    );
    const e = await run.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).exitCode).toBe(2);
    expect((e as InputError).problems).toHaveLength(1);
    expect((e as InputError).problems[0]).toMatch(
      /^measurement etcd, query "fsync" \(histogram_quantile\(0\.99, .*\): .+/,
    );
  }, 90_000);

  it('an unreachable backend is a warning and the measurement is missing, never zero; the run passes', async () => {
    const port = await closedPort();
    const lines: string[] = [];
    const outcome = await runStudyObject(
      {
        name: 'prom-query-down',
        metrics: { url: `http://127.0.0.1:${port}` },
        phases: [crud],
        measurements: [
          { type: 'promQuery', queries: [{ name: 'up', query: 'up' }] },
          { type: 'containerUsage' },
        ],
      },
      { source: 'test', out, log: createLogger({ write: (l) => lines.push(l) }) },
    );
    expect(outcome.exitCode).toBe(0);
    const ms = outcome.results.phases[0]!.measurements!;
    for (const name of ['promQuery', 'containerUsage']) {
      expect(ms[name]!.status, name).toBe('missing');
      expect(ms[name]!.message, name).toMatch(
        new RegExp(`127\\.0\\.0\\.1:${port}/api/v1/query is unreachable \\(ECONNREFUSED\\)`),
      );
    }
    const cu = ms.containerUsage!.data as { snapshots: unknown[] } | undefined;
    expect(cu?.snapshots ?? []).toEqual([]);
    expect(lines.some((l) => l.startsWith('warn: ') && l.includes('measurement promQuery: missing'))).toBe(
      true,
    );
  }, 60_000);
});
