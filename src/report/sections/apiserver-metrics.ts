/**
 * The API server's view of a phase (apiserverMetrics): server-side latency per op beside the client's
 * with the gap between them, requests per verb/resource/code, objects in storage before/after.
 */
import type { ApiserverLatency, ApiserverMetricsData } from '../../measurements/apiserver-metrics.js';
import type { PhaseResult } from '../../results/types.js';
import type { ChartSpec } from '../chart-spec.js';
import { bytes, escapeHtml as e, mdTable, ms, num } from '../format.js';
import { htmlHeading, mdHeading, measurementsOf } from './measurement-data.js';
import type { PhaseSection } from './types.js';

/** Client op → the server verbs that count it (SSA patches are APPLY on the server). */
const VERBS: Record<string, string[]> = {
  create: ['POST'],
  get: ['GET'],
  update: ['PUT'],
  patch: ['PATCH', 'APPLY'],
  delete: ['DELETE'],
  list: ['LIST'],
  'list-paged': ['LIST'],
};

export interface LatencyGap {
  op: string;
  clientCount: number;
  clientP50: number;
  clientP99: number;
  server: ApiserverLatency;
  /** client p99 − server p99, ms: network, client queueing and the client itself. */
  gapP99: number;
}

/** Pairs each client op with the server row of its verb that carried the most requests. */
function latencyGaps(p: PhaseResult, d: ApiserverMetricsData): LatencyGap[] {
  const out: LatencyGap[] = [];
  for (const [op, st] of Object.entries(p.ops)) {
    const verbs = VERBS[op];
    if (!verbs || st.count === st.errors) continue;
    const server = d.latency
      .filter((l) => verbs.includes(l.verb) && l.resource !== '')
      .sort((a, b) => b.count - a.count)[0];
    if (!server) continue;
    out.push({
      op,
      clientCount: st.count - st.errors,
      clientP50: st.latencyMs.p50,
      clientP99: st.latencyMs.p99,
      server,
      gapP99: Math.round((st.latencyMs.p99 - server.p99Ms) * 1000) / 1000,
    });
  }
  return out;
}

const bucket = (l: ApiserverLatency) =>
  `${ms(l.p99BucketMs[0])}–${l.p99BucketMs[1] === null ? '∞' : ms(l.p99BucketMs[1])}`;
/** `POST configmaps`, `PUT deployments.apps/status`, or `GET /metrics` for a non-resource path. */
const what = (l: { verb: string; resource: string; subresource: string; group?: string }) =>
  l.resource
    ? `${l.verb} ${l.resource}${l.group ? `.${l.group}` : ''}${l.subresource ? `/${l.subresource}` : ''}`
    : `${l.verb} ${l.subresource}`;

function requestRows(d: ApiserverMetricsData, limit = 15) {
  const byWhat = new Map<string, { key: string; total: number; codes: string[] }>();
  for (const r of d.requests) {
    const key = what(r);
    const g = byWhat.get(key) ?? { key, total: 0, codes: [] };
    g.total += r.count;
    g.codes.push(`${r.code}×${num(r.count)}`);
    byWhat.set(key, g);
  }
  return [...byWhat.values()].sort((a, b) => b.total - a.total).slice(0, limit);
}

function storageRows(d: ApiserverMetricsData) {
  return d.storageObjects.filter((s) => s.before !== s.after || (s.after ?? 0) > 0).slice(0, 20);
}

function costLine(d: ApiserverMetricsData): string {
  const kb = d.cost.bytes.map(bytes).join(' / ');
  return `Scrape cost (before / after): ${kb}, fetch ${d.cost.fetchMs.map(ms).join(' / ')}, parse ${d.cost.parseMs.map(ms).join(' / ')}.`;
}

function gapChart(p: PhaseResult, index: number, gaps: LatencyGap[]): ChartSpec {
  return {
    id: `apiserver-gap-${index}`,
    title: `${p.name}: p99 latency, client vs API server`,
    kind: 'bar',
    labels: gaps.map((g) => g.op),
    datasets: [
      { label: 'client p99', data: gaps.map((g) => g.clientP99), color: 0 },
      { label: 'server p99 (buckets)', data: gaps.map((g) => g.server.p99Ms), color: 1 },
    ],
    x: { title: 'op', type: 'category' },
    y: { title: 'p99 (ms)', unit: 'ms' },
  };
}

