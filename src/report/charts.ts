/** Chart specs for a run: latency percentiles, time series, distributions, CEL, graph, sweeps, resources. */
import { celExpressions, graphSizes, histogramOf } from '../analysis/select.js';
import { isHeadlineMetric, unitOfMetric } from '../analysis/recommendations.js';
import type { PhaseResult, SeriesPoint } from '../results/types.js';
import type { ScalingFit } from '../analysis/types.js';
import { wantsLog, type ChartSpec } from './chart-spec.js';

/** Percentiles sampled for CDFs: dense in the tail, where latency stories are. */
const CDF_PERCENTILES = [
  0, 1, 5, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96, 97, 98, 99, 99.5, 99.9, 99.95, 99.99,
  100,
];

export function opColor(ops: string[], op: string): number {
  return Math.max(0, ops.indexOf(op));
}

export function phaseCharts(p: PhaseResult, idx: number, allOps: string[]): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const ops = Object.keys(p.ops).filter((op) => p.ops[op].count > 0);
  const apiOps = ops.filter((op) => op !== 'readiness');
  if (ops.length) {
    const stats = ['p50', 'p90', 'p99', 'p999'] as const;
    const values = ops.flatMap((op) => stats.map((s) => p.ops[op].latencyMs[s]));
    charts.push({
      id: `lat-${idx}`,
      title: `${p.name}: latency percentiles per op`,
      kind: 'bar',
      labels: ops,
      datasets: stats.map((s, i) => ({
        label: s === 'p999' ? 'p99.9' : s,
        data: ops.map((op) => p.ops[op].latencyMs[s]),
        color: i,
      })),
      x: { title: 'op', type: 'category' },
      y: { title: 'latency (ms)', unit: 'ms', log: wantsLog(values) },
    });
  }
  // Over-time charts need a few windows to say anything; a 1-second phase is all in the tables.
  if (ops.some((op) => p.ops[op].series.length >= 3)) {
    charts.push({
      id: `tput-${idx}`,
      title: `${p.name}: throughput over time`,
      kind: 'line',
      datasets: ops.map((op) => ({
        label: op,
        data: downsample(p.ops[op].series).map((w) => ({ x: w.t, y: w.throughput })),
        color: opColor(allOps, op),
      })),
      x: { title: 'time (s)', unit: 's' },
      y: { title: 'successful ops/s', unit: '/s' },
    });
    charts.push({
      id: `p99t-${idx}`,
      title: `${p.name}: p99 latency over time`,
      kind: 'line',
      datasets: ops.map((op) => ({
        label: op,
        data: downsample(p.ops[op].series.filter((w) => w.count > w.errors)).map((w) => ({
          x: w.t,
          y: w.p99,
        })),
        color: opColor(allOps, op),
      })),
      x: { title: 'time (s)', unit: 's' },
      y: {
        title: 'p99 (ms)',
        unit: 'ms',
        log: wantsLog(ops.flatMap((op) => p.ops[op].series.map((w) => w.p99))),
      },
    });
  }
  if (apiOps.length) {
    charts.push({
      id: `cdf-${idx}`,
      title: `${p.name}: latency distribution (CDF)`,
      kind: 'line',
      datasets: apiOps.map((op) => ({
        label: op,
        data: cdf(p.ops[op].histogram),
        color: opColor(allOps, op),
      })),
      x: { title: 'latency (ms)', unit: 'ms', log: true },
      y: { title: 'percentile', unit: '%' },
    });
  }
  if (p.ops.readiness && p.ops.readiness.count > p.ops.readiness.errors) {
    const { labels, shares } = distribution(p.ops.readiness.histogram);
    charts.push({
      id: `ready-${idx}`,
      title: `${p.name}: time-to-Ready distribution`,
      kind: 'bar',
      labels,
      datasets: [{ label: 'share of objects', data: shares, color: opColor(allOps, 'readiness') }],
      x: { title: 'time to Ready (ms)', type: 'category' },
      y: { title: 'share of objects (%)', unit: '%' },
    });
  }
  if (p.resources && p.resources.samples.length) {
    charts.push({
      id: `res-${idx}`,
      title: `${p.name}: control-plane CPU and memory (${p.resources.source})`,
      kind: 'line',
      datasets: [
        { label: 'CPU (cores)', data: p.resources.samples.map((s) => ({ x: s.t, y: s.cpuCores })), color: 0 },
        {
          label: 'RSS (MB)',
          data: p.resources.samples.map((s) => ({ x: s.t, y: s.rssBytes / 1e6 })),
          yAxisID: 'y2',
          color: 1,
        },
      ],
      x: { title: 'time (s)', unit: 's' },
      y: { title: 'CPU cores', unit: 'cores' },
      y2: { title: 'RSS (MB)', unit: 'MB' },
    });
  }
  const exprs = celExpressions(p).filter((e) => typeof e.evalNs === 'number');
  if (exprs.length) {
    const groups = [...new Set(exprs.map((e) => e.complexity))];
    charts.push({
      id: `cel-${idx}`,
      title: `${p.name}: CEL evaluation cost by complexity (log scale)`,
      kind: 'bar',
      labels: exprs.map((e) => e.name),
      datasets: groups.map((g, i) => ({
        label: g,
        data: exprs.map((e) => (e.complexity === g ? e.evalNs! : null)),
        color: i,
      })),
      x: { title: 'expression', type: 'category' },
      y: { title: 'evaluation (ns)', unit: 'ns', log: true },
    });
  }
  return charts;
}

