/**
 * The `attached-routes` phase's own section: setup and teardown (or add-all and remove-all) beside
 * their thresholds and what kgateway's polls would have reported, status writes per step, and charts:
 * attachedRoutes over time during the baseline against the routes created (batch boundaries marked),
 * status writes per step (the watch's count beside the API server's and the controller's), and the
 * per-route time-to-Accepted distribution.
 */
import { attachedRoutesData, duration, headlines } from '../../phases/attached-routes/format.js';
import type { AttachedRoutesData } from '../../phases/attached-routes/run.js';
import type { PhaseResult } from '../../results/types.js';
import type { ChartSpec } from '../chart-spec.js';
import { escapeHtml as e, htmlTable, mdTable, num } from '../format.js';
import { shareHistogram } from './distribution.js';
import type { PhaseSection } from './types.js';

interface Row {
  metric: string;
  measured?: number;
  poll?: number;
  pollName?: string;
  limit?: { ms: number; source: string; expression: string };
  pass?: boolean;
}

function rows(
  p: PhaseResult,
  d: AttachedRoutesData,
  results: { expression: string; pass: boolean }[],
): Row[] {
  const limit = (op: string) => {
    const t = d.thresholds.find((x) => x.op === op);
    return t ? { ms: t.limitMs, source: t.source, expression: t.expression } : undefined;
  };
  const pass = (op: string) => results.find((r) => r.expression === limit(op)?.expression)?.pass;
  if (d.methodology === 'incremental')
    return [
      {
        metric: 'setup (one more route → attachedRoutes N+1)',
        measured: d.setupMs,
        poll: d.kgatewayPoll?.setupMs,
        pollName: '1 s',
        limit: limit('setup'),
        pass: pass('setup'),
      },
      {
        metric: 'teardown (its delete → attachedRoutes N)',
        measured: d.teardownMs,
        poll: d.kgatewayPoll?.teardownMs,
        pollName: '100 ms',
        limit: limit('teardown'),
        pass: pass('teardown'),
      },
      {
        metric: `translation of the ${num(d.routes)}-route baseline`,
        measured: d.translationMs,
        poll: d.kgatewayPoll?.translationMs,
        pollName: '5 s',
      },
      ...(d.restartMs !== undefined ? [{ metric: 'controller restart', measured: d.restartMs }] : []),
      { metric: 'Gateway Programmed after create', measured: d.programmedMs },
    ];
  return [
    {
      metric: `add-all (last create → attachedRoutes ${num(d.routes)})`,
      measured: d.addAllMs,
      limit: limit('add-all'),
      pass: pass('add-all'),
    },
    {
      metric: 'remove-all (first delete → attachedRoutes 0)',
      measured: d.removeAllMs,
      limit: limit('remove-all'),
      pass: pass('remove-all'),
    },
    { metric: 'Gateway Programmed after create', measured: d.programmedMs },
  ];
}

const HEADER = ['Measurement', 'Watch (ms precision)', "kgateway's poll would report", 'Limit', 'Result'];

function cells(r: Row): string[] {
  return [
    r.metric,
    duration(r.measured),
    r.poll !== undefined ? `${duration(r.poll)} (${r.pollName} poll)` : '–',
    r.limit ? `< ${duration(r.limit.ms)}${r.limit.source === 'kgateway' ? " (kgateway's)" : ''}` : '–',
    r.limit ? (r.pass === undefined ? 'not evaluated' : r.pass ? 'pass' : 'FAIL') : '–',
  ];
}

const STEP_HEADER = [
  'Step',
  'Took',
  'Gateway status writes',
  'HTTPRoute status writes',
  'API status requests',
  'Controller-reported writes',
  'Controller CPU',
];

function stepCells(d: AttachedRoutesData): string[][] {
  const sum = (m: Record<string, number> | undefined) =>
    m ? num(Object.values(m).reduce((a, b) => a + b, 0)) : '–';
  return d.steps.map((s) => [
    s.name,
    duration(s.durationMs),
    num(s.gatewayStatusWrites),
    num(s.routeStatusWrites),
    sum(s.counters.apiStatusWrites),
    sum(s.counters.controllerStatusWrites),
    s.counters.controllerCpuSeconds !== undefined ? `${s.counters.controllerCpuSeconds.toFixed(2)} s` : '–',
  ]);
}

