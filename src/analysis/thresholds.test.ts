import { describe, expect, it } from 'vitest';
import { celPhase, crudPhase, graphPhase, makeResults } from './test-fixtures.js';
import { evaluateThresholds, parseThreshold, type ParsedThreshold } from './thresholds.js';

const ok = (e: string) => {
  const t = parseThreshold(e);
  if ('error' in t) throw new Error(t.error);
  return t as ParsedThreshold;
};

describe('parseThreshold', () => {
  it('reads the documented forms into native units', () => {
    expect(ok('create.p99 < 500ms')).toMatchObject({
      metric: 'create.p99',
      comparator: '<',
      limit: 500,
      unit: 'ms',
    });
    expect(ok('readiness.p95 < 5s')).toMatchObject({ limit: 5000, unit: 'ms' });
    expect(ok('errors.rate < 1%')).toMatchObject({ kind: 'errors', limit: 0.01, unit: '%' });
    expect(ok('cel.very-complex.evalNs < 5us')).toMatchObject({
      kind: 'cel',
      group: 'very-complex',
      limit: 5000,
    });
    expect(ok('get.throughput > 1000/s')).toMatchObject({ stat: 'throughput', comparator: '>', limit: 1000 });
    expect(ok('crud:create.p99.9 <= 2s')).toMatchObject({
      scope: 'crud',
      metric: 'create.p999',
      limit: 2000,
    });
    expect(ok('create.errors.rate < 0.5%')).toMatchObject({
      op: 'create',
      stat: 'errors.rate',
      limit: 0.005,
    });
    expect(ok('memory.max < 2GiB')).toMatchObject({ kind: 'resource', limit: 2 * 1024 ** 3 });
    expect(ok('graph.buildMs < 50')).toMatchObject({ kind: 'graph', limit: 50 });
  });

  it('explains what is wrong', () => {
    expect(parseThreshold('create.p99 500ms')).toMatchObject({ error: expect.stringContaining('expected') });
    expect(parseThreshold('create.p99 < 5 parsecs')).toMatchObject({
      error: expect.stringContaining('"parsecs" is not a time unit'),
    });
    expect(parseThreshold('create.p99 < 5GB')).toMatchObject({
      error: expect.stringContaining('not a time unit'),
    });
    expect(parseThreshold('get.throughput > 5ms')).toMatchObject({
      error: expect.stringContaining('throughput unit'),
    });
    expect(parseThreshold('create.p42x < 5ms')).toMatchObject({
      error: expect.stringContaining('unknown statistic'),
    });
    expect(parseThreshold('cel.simple < 5us')).toMatchObject({
      error: expect.stringContaining('CEL metrics'),
    });
  });
});

describe('evaluateThresholds', () => {
  const results = makeResults([
    crudPhase({ name: 'a', seed: 1, ops: ['create'] }),
    crudPhase({ name: 'b', seed: 2, ops: ['create'], scale: 10 }),
    celPhase(),
    graphPhase(),
  ]);

  it('merges histograms across phases unless scoped to one', () => {
    const [all, a, b] = evaluateThresholds(results, [
      'create.p50 < 1s',
      'a:create.p50 < 1s',
      'b:create.p50 < 1s',
    ]);
    expect(all.metric).toBe('all/create.p50');
    expect(a.actual!).toBeLessThan(12);
    expect(b.actual!).toBeGreaterThan(60);
    // The merged median lies between the two phases' medians, not at their mean of percentiles by accident.
    expect(all.actual!).toBeGreaterThan(a.actual!);
    expect(all.actual!).toBeLessThan(b.actual!);
  });

  it('fails on a breach and on missing data, with the numbers in the message', () => {
    const [breach, missing, cel, graph] = evaluateThresholds(results, [
      'b:create.p99 < 10ms',
      'update.p99 < 1s',
      'cel.very-complex.evalNs < 5us',
      'graph.exponent < 1.5',
    ]);
    expect(breach.pass).toBe(false);
    expect(breach.message).toMatch(/create\.p99 = [\d,.]+ ms \(phase b\); limit < 10 ms: FAIL/);
    expect(missing).toMatchObject({ pass: false, actual: null });
    expect(missing.message).toContain('no op "update"');
    expect(cel).toMatchObject({ pass: false, actual: 48000, unit: 'ns' });
    expect(graph).toMatchObject({ pass: true, actual: 1.1 });
  });
});