/** CPU and memory of the control plane side by side for every phase that sampled them. */
export function resourcesByPhaseChart(phases: PhaseResult[]): ChartSpec | undefined {
  const withRes = phases.filter((p) => p.resources);
  if (withRes.length < 2) return undefined;
  return {
    id: 'resources-by-phase',
    title: 'Control-plane CPU and memory per phase',
    kind: 'bar',
    labels: withRes.map((p) => p.name),
    datasets: [
      { label: 'CPU mean (cores)', data: withRes.map((p) => p.resources!.cpuCores.mean), color: 0 },
      { label: 'CPU max (cores)', data: withRes.map((p) => p.resources!.cpuCores.max), color: 1 },
      {
        label: 'RSS max (MB)',
        data: withRes.map((p) => p.resources!.rssBytes.max / 1e6),
        yAxisID: 'y2',
        color: 2,
      },
    ],
    x: { title: 'phase', type: 'category' },
    y: { title: 'CPU (cores)', unit: 'cores' },
    y2: { title: 'RSS (MB)', unit: 'MB' },
  };
}

export function graphChart(p: PhaseResult, idx: number, fits: ScalingFit[]): ChartSpec | undefined {
  const sizes = graphSizes(p).filter((s) => typeof s.buildMs === 'number');
  if (sizes.length < 2) return undefined;
  const fit = fits.find(
    (f) => f.phase === p.name && f.parameter === 'nodes' && f.metric === 'buildMs',
  )?.power;
  const datasets: ChartSpec['datasets'] = [
    {
      label: 'build time (measured)',
      data: sizes.map((s) => ({ x: s.nodes, y: s.buildMs! })),
      type: 'scatter',
      color: 0,
    },
  ];
  if (fit) {
    const xs = [sizes[0].nodes, sizes[sizes.length - 1].nodes];
    datasets.push({
      label: `fit ${fit.coefficient.toPrecision(3)}·n^${fit.exponent.toFixed(2)} (R² ${fit.r2.toFixed(3)})`,
      data: xs.map((x) => ({ x, y: fit.coefficient * x ** fit.exponent })),
      type: 'line',
      dashed: true,
      color: 2,
    });
  }
  return {
    id: `graph-${idx}`,
    title: `${p.name}: graph build cost by size (log-log)`,
    kind: 'scatter',
    datasets,
    x: { title: 'nodes', log: true },
    y: { title: 'build (ms)', unit: 'ms', log: true },
  };
}

/**
 * Sweep charts: one per unit (throughput, latency, bytes…) so every line shares a meaningful axis.
 * Only headline metrics are drawn (p99, not p50/p95 too); the tables keep the rest.
 */