export const apiserverMetricsSection: PhaseSection = {
  name: 'apiserverMetrics',
  html(p, ctx) {
    const parts: string[] = [];
    const charts: ChartSpec[] = [];
    for (const [name, m, d] of measurementsOf<ApiserverMetricsData>(p, 'apiserverMetrics')) {
      parts.push(htmlHeading('API server view', name, m));
      if (!d) continue;
      const gaps = latencyGaps(p, d);
      if (gaps.length) {
        parts.push(
          `<table><thead><tr><th>Op</th><th>Server verb/resource</th><th class="n">Client ok</th><th class="n">Server count</th><th class="n">Client p50</th><th class="n">Server p50</th><th class="n">Client p99</th><th class="n">Server p99</th><th class="n">p99 bucket</th><th class="n">Gap p99</th></tr></thead><tbody>${gaps
            .map(
              (g) =>
                `<tr><td>${e(g.op)}</td><td>${e(what(g.server))}</td><td class="n">${num(g.clientCount)}</td><td class="n">${num(g.server.count)}</td><td class="n">${e(ms(g.clientP50))}</td><td class="n">${e(ms(g.server.p50Ms))}</td><td class="n">${e(ms(g.clientP99))}</td><td class="n">${e(ms(g.server.p99Ms))}</td><td class="n">${e(bucket(g.server))}</td><td class="n">${e(ms(g.gapP99))}</td></tr>`,
            )
            .join(
              '',
            )}</tbody></table><p class="muted">Server percentiles come from apiserver_request_duration_seconds bucket diffs (interpolated inside the bucket shown), client ones from HDR histograms; the gap is network, client queueing and the client.</p>`,
        );
        charts.push(gapChart(p, ctx.index, gaps));
      }
      const reqs = requestRows(d);
      if (reqs.length)
        parts.push(
          `<table><thead><tr><th>Requests (server)</th><th class="n">Count</th><th>By code</th></tr></thead><tbody>${reqs
            .map(
              (r) =>
                `<tr><td>${e(r.key)}</td><td class="n">${num(r.total)}</td><td>${e(r.codes.join(', '))}</td></tr>`,
            )
            .join('')}</tbody></table>`,
        );
      const st = storageRows(d);
      if (st.length)
        parts.push(
          `<table><thead><tr><th>Objects in storage</th><th class="n">Before</th><th class="n">After</th><th class="n">Change</th></tr></thead><tbody>${st
            .map(
              (s) =>
                `<tr><td>${e(s.resource)}</td><td class="n">${s.before === null ? '–' : num(s.before)}</td><td class="n">${s.after === null ? '–' : num(s.after)}</td><td class="n">${num((s.after ?? 0) - (s.before ?? 0))}</td></tr>`,
            )
            .join('')}</tbody></table>`,
        );
      const rejected =
        d.terminations.reduce((a, t) => a + t.count, 0) + d.apfRejected.reduce((a, t) => a + t.count, 0);
      parts.push(
        `<p class="muted">Inflight after: ${e(
          Object.entries(d.inflight.after)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ') || '–',
        )}; rejected (max-inflight, APF): ${num(rejected)}; open watches ${num(d.watches.openBefore)} → ${num(d.watches.openAfter)}. ${e(costLine(d))}</p>`,
      );
    }
    return parts.length ? { html: parts.join(''), charts } : undefined;
  },
  markdown(p) {
    const out: string[] = [];
    for (const [name, m, d] of measurementsOf<ApiserverMetricsData>(p, 'apiserverMetrics')) {
      out.push(...mdHeading('API server view', p, name, m));
      if (!d) continue;
      const gaps = latencyGaps(p, d);
      if (gaps.length)
        out.push(
          mdTable(
            ['Op', 'Server', 'Client p50', 'Server p50', 'Client p99', 'Server p99', 'p99 bucket', 'Gap p99'],
            gaps.map((g) => [
              g.op,
              what(g.server),
              ms(g.clientP50),
              ms(g.server.p50Ms),
              ms(g.clientP99),
              ms(g.server.p99Ms),
              bucket(g.server),
              ms(g.gapP99),
            ]),
            ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
          ),
          '',
        );
      const reqs = requestRows(d, 10);
      if (reqs.length)
        out.push(
          mdTable(
            ['Requests (server)', 'Count', 'By code'],
            reqs.map((r) => [r.key, num(r.total), r.codes.join(', ')]),
            ['l', 'r', 'l'],
          ),
          '',
        );
      const st = storageRows(d);
      if (st.length)
        out.push(
          mdTable(
            ['Objects in storage', 'Before', 'After'],
            st.map((s) => [
              s.resource,
              s.before === null ? '–' : num(s.before),
              s.after === null ? '–' : num(s.after),
            ]),
            ['l', 'r', 'r'],
          ),
          '',
        );
      out.push(costLine(d), '');
    }
    return out.length ? out : undefined;
  },
};
