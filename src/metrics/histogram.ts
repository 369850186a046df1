/**
 * HDR histograms of latencies in microseconds (hdr-histogram-js, 3 significant digits),
 * serialised in the standard compressed base64 encoding so results from different runs merge.
 */
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram,
} from 'hdr-histogram-js';

export type { Histogram };

export function createHistogram(): Histogram {
  // autoResize: latencies from 1 µs to hours, no up-front range guess that could clip a stall.
  return build({ numberOfSignificantValueDigits: 3, autoResize: true, lowestDiscernibleValue: 1 });
}

export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): Histogram {
  return decodeFromCompressedBase64(encoded, 'packed', false);
}

export function mergeHistograms(encoded: string[]): Histogram {
  const out = createHistogram();
  for (const e of encoded) out.add(decodeHistogram(e));
  return out;
}

export interface LatencySummaryMs {
  min: number;
  mean: number;
  stddev: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Latency summary in ms from a µs histogram; all zero for an empty histogram. */
export function summarizeUs(h: Histogram): LatencySummaryMs {
  if (h.totalCount === 0)
    return { min: 0, mean: 0, stddev: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  const ms = (us: number) => round3(us / 1000);
  // Percentiles are bucket upper bounds (3 significant digits); never report one above the true max.
  const max = h.maxValue;
  const at = (p: number) => ms(Math.min(h.getValueAtPercentile(p), max));
  return {
    min: ms(h.minNonZeroValue),
    mean: ms(h.mean),
    stddev: ms(h.stdDeviation),
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    max: ms(max),
  };
}
