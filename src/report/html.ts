/** The HTML report of one run: header, thresholds, recommendations, per-phase tables and charts. */
import { isHeadlineMetric } from '../analysis/recommendations.js';
import { opNames, phaseRequests } from '../analysis/select.js';
import type { Results } from '../results/types.js';
import type { ChartSpec } from './chart-spec.js';
import { phaseCharts, resourcesByPhaseChart, sweepCharts } from './charts.js';
import {
  bytes,
  duration,
  escapeHtml as e,
  formatValue,
  num,
  pct,
  perSec,
  proseHtml,
  sweepShownNote,
  verdictWord,
} from './format.js';
import { reportModel } from './model.js';
import { chartBox, renderPage } from './page.js';
import { phaseSections } from './sections/index.js';
import { runSnapshots, snapshotCharts } from './sections/container-usage.js';

export function renderHtml(results: Results): string {
  const { analysis } = reportModel(results);
  const r = results;
  const charts: ChartSpec[] = [];
  const parts: string[] = [];
  const runMs = r.endedAt ? Date.parse(r.endedAt) - Date.parse(r.startedAt) : NaN;
  parts.push(`<header class="top"><div><h1>${e(r.name)}</h1><div class="muted">kubeperf performance report · run <code>${e(r.runId)}</code></div></div>
<div><span class="badge ${r.verdict}" id="verdict">${verdictWord(r.verdict)}</span></div></header>`);
  const env: [string, string][] = [
    ['Started', r.startedAt],
    ['Duration', Number.isFinite(runMs) ? duration(runMs) : r.interrupted ? 'interrupted' : '–'],
    ['Target', r.target.kind === 'none' ? 'none (no cluster needed)' : `${r.target.kind} ${r.target.server}`],
    ['Kubernetes', r.target.version || 'unknown'],
    ['kubeperf', r.tool.version],
    ['Node', r.environment.node],
    [
      'Machine',
      `${r.environment.cpus} × ${r.environment.cpuModel}, ${bytes(r.environment.totalMemoryBytes)}`,
    ],
    ['OS', `${r.environment.os}/${r.environment.arch}`],
  ];
  parts.push(
    `<section class="env">${env.map(([k, v]) => `<div><span>${e(k)}</span>${e(v)}</div>`).join('')}</section>`,
  );
  parts.push(kpis(r));
  if (r.verdictReasons.length)
    parts.push(
      `<ul class="reasons">${r.verdictReasons.map((x) => `<li class="${r.verdict === 'invalid' ? 'warn' : 'bad'}">${e(x)}</li>`).join('')}</ul>`,
    );

  if (r.thresholds.length) {
    parts.push(
      `<h2>Thresholds and SLOs</h2><table><thead><tr><th></th><th>Check</th><th class="n">Actual</th><th class="n">Limit</th><th>Source</th><th>Detail</th></tr></thead><tbody>${r.thresholds
        .map(
          (t) =>
            `<tr><td class="${t.pass ? 'ok' : 'bad'}">${t.pass ? 'pass' : 'FAIL'}</td><td><code>${e(t.expression)}</code></td><td class="n">${t.actual === null ? 'no data' : e(formatValue(t.actual, t.unit))}</td><td class="n">${e(formatValue(t.limit, t.unit))}</td><td>${t.source === 'slo' ? 'Kubernetes SLO' : 'threshold'}</td><td class="muted">${e(t.message)}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    );
  }

  parts.push('<h2>Recommendations</h2>');
  parts.push(
    analysis.recommendations.length
      ? `<ul class="recs">${analysis.recommendations.map((x) => `<li><b>${e(x.area)}</b>: ${proseHtml(x.text)}</li>`).join('')}</ul>`
      : '<p class="muted">None: no fit, threshold or error pattern in this run calls for action.</p>',
  );

  const allOps = opNames(r.phases);
  r.phases.forEach((p, idx) => {
    const pa = analysis.phases.find((x) => x.name === p.name);
    parts.push(
      `<h2>Phase ${e(p.name)} <span class="muted">(${e(p.type)}, ${e(p.status)}, ${duration(p.durationMs)})</span></h2>`,
    );
    if (p.error) parts.push(`<p class="bad">${e(p.error)}</p>`);
    for (const x of p.invalidReasons ?? []) parts.push(`<p class="warn">invalid: ${e(x)}</p>`);
    for (const w of p.warnings ?? []) parts.push(`<p class="warn">${proseHtml(w)}</p>`);
    const ops = Object.entries(p.ops);
    const shown = sweepShownNote(p);
    if (shown && ops.length) parts.push(`<p class="muted">${e(shown)}</p>`);
    if (ops.length) {
      parts.push(
        `<table><thead><tr><th>Op</th><th class="n">Requests</th><th class="n">Errors</th><th class="n">Retries</th><th class="n">Throughput</th><th class="n">min</th><th class="n">mean</th><th class="n">p50</th><th class="n">p90</th><th class="n">p95</th><th class="n">p99</th><th class="n">p99.9</th><th class="n">max</th><th class="n">p99 95% CI</th><th>Steady state</th></tr></thead><tbody>${ops
          .map(([op, s]) => {
            const a = pa?.ops[op];
            const ci = a?.ci.p99;
            const l = s.latencyMs;
            const errs = s.errors
              ? `${s.errors} (${pct(s.errors / s.count)})<br><span class="muted">${e(
                  Object.entries(s.errorsByReason)
                    .map(([k, v]) => `${k} ×${v}`)
                    .join(', '),
                )}</span>`
              : '0';
            return `<tr><td>${e(op)}</td><td class="n">${s.count.toLocaleString('en-US')}</td><td class="n">${errs}</td><td class="n">${s.retries}</td><td class="n">${perSec(s.throughput)}</td>${[l.min, l.mean, l.p50, l.p90, l.p95, l.p99, l.p999, l.max].map((v) => `<td class="n">${num(v)}</td>`).join('')}<td class="n">${ci ? `${num(ci.low)}–${num(ci.high)}` : '–'}</td><td class="muted">${e(a?.steadyState.note ?? '')}</td></tr>`;
          })
          .join(
            '',
          )}</tbody></table><p class="muted">Latency in ms of successful requests, from HDR histograms.</p>`,
      );
    }
    if (p.resources) {
      const res = p.resources;
      parts.push(
        `<p>Control plane (${e(res.source)}): CPU mean ${e(formatValue(res.cpuCores.mean, 'cores'))}, max ${e(formatValue(res.cpuCores.max, 'cores'))}; RSS mean ${bytes(res.rssBytes.mean)}, max ${bytes(res.rssBytes.max)}.</p>`,
      );
    }
    const specs = [...phaseCharts(p, idx, allOps), ...sweepCharts(p, idx)];
    for (const section of phaseSections) {
      const out = section.html?.(p, { results: r, analysis, index: idx });
      if (!out) continue;
      parts.push(out.html);
      specs.push(...(out.charts ?? []));
    }
    if (specs.length) parts.push(`<div class="charts">${specs.map((s) => chartBox(s)).join('')}</div>`);
    charts.push(...specs);
  });

  const byPhase = resourcesByPhaseChart(r.phases);
  if (byPhase) {
    parts.push(`<h2>Control plane per phase</h2><div class="charts">${chartBox(byPhase, true)}</div>`);
    charts.push(byPhase);
  }
  const snapshots = runSnapshots(r.phases);
  if (new Set(snapshots.map((s) => s.label.split(' ')[0])).size > 1) {
    const specs = snapshotCharts('containers-run', 'Containers per phase', snapshots);
    parts.push(
      `<h2>Containers per phase</h2><div class="charts">${specs.map((s) => chartBox(s)).join('')}</div>`,
    );
    charts.push(...specs);
  }
  const headline = analysis.scaling.filter((f) => isHeadlineMetric(f.metric));
  if (headline.length) {
    parts.push(
      `<h2>Scaling fits</h2><p class="muted">Throughput, p99 and cost metrics; results.json (analysis.scaling) holds the fits of every metric.</p><table><thead><tr><th>Phase</th><th>Swept</th><th>Metric</th><th class="n">Points</th><th>Linear (base + per unit)</th><th>Power law</th><th>Knee</th></tr></thead><tbody>${headline
        .map(
          (f) =>
            `<tr><td>${e(f.phase)}</td><td>${e(f.parameter)}</td><td>${e(f.metric)}</td><td class="n">${f.points.length}</td><td>${f.linear ? `${num(f.linear.intercept)} + ${num(f.linear.slope)}·x (R² ${f.linear.r2.toFixed(3)})` : '–'}</td><td>${f.power ? `x<sup>${f.power.exponent.toFixed(2)}</sup> (R² ${f.power.r2.toFixed(3)})` : '–'}</td><td>${f.knee ? `beyond ${num(f.knee.x)}` : '–'}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    );
  }
  if (r.warnings.length)
    parts.push(
      `<h2>Warnings</h2><ul>${r.warnings.map((w) => `<li class="warn">${proseHtml(w)}</li>`).join('')}</ul>`,
    );
  parts.push(
    `<p class="muted">Generated by kubeperf ${e(r.tool.version)}. Charts: hover for values, click a legend entry to hide or show a series.</p>`,
  );
  return renderPage(`kubeperf: ${r.name} (${verdictWord(r.verdict)})`, parts.join('\n'), charts);
}