function charts(p: PhaseResult, d: AttachedRoutesData, idx: number): ChartSpec[] {
  const out: ChartSpec[] = [];
  if (d.curve.length) {
    // Routes are created during a batch and not during its grace period.
    const created: { x: number; y: number }[] = [];
    let before = 0;
    for (const b of d.batches) {
      created.push({ x: b.start ?? b.t, y: before }, { x: b.t, y: b.created });
      before = b.created;
    }
    out.push({
      id: `gateway-curve-${idx}`,
      title: `${p.name}: listeners[0].attachedRoutes over time ${d.methodology === 'incremental' ? 'during the baseline' : 'during add-all'}, against the routes created`,
      kind: 'line',
      datasets: [
        {
          label: 'attachedRoutes (Gateway status, watch)',
          data: d.curve.map((c) => ({ x: c.t, y: c.attachedRoutes })),
          color: 0,
        },
        { label: 'routes created', data: created, color: 1, dashed: true },
        ...(d.batches.length > 1
          ? [
              {
                label: 'batch boundary',
                data: d.batches.map((b) => ({ x: b.t, y: b.created })),
                type: 'scatter' as const,
                color: 3,
              },
            ]
          : []),
      ],
      x: { title: 'seconds since the first route create', unit: 's' },
      y: { title: 'routes' },
    });
  }
  if (d.steps.length) {
    const api = d.steps.some((s) => s.counters.apiStatusWrites);
    out.push({
      id: `gateway-writes-${idx}`,
      title: `${p.name}: status writes per step (distinct resourceVersions seen by the watch${api ? '; API server status requests' : ''})`,
      kind: 'bar',
      labels: d.steps.map((s) => s.name),
      datasets: [
        { label: 'Gateway', data: d.steps.map((s) => s.gatewayStatusWrites), color: 0 },
        { label: 'HTTPRoute', data: d.steps.map((s) => s.routeStatusWrites), color: 1 },
        ...(api
          ? [
              {
                label: 'API server status requests',
                data: d.steps.map((s) =>
                  Object.values(s.counters.apiStatusWrites ?? {}).reduce((a, b) => a + b, 0),
                ),
                color: 2,
              },
            ]
          : []),
      ],
      x: { title: 'step', type: 'category' },
      y: { title: 'writes' },
    });
  }
  const acc = p.ops['route-accepted'];
  if (acc && acc.count > acc.errors) {
    const { labels, shares } = shareHistogram(acc);
    out.push({
      id: `gateway-accepted-${idx}`,
      title: `${p.name}: time from each route's create to its Accepted=True parent status (${num(acc.count)} routes; p50 ${duration(acc.latencyMs.p50)}, p99 ${duration(acc.latencyMs.p99)})`,
      kind: 'bar',
      labels,
      datasets: [{ label: 'share of routes', data: shares, color: 0 }],
      x: { title: 'create → Accepted (s)', type: 'category' },
      y: { title: 'share of routes (%)', unit: '%' },
    });
  }
  return out;
}

/** HTML: the first column is text, the rest numbers. */
const table = (header: string[], body: string[][]) =>
  htmlTable(
    header,
    body,
    header.map((_, i) => (i ? 'r' : 'l')),
  );

export const gatewaySection: PhaseSection = {
  name: 'gateway',
  html(p, ctx) {
    const d = attachedRoutesData(p.data);
    if (!d) return undefined;
    const r = rows(p, d, ctx.results.thresholds);
    const method =
      d.methodology === 'incremental'
        ? `kgateway's incremental methodology: ${num(d.routes)} baseline routes in batches of ${num(d.batchSize)} (${d.gracePeriodMs} ms grace), then one route added and removed`
        : `gateway-api-bench's bulk methodology: ${num(d.routes)} routes added, then all removed`;
    return {
      html:
        `<h3>Gateway API attached routes</h3><p>${e(method)}. Work done by ${e(d.controller.description)}; Gateway ${e(`${d.gateway.namespace}/${d.gateway.name}`)} of class ${e(d.gateway.className)}${d.backends ? `; ${num(d.backends.services)} simulated backends` : ''}. Times from watch events at millisecond precision.</p>` +
        table(HEADER, r.map(cells)) +
        `<ul>${headlines(d)
          .filter((l) => /^(status writes|controller|API server|routes Accepted|spec violation)/.test(l))
          .map((l) => `<li>${e(l)}</li>`)
          .join('')}</ul>` +
        table(STEP_HEADER, stepCells(d)),
      charts: charts(p, d, ctx.index),
    };
  },
  markdown(p, ctx) {
    const d = attachedRoutesData(p.data);
    if (!d) return undefined;
    return [
      `## Gateway API attached routes (${p.name}, ${d.methodology})`,
      '',
      mdTable(HEADER, rows(p, d, ctx.results.thresholds).map(cells), ['l', 'r', 'r', 'r', 'l']),
      '',
      ...headlines(d)
        .filter((l) => /^(status writes|controller|API server|routes Accepted|spec violation)/.test(l))
        .map((l) => `- ${l}`),
      '',
      mdTable(STEP_HEADER, stepCells(d), ['l', 'r', 'r', 'r', 'r', 'r', 'r']),
      '',
    ];
  },
};
