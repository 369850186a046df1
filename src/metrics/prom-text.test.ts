import { describe, expect, it } from 'vitest';
import { bucketQuantile, counterDiff, histogramBuckets, parsePromText, select, sumOf } from './prom-text.js';

const before = `# HELP apiserver_request_total Counter of apiserver requests
# TYPE apiserver_request_total counter
apiserver_request_total{code="201",component="apiserver",resource="configmaps",verb="POST"} 10
apiserver_request_total{code="200",component="apiserver",resource="configmaps",verb="GET"} 5
# TYPE apiserver_request_duration_seconds histogram
apiserver_request_duration_seconds_bucket{resource="configmaps",verb="POST",le="0.005"} 4
apiserver_request_duration_seconds_bucket{resource="configmaps",verb="POST",le="0.01"} 8
apiserver_request_duration_seconds_bucket{resource="configmaps",verb="POST",le="+Inf"} 10
process_cpu_seconds_total 1.5
weird{msg="a \\"quoted\\" , {brace}"} 7
broken{x="unterminated} 3
`;
const after = before
  .replace('verb="POST"} 10', 'verb="POST"} 110')
  .replace('le="0.005"} 4', 'le="0.005"} 54')
  .replace('le="0.01"} 8', 'le="0.01"} 98')
  .replace('le="+Inf"} 10', 'le="+Inf"} 110');

describe('Prometheus text format', () => {
  it('parses names, labels with escapes, values and types; skips malformed lines', () => {
    const s = parsePromText(before);
    expect(s.types.get('apiserver_request_total')).toBe('counter');
    expect(select(s, 'weird')[0]).toEqual({
      name: 'weird',
      labels: { msg: 'a "quoted" , {brace}' },
      value: 7,
    });
    expect(select(s, 'broken')).toEqual([]);
    expect(sumOf(s, 'process_cpu_seconds_total')).toBe(1.5);
    expect(sumOf(s, 'apiserver_request_total', { verb: 'GET' })).toBe(5);
  });

  it('filters by prefix', () => {
    const s = parsePromText(before, ['process_']);
    expect(s.samples.map((x) => x.name)).toEqual(['process_cpu_seconds_total']);
  });

  it('diffs counters by labels', () => {
    const d = counterDiff(parsePromText(before), parsePromText(after), 'apiserver_request_total', [
      'verb',
      'resource',
    ]);
    expect([...d.values()]).toEqual([{ labels: { verb: 'POST', resource: 'configmaps' }, value: 100 }]);
  });

  it('computes quantiles of the window from bucket diffs like histogram_quantile', () => {
    const h = histogramBuckets(
      parsePromText(after),
      'apiserver_request_duration_seconds',
      ['verb'],
      {},
      parsePromText(before),
    );
    const b = h.get('verb=POST')!.buckets;
    expect(b).toEqual({ bounds: [0.005, 0.01, Infinity], counts: [50, 90, 100] });
    expect(bucketQuantile(0.5, b)).toBeCloseTo(0.005);
    expect(bucketQuantile(0.7, b)).toBeCloseTo(0.005 + 0.005 * (20 / 40));
    expect(bucketQuantile(0.99, b)).toBe(0.01);
    expect(bucketQuantile(0.5, { bounds: [1, Infinity], counts: [0, 0] })).toBeUndefined();
  });
});
