/**
 * The `kro` phase's own section: one row per round (instances, time to ACTIVE, throughput, children,
 * API requests, watch events and reconciles per instance, controller memory, the limiting shaper),
 * and charts: time-to-ACTIVE distribution and CDF, ACTIVE instances over time against the creates,
 * API requests per instance by verb, reconcile duration, the controller's queue over time, and the
 * sweep metrics with their fitted curves.
 */
import { histogramOf } from '../../analysis/select.js';
import type { ScalingFit } from '../../analysis/types.js';
import type { RoundResult } from '../../phases/kro/round.js';
import type { OpStats, PhaseResult } from '../../results/types.js';
import { wantsLog, type ChartSpec } from '../chart-spec.js';
import { bytes, escapeHtml as e, formatValue, htmlTable, mdTable, num } from '../format.js';
import { shareHistogram } from './distribution.js';
import type { PhaseSection } from './types.js';

interface KroData {
  controller: string;
  controllerDescription?: string;
  rounds: RoundResult[];
}

function kroData(p: PhaseResult): KroData | undefined {
  const k = (p.data as { kro?: KroData } | undefined)?.kro;
  return k && Array.isArray(k.rounds) && k.rounds.length ? k : undefined;
}

/** Ops of each round: the sweep point's ops, or the phase's for a single round. */
function roundOps(p: PhaseResult, k: KroData): Record<string, OpStats>[] {
  const points = p.sweeps?.find((s) => s.points.some((pt) => pt.ops))?.points;
  return k.rounds.map((_, i) => (k.rounds.length > 1 ? (points?.[i]?.ops ?? {}) : p.ops));
}

const opt = (v: number | undefined, unit: string) => (typeof v === 'number' ? formatValue(v, unit) : '–');
const SHAPER: Record<string, string> = {
  'client-qps': 'client QPS',
  workers: 'workers',
  'queue-bucket': 'queue bucket',
  'requeue-interval': 'requeue interval',
  'create-rate': 'create rate',
  none: 'none saturated',
};

function rows(p: PhaseResult, k: KroData): string[][] {
  const ops = roundOps(p, k);
  return k.rounds.map((r, i) => {
    const ready = ops[i]?.['instance-ready'];
    const ok = ready && ready.count > ready.errors;
    return [
      r.x !== undefined ? num(r.x) : String(i + 1),
      `${num(r.active)}/${num(r.instances)}`,
      `${r.rgd.resources} / ${r.rgd.depth}`,
      ok ? formatValue(ready.latencyMs.p50, 'ms') : '–',
      ok ? formatValue(ready.latencyMs.p99, 'ms') : '–',
      formatValue(r.shaper.throughput, '/s'),
      opt(r.childrenPerInstance, ''),
      opt(r.apiServer?.perInstance, ''),
      opt(r.apiServer?.watchEventsPerInstance, ''),
      opt(r.controller?.reconcilesPerInstance, ''),
      r.controller?.rssBytes !== undefined ? bytes(r.controller.rssBytes) : '–',
      SHAPER[r.shaper.limiting] ?? r.shaper.limiting,
    ];
  });
}

const HEADER = [
  'Round',
  'ACTIVE',
  'Resources / depth',
  'To ACTIVE p50',
  'To ACTIVE p99',
  'Instances/s',
  'Children/inst',
  'API req/inst',
  'Watch events/inst',
  'Reconciles/inst',
  'Controller RSS',
  'Limiting shaper',
];

const CDF_Q = [0, 1, 5, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95, 97, 98, 99, 99.5, 99.9, 100];

function cdf(s: OpStats): { x: number; y: number }[] {
  const h = histogramOf(s.histogram);
  if (h.totalCount === 0) return [];
  return CDF_Q.map((q) => ({ x: Math.max(0.001, h.getValueAtPercentile(q) / 1e6), y: q }));
}