/** Headline numbers of the run, each measured (no card when there is nothing to show). */
function kpis(r: Results): string {
  const cards: [string, string, string?][] = [];
  let requests = 0;
  let errors = 0;
  let worst: { label: string; p99: number } | undefined;
  let fastest: { label: string; tput: number } | undefined;
  for (const p of r.phases) {
    // A sweep's requests at every point, though its op table shows one.
    const all = phaseRequests(p);
    requests += all.count;
    errors += all.errors;
    for (const [op, s] of Object.entries(p.ops)) {
      if (op !== 'readiness' && s.count > s.errors && (!worst || s.latencyMs.p99 > worst.p99))
        worst = { label: `${p.name} ${op}`, p99: s.latencyMs.p99 };
      if (op !== 'readiness' && (!fastest || s.throughput > fastest.tput))
        fastest = { label: `${p.name} ${op}`, tput: s.throughput };
    }
  }
  if (requests) {
    cards.push(['API requests', requests.toLocaleString('en-US')]);
    cards.push([
      'Error rate',
      pct(errors / requests),
      errors ? `${errors.toLocaleString('en-US')} failed` : undefined,
    ]);
  }
  if (fastest) cards.push(['Highest throughput', perSec(fastest.tput), fastest.label]);
  if (worst) cards.push(['Worst p99', formatValue(worst.p99, 'ms'), worst.label]);
  const ready = r.phases.map((p) => p.ops.readiness).filter((s) => s && s.count > s.errors);
  if (ready.length)
    cards.push(['Time to Ready p99', formatValue(Math.max(...ready.map((s) => s.latencyMs.p99)), 'ms')]);
  if (r.thresholds.length) {
    const passed = r.thresholds.filter((t) => t.pass).length;
    cards.push([
      'Checks passed',
      `${passed}/${r.thresholds.length}`,
      passed < r.thresholds.length ? 'see below' : undefined,
    ]);
  }
  if (!cards.length) return '';
  return `<section class="kpis">${cards.map(([k, v, sub]) => `<div><span>${e(k)}</span><b>${e(v)}</b>${sub ? `<small>${e(sub)}</small>` : ''}</div>`).join('')}</section>`;
}
