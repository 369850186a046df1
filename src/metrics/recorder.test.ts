import { describe, expect, it } from 'vitest';
import { decodeHistogram } from './histogram.js';
import { mergeOpStats } from './merge.js';
import { Recorder } from './recorder.js';

describe('Recorder', () => {
  it('counts every request once, keeps errors out of the latency histogram, and windows by end time', () => {
    const r = new Recorder(1000, 1000);
    for (let i = 0; i < 100; i++) r.record('get', 1000 + i * 10, 1000 + i * 10 + 2); // 2 ms each, over 1 s
    r.record('get', 1500, 1500.1, { reason: 'ServiceUnavailable', code: 503 });
    r.record('get', 2100, 2400, { reason: 'ECONNRESET', code: 0 });
    r.retry('get');
    const s = r.snapshot().get!;
    expect(s.count).toBe(102);
    expect(s.errors).toBe(2);
    expect(s.retries).toBe(1);
    expect(s.errorsByReason).toEqual({ ServiceUnavailable: 1, ECONNRESET: 1 });
    expect(s.errorsByCode).toEqual({ '503': 1, '0': 1 });
    expect(s.latencyMs.p50).toBeCloseTo(2, 1);
    expect(s.latencyMs.max).toBeCloseTo(2, 1); // the 300 ms failure is not a latency sample
    expect(decodeHistogram(s.histogram).totalCount).toBe(100);
    expect(s.series.map((w) => [w.t, w.count, w.errors])).toEqual([
      [0, 101, 1],
      [1, 1, 1],
    ]);
    // 100 successes between t=1000 and the last end at 2400 ms
    expect(s.throughput).toBeCloseTo(100 / 1.4, 1);
  });

  it('measures from the intended start, so queueing delay is part of the latency', () => {
    const r = new Recorder(0);
    r.record('create', 0, 1000); // meant to start at 0, answered at 1 s
    expect(r.snapshot().create!.latencyMs.p99).toBeCloseTo(1000, -1);
  });
});

describe('mergeOpStats', () => {
  it('merges histograms exactly instead of averaging percentiles', () => {
    const a = new Recorder(0);
    const b = new Recorder(0);
    for (let i = 0; i < 99; i++) a.record('get', 0, 1);
    b.record('get', 0, 100);
    const m = mergeOpStats([a.snapshot().get!, b.snapshot().get!]);
    expect(m.count).toBe(100);
    expect(m.latencyMs.p50).toBeCloseTo(1, 1);
    expect(m.latencyMs.max).toBeCloseTo(100, 0);
    expect(decodeHistogram(m.histogram).totalCount).toBe(100);
  });
});