function charts(p: PhaseResult, idx: number, k: KroData, fits: ScalingFit[]): ChartSpec[] {
  const out: ChartSpec[] = [];
  const ops = roundOps(p, k);
  const last = k.rounds.length - 1;
  const r = k.rounds[last]!;
  const lastOps = ops[last] ?? {};
  const ready = lastOps['instance-ready'];
  if (ready && ready.count > ready.errors) {
    const { labels, shares } = shareHistogram(ready);
    out.push({
      id: `kro-hist-${idx}`,
      title: `${p.name}: time to ACTIVE, distribution${k.rounds.length > 1 ? ` (round ${last + 1})` : ''}`,
      kind: 'bar',
      labels,
      datasets: [{ label: 'share of instances', data: shares, color: 0 }],
      x: { title: 'create → ACTIVE (s)', type: 'category' },
      y: { title: 'share of instances (%)', unit: '%' },
    });
    const series = ['instance-ready', 'instance-update-ready', 'instance-deleted'].filter(
      (op) => lastOps[op] && lastOps[op]!.count > lastOps[op]!.errors,
    );
    out.push({
      id: `kro-cdf-${idx}`,
      title: `${p.name}: time to ACTIVE / re-ACTIVE / gone (CDF)`,
      kind: 'line',
      datasets: series.map((op, i) => ({ label: op, data: cdf(lastOps[op]!), color: i })),
      x: { title: 'seconds', unit: 's', log: true },
      y: { title: 'percentile', unit: '%' },
    });
  }
  if (r.curve.length > 1) {
    out.push({
      id: `kro-curve-${idx}`,
      title: `${p.name}: instances ACTIVE over time against instances created`,
      kind: 'line',
      datasets: [
        { label: 'created', data: r.curve.map((c) => ({ x: c.t, y: c.created })), color: 1, dashed: true },
        { label: 'ACTIVE', data: r.curve.map((c) => ({ x: c.t, y: c.active })), color: 0 },
      ],
      x: { title: 'seconds since the first create', unit: 's' },
      y: { title: 'instances' },
    });
  }
  const verbs = [
    ...new Set(k.rounds.flatMap((x) => Object.keys(x.apiServer?.byVerbPerInstance ?? {}))),
  ].sort();
  if (verbs.length) {
    out.push({
      id: `kro-api-${idx}`,
      title: `${p.name}: API requests per instance, by verb (all clients, API server counters)`,
      kind: 'bar',
      labels: verbs,
      datasets: k.rounds.slice(-4).map((x, i) => ({
        label:
          k.rounds.length > 1
            ? `round ${x.index + 1}${x.x !== undefined ? ` (x=${x.x})` : ''}`
            : 'requests per instance',
        data: verbs.map((v) => x.apiServer?.byVerbPerInstance[v] ?? 0),
        color: i,
      })),
      x: { title: 'verb', type: 'category' },
      y: { title: 'requests per instance' },
    });
  }
  const buckets = r.controller?.reconcileSeconds.buckets ?? [];
  if (buckets.length && buckets[buckets.length - 1]!.count > 0) {
    const total = buckets[buckets.length - 1]!.count;
    const labels = buckets.map((b, i) => (b.le === Infinity ? `> ${buckets[i - 1]?.le ?? 0}` : `≤ ${b.le}`));
    out.push({
      id: `kro-rec-${idx}`,
      title: `${p.name}: reconcile duration (dynamic_controller_reconcile_duration_seconds)`,
      kind: 'bar',
      labels,
      datasets: [
        {
          label: 'share of reconciles',
          data: buckets.map((b, i) => (100 * (b.count - (i ? buckets[i - 1]!.count : 0))) / total),
          color: 2,
        },
      ],
      x: { title: 'reconcile duration (s)', type: 'category' },
      y: { title: 'share of reconciles (%)', unit: '%' },
    });
  }
  if (r.queue.length > 1) {
    const withRss = r.queue.some((q) => q.rssBytes !== undefined);
    out.push({
      id: `kro-queue-${idx}`,
      title: `${p.name}: controller work queue over time`,
      kind: 'line',
      datasets: [
        { label: 'queue depth', data: r.queue.map((q) => ({ x: q.t, y: q.depth })), color: 0 },
        ...(withRss
          ? [
              {
                label: 'controller RSS (MB)',
                data: r.queue
                  .filter((q) => q.rssBytes !== undefined)
                  .map((q) => ({ x: q.t, y: q.rssBytes! / 1e6 })),
                yAxisID: 'y2' as const,
                color: 1,
              },
            ]
          : []),
      ],
      x: { title: 'seconds since the first create', unit: 's' },
      y: { title: 'items queued' },
      ...(withRss ? { y2: { title: 'RSS (MB)', unit: 'MB' } } : {}),
    });
  }
  for (const [j, f] of fits.filter((x) => x.phase === p.name && FITTED.has(x.metric)).entries()) {
    const xs = f.points.map((q) => q.x);
    const fitLine = (x: number) =>
      f.parameter === 'managedResources' && f.linear
        ? f.linear.intercept + f.linear.slope * x
        : f.power
          ? f.power.coefficient * x ** f.power.exponent
          : undefined;
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    const line = Array.from({ length: 20 }, (_, i) => lo + ((hi - lo) * i) / 19)
      .map((x) => ({ x, y: fitLine(x) }))
      .filter((q): q is { x: number; y: number } => q.y !== undefined && Number.isFinite(q.y));
    const scale = f.metric === 'rssBytes' ? 1e-6 : 1;
    const fitLabel =
      f.parameter === 'managedResources' && f.linear
        ? `fit ${bytes(f.linear.intercept)} + ${bytes(f.linear.slope)} per resource (R² ${f.linear.r2.toFixed(3)})`
        : f.power
          ? `fit ∝ x^${f.power.exponent.toFixed(2)} (R² ${f.power.r2.toFixed(3)})`
          : 'fit';
    out.push({
      id: `kro-fit-${idx}-${j}`,
      title: `${p.name}: ${METRIC_TITLE[f.metric] ?? f.metric} vs ${f.parameter}`,
      kind: 'scatter',
      datasets: [
        {
          label: 'measured',
          data: f.points.map((q) => ({ x: q.x, y: q.y * scale })),
          type: 'scatter',
          color: 0,
        },
        ...(line.length
          ? [
              {
                label: fitLabel,
                data: line.map((q) => ({ x: q.x, y: q.y * scale })),
                type: 'line' as const,
                dashed: true,
                color: 2,
              },
            ]
          : []),
      ],
      x: { title: f.parameter, log: wantsLog(xs) },
      y: {
        title: METRIC_TITLE[f.metric] ?? f.metric,
        unit: f.metric === 'rssBytes' ? 'MB' : f.metric.endsWith('.p99') ? 'ms' : '/s',
      },
    });
  }
  return out;
}

