import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { Recorder } from '../metrics/recorder.js';
import { parsePromText, select, sumOf } from '../metrics/prom-text.js';
import { runStudyObject } from '../run/run-study.js';
import { closedPort } from '../measurements/test-support.js';
import { startExporter } from './exporter.js';

const out = mkdtempSync(join(tmpdir(), 'kubeperf-exporter-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("kubeperf's exporter", () => {
  it('exports requests by phase/op/code and latency buckets read from the Recorder', async () => {
    const ex = await startExporter({ port: 0, runId: 'r1', study: 's' });
    try {
      const rec = new Recorder(0);
      ex.watch('crud', rec);
      // 3 ms, 30 ms, 3.5 s successes; one 409 and one connection error.
      rec.record('create', 0, 3);
      rec.record('create', 0, 30);
      rec.record('create', 0, 3500);
      rec.record('create', 0, 1, { reason: 'AlreadyExists', code: 409 });
      rec.record('create', 0, 1, { reason: 'ECONNRESET', code: 0 });
      rec.retry('create');
      const r = await fetch(`${ex.url}/metrics`);
      expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const s = parsePromText(await r.text());
      const codes = Object.fromEntries(
        select(s, 'kubeperf_requests_total', { phase: 'crud', op: 'create' }).map((x) => [
          x.labels.code,
          x.value,
        ]),
      );
      expect(codes).toEqual({ '2xx': 3, '409': 1, '0': 1 });
      expect(sumOf(s, 'kubeperf_request_retries_total')).toBe(1);
      const le = (b: string) => select(s, 'kubeperf_request_duration_seconds_bucket', { le: b })[0]!.value;
      expect([le('0.005'), le('0.025'), le('0.05'), le('3'), le('4'), le('+Inf')]).toEqual([
        1, 1, 2, 2, 3, 3,
      ]);
      expect(sumOf(s, 'kubeperf_request_duration_seconds_count')).toBe(3);
      expect(sumOf(s, 'kubeperf_request_duration_seconds_sum')).toBeCloseTo(3.533, 2);
      expect(sumOf(s, 'kubeperf_run_info', { run_id: 'r1' })).toBe(1);
      expect((await fetch(`${ex.url}/other`)).status).toBe(404);
    } finally {
      await ex.stop(0);
    }
  });

  it('a port in use is bad input naming the flag', async () => {
    const a = await startExporter({ port: 0, runId: 'r', study: 's' });
    try {
      await expect(startExporter({ port: a.port, runId: 'r', study: 's' })).rejects.toThrow(
        `--metrics-port ${a.port}: the port is in use`,
      );
    } finally {
      await a.stop(0);
    }
  });

  it("--metrics-port during a run: the final counters equal results.json's counts", async () => {
    const port = await closedPort();
    let last = '';
    let stop = false;
    const poll = (async () => {
      while (!stop) {
        try {
          last = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        } catch {
          // not up yet, or stopped
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const outcome = await runStudyObject(
      {
        name: 'exporter',
        phases: [
          { type: 'crud', name: 'crud', objects: 300, ops: ['create', 'get', 'update', 'delete'] },
          {
            type: 'job',
            name: 'namespaces',
            jobIterations: 5,
            namespacedIterations: false,
            objects: [
              {
                objectTemplate: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: exp-{{.Iteration}}\n',
                wait: true,
              },
            ],
          },
        ],
      },
      { source: 'test', out, log: silentLogger, metricsPort: port },
    );
    stop = true;
    await poll;
    expect(outcome.exitCode).toBe(0);
    const s = parsePromText(last);
    let checked = 0;
    for (const p of outcome.results.phases) {
      for (const [op, st] of Object.entries(p.ops)) {
        if (op === 'readiness') {
          expect(sumOf(s, 'kubeperf_objects_ready_total', { phase: p.name })).toBe(st.count - st.errors);
          expect(sumOf(s, 'kubeperf_readiness_seconds_count', { phase: p.name })).toBe(st.count - st.errors);
          continue;
        }
        const m = { phase: p.name, op };
        expect(sumOf(s, 'kubeperf_requests_total', m), `${p.name}/${op}`).toBe(st.count);
        expect(sumOf(s, 'kubeperf_requests_total', { ...m, code: '2xx' })).toBe(st.count - st.errors);
        for (const [code, n] of Object.entries(st.errorsByCode))
          expect(sumOf(s, 'kubeperf_requests_total', { ...m, code })).toBe(n);
        expect(sumOf(s, 'kubeperf_request_retries_total', m)).toBe(st.retries);
        expect(sumOf(s, 'kubeperf_request_duration_seconds_count', m)).toBe(st.count - st.errors);
        checked++;
      }
      expect(sumOf(s, 'kubeperf_phase_running', { phase: p.name })).toBe(0);
      expect(sumOf(s, 'kubeperf_phase_progress_ratio', { phase: p.name })).toBe(1);
    }
    expect(checked).toBeGreaterThanOrEqual(5);
    expect(outcome.results.phases[1]!.ops.readiness!.count).toBe(5);
  }, 60_000);
});