export function sweepCharts(p: PhaseResult, idx: number): ChartSpec[] {
  const charts: ChartSpec[] = [];
  (p.sweeps ?? []).forEach((sweep, j) => {
    const keys = [...new Set(sweep.points.flatMap((pt) => Object.keys(pt.metrics)))].filter(isHeadlineMetric);
    const byUnit = new Map<string, string[]>();
    for (const k of keys) {
      const u = unitOfMetric(k);
      byUnit.set(u, [...(byUnit.get(u) ?? []), k]);
    }
    const xs = sweep.points.map((pt) => pt.x);
    const logX = Math.max(...xs) / Math.max(1e-9, Math.min(...xs)) >= 16;
    const series = (k: string) =>
      sweep.points
        .filter((pt) => typeof pt.metrics[k] === 'number')
        .map((pt) => ({ x: pt.x, y: pt.metrics[k] }));
    const what =
      sweep.parameter === 'concurrency'
        ? 'concurrency sweep'
        : sweep.parameter === 'payloadBytes'
          ? 'payload-size impact'
          : `${sweep.parameter} sweep`;
    [...byUnit].forEach(([u, metrics], g) => {
      const values = metrics.flatMap((k) => series(k).map((q) => q.y));
      charts.push({
        id: `sweep-${idx}-${j}-${g}`,
        title: `${p.name}: ${what}, ${UNIT_LABEL[u] ?? (u || 'value')}`,
        kind: 'line',
        datasets: metrics.map((k, i) => ({ label: k, data: series(k), color: i })),
        x: {
          title: `${sweep.parameter}${sweep.unit ? ` (${sweep.unit})` : ''}`,
          log: logX,
          unit: sweep.unit,
        },
        y: { title: UNIT_LABEL[u] ?? (u || 'value'), unit: u === 'B' ? 'bytes' : u, log: wantsLog(values) },
      });
    });
  });
  return charts;
}

const UNIT_LABEL: Record<string, string> = {
  '/s': 'throughput (ops/s)',
  ms: 'latency (ms)',
  us: 'time (µs)',
  ns: 'time (ns)',
  B: 'bytes',
  cores: 'CPU (cores)',
};

/** Most points drawn per series; longer runs are merged into wider windows so the file stays small. */
const MAX_POINTS = 600;

/**
 * Merges consecutive windows: throughput is averaged (it is a rate), p99 takes the worst window so a
 * spike never disappears from the chart by averaging.
 */
export function downsample(series: SeriesPoint[]): SeriesPoint[] {
  if (series.length <= MAX_POINTS) return series;
  const k = Math.ceil(series.length / MAX_POINTS);
  const out: SeriesPoint[] = [];
  for (let i = 0; i < series.length; i += k) {
    const g = series.slice(i, i + k);
    const count = g.reduce((a, w) => a + w.count, 0);
    out.push({
      t: g[0].t,
      count,
      errors: g.reduce((a, w) => a + w.errors, 0),
      throughput: g.reduce((a, w) => a + w.throughput, 0) / g.length,
      p50: g.reduce((a, w) => a + w.p50 * w.count, 0) / Math.max(1, count),
      p99: Math.max(...g.map((w) => w.p99)),
      mean: g.reduce((a, w) => a + w.mean * w.count, 0) / Math.max(1, count),
    });
  }
  return out;
}

function cdf(encoded: string): { x: number; y: number }[] {
  const h = histogramOf(encoded);
  if (h.totalCount === 0) return [];
  return CDF_PERCENTILES.map((q) => ({ x: Math.max(0.001, h.getValueAtPercentile(q) / 1000), y: q }));
}

/** Share of values per log-spaced latency bucket, from the HDR histogram's percentiles (0.5% steps). */
function distribution(encoded: string): { labels: string[]; shares: number[] } {
  const h = histogramOf(encoded);
  const values: number[] = [];
  for (let q = 0.25; q < 100; q += 0.5) values.push(h.getValueAtPercentile(q) / 1000);
  const lo = Math.max(0.001, Math.min(...values));
  const hi = Math.max(...values);
  const buckets = 16;
  const ratio = hi > lo ? Math.log(hi / lo) / buckets : 1;
  const shares = new Array<number>(buckets).fill(0);
  for (const v of values) {
    const i =
      ratio > 0 && hi > lo ? Math.min(buckets - 1, Math.floor(Math.log(Math.max(v, lo) / lo) / ratio)) : 0;
    shares[i] += 0.5;
  }
  const edge = (i: number) => lo * Math.exp(ratio * i);
  const r = (v: number) => String(Number(v.toPrecision(3)));
  return { labels: shares.map((_, i) => `${r(edge(i))}–${r(edge(i + 1))}`), shares };
}