/** HTML: Round, Resources / depth and Limiting shaper are text, the rest numbers. */
const HTML_ALIGN = HEADER.map((_, i): 'l' | 'r' => (i && i !== 2 && i !== 11 ? 'r' : 'l'));

const FITTED = new Set(['instance-ready.p99', 'instancesPerSec', 'rssBytes']);
const METRIC_TITLE: Record<string, string> = {
  'instance-ready.p99': 'time to ACTIVE p99 (ms)',
  instancesPerSec: 'instances ACTIVE per second',
  rssBytes: 'controller memory (MB)',
};

export const kroSection: PhaseSection = {
  name: 'kro',
  html(p, ctx) {
    const k = kroData(p);
    if (!k) return undefined;
    const table = htmlTable(HEADER, rows(p, k), HTML_ALIGN);
    const shapers = k.rounds
      .map((r) => `<li>${k.rounds.length > 1 ? `round ${r.index + 1}: ` : ''}${e(r.shaper.text)}</li>`)
      .join('');
    return {
      html: `<h3>kro instances</h3><p>Work done by ${e(k.controllerDescription ?? k.controller)}. Times from watch events; API requests and watch events from the API server's counters, reconciles from the controller's /metrics.</p>${table}<ul>${shapers}</ul>`,
      charts: charts(p, ctx.index, k, ctx.analysis.scaling),
    };
  },
  markdown(p) {
    const k = kroData(p);
    if (!k) return undefined;
    return [
      `## kro instances (${p.name})`,
      '',
      `Work done by ${k.controllerDescription ?? k.controller}.`,
      '',
      mdTable(HEADER, rows(p, k), ['r', 'r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l']),
      '',
      ...k.rounds.map((r) => `- ${k.rounds.length > 1 ? `round ${r.index + 1}: ` : ''}${r.shaper.text}`),
      '',
    ];
  },
};
