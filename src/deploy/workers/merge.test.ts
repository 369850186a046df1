import { describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../metrics/histogram.js';
import { Recorder } from '../../metrics/recorder.js';
import { InputError } from '../../core/errors.js';
import type { PhaseResult, Results } from '../../results/types.js';
import { mergeWorkerResults, sumData } from './merge.js';

/** A worker's results: one phase whose ops came from `rec`, started `offsetMs` after `base`. */
function part(index: number, count: number, rec: Recorder, base: number, offsetMs: number): Results {
  const startedAt = new Date(base + offsetMs).toISOString();
  const phase: PhaseResult = {
    name: 'crud',
    type: 'crud',
    tags: [],
    startedAt,
    endedAt: new Date(base + offsetMs + 10_000).toISOString(),
    durationMs: 10_000,
    status: 'ok',
    ops: rec.snapshot(),
    data: { job: { created: 100, jobName: 'x' }, pacing: [{ started: 1 }] },
  };
  return {
    schemaVersion: 1,
    runId: 'r1',
    name: 'merge-test',
    tool: { name: 'kubeperf', version: 'test' },
    environment: { node: 'v20', os: 'linux', arch: 'x64', cpus: 2, cpuModel: 'x', totalMemoryBytes: 1 },
    target: { kind: 'kubeconfig', server: 'https://x', version: 'v1.28' },
    startedAt,
    endedAt: phase.endedAt,
    interrupted: false,
    config: { thresholds: ['create.p99 < 10s'] },
    verdict: 'pass',
    verdictReasons: [],
    phases: [phase],
    thresholds: [],
    warnings: [],
    worker: { index, count, startedAt, waitedMs: 5 },
  };
}

/** Deterministic heavy-tailed latencies (ms), so p99 sits far from p50. */
function* latencies(n: number, seed = 7) {
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const u = (x + 1) / 2 ** 31;
    yield 2 + 3 * Math.exp(4 * u * u);
  }
}

describe('merging workers’ results', () => {
  it('merged p99 is the p99 of one histogram of all samples (within one HDR bucket); counts add', () => {
    const base = Date.parse('2026-11-22T10:00:00Z');
    const origin = 1_000;
    const all = new Recorder(origin);
    const workers = [0, 1, 2, 3].map(() => new Recorder(origin));
    let i = 0;
    for (const ms of latencies(40_000)) {
      const w = i % 4;
      // Each worker's requests spread over its own 8 s; starts staggered 1 s apart.
      const start = origin + w * 1000 + (i / 40_000) * 8000;
      workers[w]!.record('create', start, start + ms);
      all.record('create', start, start + ms);
      if (i % 100 === 0) {
        workers[w]!.record('create', start, start + 1, { reason: 'TooManyRequests', code: 429 });
        all.record('create', start, start + 1, { reason: 'TooManyRequests', code: 429 });
      }
      i++;
    }
    const parts = workers.map((r, w) => part(w, 4, r, base, 0));
    const merged = mergeWorkerResults(parts);
    const m = merged.phases[0]!.ops.create!;
    const full = all.snapshot().create!;
    expect(m.count).toBe(full.count);
    expect(m.errors).toBe(full.errors);
    expect(m.errorsByCode).toEqual(full.errorsByCode);
    // The codec returns a JsHistogram, which knows its bucket widths.
    const h = decodeHistogram(full.histogram) as ReturnType<typeof decodeHistogram> & {
      sizeOfEquivalentValueRange(v: number): number;
    };
    for (const p of ['p50', 'p90', 'p99', 'p999'] as const) {
      const bucketMs = h.sizeOfEquivalentValueRange(full.latencyMs[p] * 1000) / 1000;
      expect(Math.abs(m.latencyMs[p] - full.latencyMs[p]), p).toBeLessThanOrEqual(bucketMs);
    }
    expect(decodeHistogram(m.histogram).totalCount).toBe(h.totalCount);
    // Union of active spans: workers active 1 s apart for ~8 s each → about 11 s, not 4 × 8 s.
    expect(m.durationMs).toBeGreaterThan(10_900);
    expect(m.durationMs).toBeLessThan(11_200);
    expect(m.throughput).toBeCloseTo(((m.count - m.errors) * 1000) / m.durationMs, 1);
    expect(merged.distributed?.parts.map((p) => p.phases[0]!.ops.create!.count)).toEqual(
      parts.map((p) => p.phases[0]!.ops.create!.count),
    );
    expect((merged.phases[0]!.data as { job: { created: number } }).job.created).toBe(400);
    expect(merged.verdict).toBe('pass');
    expect(merged.thresholds[0]!.expression).toBe('create.p99 < 10s');
  });

  it('warns when workers started further apart than the tolerance; a missing worker makes the merge invalid', () => {
    const base = Date.parse('2026-11-22T10:00:00Z');
    const recs = [0, 1, 2].map(() => new Recorder(0));
    recs.forEach((r) => r.record('get', 0, 5));
    const parts = recs.map((r, w) => part(w, 4, r, base, w === 2 ? 2000 : 0));
    const merged = mergeWorkerResults(parts, { skewToleranceMs: 500 });
    expect(merged.distributed?.startSpreadMs).toBe(2000);
    expect(merged.warnings.join('\n')).toMatch(/differ by up to 2000 ms \(tolerance 500 ms\)/);
    expect(merged.verdict).toBe('invalid');
    expect(merged.verdictReasons[0]).toMatch(/merged 3 of 4 workers; missing worker\(s\) 3/);
  });

  it('the same worker twice is bad input', () => {
    const r = new Recorder(0);
    r.record('get', 0, 1);
    const p = part(1, 2, r, 0, 0);
    expect(() => mergeWorkerResults([p, p], { sources: ['a', 'b'] })).toThrow(InputError);
  });

  it('phase data: numbers summed, lists concatenated, text from the first', () => {
    expect(
      sumData([
        { a: 1, b: 'x', c: [1] },
        { a: 2, b: 'y', c: [2] },
      ]),
    ).toEqual({ a: 3, b: 'x', c: [1, 2] });
  });
});
