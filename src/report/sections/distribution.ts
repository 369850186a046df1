/** A latency distribution as bar-chart data: the share of samples per linear bucket (s), from the HDR percentiles. */
import { histogramOf } from '../../analysis/select.js';
import type { OpStats } from '../../results/types.js';

export function shareHistogram(s: OpStats, n = 16): { labels: string[]; shares: number[] } {
  const h = histogramOf(s.histogram);
  const values: number[] = [];
  for (let q = 0.25; q < 100; q += 0.5) values.push(h.getValueAtPercentile(q) / 1e6);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const width = hi > lo ? (hi - lo) / n : 1;
  const shares = new Array<number>(n).fill(0);
  for (const v of values) shares[Math.min(n - 1, Math.floor((v - lo) / width))]! += 0.5;
  const r = (v: number) => String(Number(v.toPrecision(3)));
  return { labels: shares.map((_, i) => `${r(lo + i * width)}–${r(lo + (i + 1) * width)}`), shares };
}
