/** HTML of a comparison: verdict, side-by-side charts per phase, delta table, trend charts. */
import type { Comparison } from '../analysis/compare.js';
import type { Results } from '../results/types.js';
import { wantsLog, type ChartSpec } from './chart-spec.js';
import { escapeHtml as e, formatValue, proseHtml } from './format.js';
import { signed } from './compare-markdown.js';
import { celExpressions } from '../analysis/select.js';
import { chartBox, renderPage } from './page.js';

export function renderCompareHtml(c: Comparison, base: Results, candidate: Results): string {
  const charts: ChartSpec[] = [];
  const parts: string[] = [];
  parts.push(
    `<header class="top"><div><h1>${e(candidate.name)} vs baseline</h1><div class="muted">baseline <code>${e(c.base.runId)}</code> (${e(c.base.startedAt)}) · candidate <code>${e(c.candidate.runId)}</code> (${e(c.candidate.startedAt)}) · tolerance ±${c.tolerancePct}% · α = ${c.alpha}</div></div><div><span class="badge ${c.verdict}" id="verdict">${c.verdict.toUpperCase()}</span></div></header>`,
  );
  if (c.warnings.length)
    parts.push(`<ul>${c.warnings.map((w) => `<li class="warn">${proseHtml(w)}</li>`).join('')}</ul>`);
  const byPhase = new Map(candidate.phases.map((p) => [p.name, p]));
  base.phases.forEach((bp, i) => {
    const cp = byPhase.get(bp.name);
    if (!cp) return;
    const ops = Object.keys(bp.ops).filter((op) => cp.ops[op]);
    if (!ops.length) return;
    const p99 = [ops.map((op) => bp.ops[op].latencyMs.p99), ops.map((op) => cp.ops[op].latencyMs.p99)];
    charts.push({
      id: `cmp-p99-${i}`,
      title: `${bp.name}: p99 latency, baseline vs candidate`,
      kind: 'bar',
      labels: ops,
      datasets: [
        { label: 'baseline', data: p99[0], color: 0 },
        { label: 'candidate', data: p99[1], color: 1 },
      ],
      x: { title: 'op', type: 'category' },
      y: { title: 'p99 (ms)', unit: 'ms', log: wantsLog(p99.flat()) },
    });
    charts.push({
      id: `cmp-tput-${i}`,
      title: `${bp.name}: throughput, baseline vs candidate`,
      kind: 'bar',
      labels: ops,
      datasets: [
        { label: 'baseline', data: ops.map((op) => bp.ops[op].throughput), color: 0 },
        { label: 'candidate', data: ops.map((op) => cp.ops[op].throughput), color: 1 },
      ],
      x: { title: 'op', type: 'category' },
      y: { title: 'successful ops/s', unit: '/s' },
    });
  });
  const cel = celSideBySide(base, candidate);
  if (cel) charts.push(cel);
  if (charts.length)
    parts.push(`<h2>Side by side</h2><div class="charts">${charts.map((s) => chartBox(s)).join('')}</div>`);
  const order = { regressed: 0, improved: 1, noise: 2, untested: 3, unchanged: 4 };
  const rows = [...c.metrics].sort((a, b) => order[a.status] - order[b.status]);
  parts.push(
    `<h2>Deltas</h2><table><thead><tr><th>Metric</th><th class="n">Baseline</th><th class="n">Candidate</th><th class="n">Δ</th><th>Status</th><th>Evidence</th></tr></thead><tbody>${rows
      .map(
        (m) =>
          `<tr><td>${e(m.key)}</td><td class="n">${e(formatValue(m.base, m.unit))}</td><td class="n">${e(formatValue(m.candidate, m.unit))}</td><td class="n">${m.deltaPct === null ? '–' : signed(m.deltaPct)}</td><td class="${m.status === 'regressed' ? 'bad' : m.status === 'improved' ? 'ok' : m.status === 'unchanged' ? '' : 'warn'}">${m.status}</td><td class="muted">${e(m.note)}</td></tr>`,
      )
      .join('')}</tbody></table>`,
  );
  if (c.trend) {
    const labels = c.trend.runs.map((r, i) => `#${i + 1} ${r.startedAt.slice(0, 16)}`);
    const trendCharts: ChartSpec[] = c.trend.metrics
      .filter((m) => /\.(p99|throughput|evalNs)$/.test(m.key))
      .slice(0, 24)
      .map((m, i) => ({
        id: `trend-${i}`,
        title: `${m.key}${m.changePct === null ? '' : ` (${signed(m.changePct)} first → last)`}`,
        kind: 'line' as const,
        labels,
        datasets: [{ label: m.key, data: m.values, color: i }],
        x: { title: 'run', type: 'category' as const },
        y: { title: m.unit, unit: m.unit },
      }));
    charts.push(...trendCharts);
    parts.push(
      `<h2>Trend across ${c.trend.runs.length} runs</h2><div class="charts">${trendCharts.map((s) => chartBox(s)).join('')}</div>`,
    );
  }
  return renderPage(`kubeperf compare: ${candidate.name} (${c.verdict})`, parts.join('\n'), charts);
}

function celSideBySide(base: Results, candidate: Results): ChartSpec | undefined {
  const b = new Map(base.phases.flatMap(celExpressions).map((x) => [x.name, x.evalNs]));
  const c = new Map(candidate.phases.flatMap(celExpressions).map((x) => [x.name, x.evalNs]));
  const names = [...b.keys()].filter((n) => typeof b.get(n) === 'number' && typeof c.get(n) === 'number');
  if (!names.length) return undefined;
  return {
    id: 'cmp-cel',
    title: 'CEL evaluation cost, baseline vs candidate (log scale)',
    kind: 'bar',
    labels: names,
    datasets: [
      { label: 'baseline', data: names.map((n) => b.get(n)!), color: 0 },
      { label: 'candidate', data: names.map((n) => c.get(n)!), color: 1 },
    ],
    x: { title: 'expression', type: 'category' },
    y: { title: 'evaluation (ns)', unit: 'ns', log: true },
  };
}
