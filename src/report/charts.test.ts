import { describe, expect, it } from 'vitest';
import { fullResults } from '../analysis/test-fixtures.js';
import type { SeriesPoint } from '../results/types.js';
import { downsample, phaseCharts, resourcesByPhaseChart, sweepCharts } from './charts.js';

describe('chart specs', () => {
  const r = fullResults();

  it('draws every op of a phase, and the readiness distribution sums to 100%', () => {
    const specs = phaseCharts(r.phases[0], 0, Object.keys(r.phases[0].ops));
    expect(specs.map((s) => s.id)).toEqual(['lat-0', 'tput-0', 'p99t-0', 'cdf-0', 'ready-0', 'res-0']);
    const ready = specs.find((s) => s.id === 'ready-0')!;
    const total = (ready.datasets[0].data as number[]).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(100, 6);
  });

  it('splits a sweep by unit and leaves p50/p95 to the tables', () => {
    const specs = sweepCharts(r.phases[3], 3);
    const conc = specs.filter((s) => s.title.includes('concurrency'));
    expect(conc.map((s) => s.y.unit)).toEqual(['/s', 'ms']);
    expect(conc[0].x.log).toBe(true);
  });

  it('compares control-plane usage across phases', () => {
    const spec = resourcesByPhaseChart(r.phases)!;
    expect(spec.labels).toEqual(['crud', 'sweep']);
  });

  it('downsamples long series without hiding a p99 spike', () => {
    const series: SeriesPoint[] = Array.from({ length: 3600 }, (_, t) => ({
      t,
      count: 10,
      errors: 0,
      throughput: 10,
      p50: 1,
      p99: t === 1234 ? 900 : 2,
      mean: 1,
    }));
    const d = downsample(series);
    expect(d.length).toBeLessThanOrEqual(600);
    expect(Math.max(...d.map((w) => w.p99))).toBe(900);
    expect(d[0].throughput).toBe(10);
  });
});
