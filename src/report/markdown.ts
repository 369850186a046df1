/**
 * The Markdown report, shaped like a performance analysis: summary, per-area tables (API operations,
 * CEL, resource graph, scaling, control-plane resources), observations, recommendations.
 * Short enough for a PR comment, complete enough for docs.
 */
import { isHeadlineMetric, unitOfMetric } from '../analysis/recommendations.js';
import { phaseRequests } from '../analysis/select.js';
import { intervalUnits } from '../analysis/stats.js';
import type { Results } from '../results/types.js';
import {
  bytes,
  duration,
  formatValue,
  mdTable,
  ms,
  num,
  pct,
  perSec,
  sweepShownNote,
  verdictWord,
} from './format.js';
import { reportModel } from './model.js';
import { phaseSections } from './sections/index.js';

export function renderMarkdown(results: Results): string {
  const { analysis } = reportModel(results);
  const r = results;
  const out: string[] = [];
  const runMs = r.endedAt ? Date.parse(r.endedAt) - Date.parse(r.startedAt) : NaN;
  out.push(`# Performance report: ${r.name}`, '');
  out.push(
    `**Verdict: ${verdictWord(r.verdict)}** · run \`${r.runId}\` · ${r.startedAt}${Number.isFinite(runMs) ? ` · ${duration(runMs)}` : ''}${r.interrupted ? ' · interrupted' : ''}`,
    '',
  );
  out.push('## Summary', '');
  const passed = r.thresholds.filter((t) => t.pass).length;
  const requests = r.phases.reduce((a, p) => a + phaseRequests(p).count, 0);
  const target =
    r.target.kind === 'none'
      ? 'none (no cluster needed)'
      : `${r.target.kind} \`${r.target.server}\` (Kubernetes ${r.target.version || 'unknown'})`;
  out.push(
    `- Target: ${target}; kubeperf ${r.tool.version}, Node ${r.environment.node}, ${r.environment.cpus} × ${r.environment.cpuModel}.`,
    `- ${r.phases.length} phase(s)${requests ? `, ${requests.toLocaleString('en-US')} API requests recorded` : ''}.`,
    r.thresholds.length
      ? `- Thresholds and SLO checks: ${passed}/${r.thresholds.length} passed.`
      : '- No thresholds or SLO checks configured.',
  );
  for (const reason of r.verdictReasons) out.push(`- ${reason}`);
  out.push('');

  if (r.thresholds.length) {
    out.push('## Thresholds and SLOs', '');
    out.push(
      mdTable(
        ['', 'Check', 'Actual', 'Limit', 'Source'],
        r.thresholds.map((t) => [
          t.pass ? '✅' : '❌',
          `\`${t.expression}\``,
          t.actual === null ? 'no data' : formatValue(t.actual, t.unit),
          formatValue(t.limit, t.unit),
          t.source === 'slo' ? 'Kubernetes SLO' : 'threshold',
        ]),
      ),
      '',
    );
  }

  const opPhases = r.phases.filter((p) => Object.keys(p.ops).length > 0);
  if (opPhases.length) {
    out.push('## API operations', '');
    out.push(
      'Latency of successful requests (ms) from HDR histograms; throughput in successful ops/s; CI = 95% confidence interval.',
      '',
    );
    const rows: string[][] = [];
    for (const p of opPhases) {
      const pa = analysis.phases.find((x) => x.name === p.name);
      for (const [op, s] of Object.entries(p.ops)) {
        const ci = pa?.ops[op]?.ci.p99;
        rows.push([
          p.name,
          op,
          s.count.toLocaleString('en-US'),
          s.errors ? `${s.errors} (${pct(s.errors / s.count)})` : '0',
          perSec(s.throughput),
          num(s.latencyMs.p50),
          num(s.latencyMs.p90),
          num(s.latencyMs.p99),
          num(s.latencyMs.p999),
          num(s.latencyMs.max),
          ci ? `${num(ci.low)}–${num(ci.high)}` : '–',
        ]);
      }
    }
    out.push(
      mdTable(
        ['Phase', 'Op', 'Requests', 'Errors', 'Throughput', 'p50', 'p90', 'p99', 'p99.9', 'Max', 'p99 CI'],
        rows,
        ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
      '',
    );
    for (const p of opPhases) {
      const shown = sweepShownNote(p);
      if (shown) out.push(`${p.name}: ${shown}`, '');
    }
  }

  for (const [index, p] of r.phases.entries())
    for (const section of phaseSections) {
      const lines = section.markdown?.(p, { results: r, analysis, index });
      if (lines) out.push(...lines);
    }

  if (analysis.scaling.length) {
    out.push('## Scaling', '');
    out.push(
      'Throughput, p99 and cost fits; the report.html and results.json (analysis.scaling) hold every metric.',
      '',
    );
    out.push(
      mdTable(
        ['Phase', 'Swept', 'Metric', 'Range', 'Linear fit', 'Power law', 'Knee'],
        analysis.scaling
          .filter((f) => isHeadlineMetric(f.metric))
          .map((f) => {
            const u = unitOfMetric(f.metric);
            const first = f.points[0];
            const last = f.points[f.points.length - 1];
            return [
              f.phase,
              f.parameter,
              f.metric,
              `${num(first.x)}–${num(last.x)}: ${formatValue(first.y, u)} → ${formatValue(last.y, u)}`,
              f.linear
                ? `${formatValue(f.linear.intercept, u)} + ${formatValue(f.linear.slope, u)}/unit (R² ${f.linear.r2.toFixed(2)})`
                : '–',
              f.power ? `x^${f.power.exponent.toFixed(2)} (R² ${f.power.r2.toFixed(2)})` : '–',
              f.knee ? `beyond ${num(f.knee.x)}` : '–',
            ];
          }),
      ),
      '',
    );
  }

  const res = r.phases.filter((p) => p.resources);
  if (res.length) {
    out.push('## Control-plane resources', '');
    out.push(
      mdTable(
        ['Phase', 'CPU mean', 'CPU max', 'RSS mean', 'RSS max', 'Source'],
        res.map((p) => [
          p.name,
          formatValue(p.resources!.cpuCores.mean, 'cores'),
          formatValue(p.resources!.cpuCores.max, 'cores'),
          bytes(p.resources!.rssBytes.mean),
          bytes(p.resources!.rssBytes.max),
          p.resources!.source,
        ]),
      ),
      '',
    );
  }

  const observations: string[] = [];
  for (const pa of analysis.phases) {
    const notes = new Map<string, string[]>();
    for (const [op, a] of Object.entries(pa.ops))
      notes.set(a.steadyState.note, [...(notes.get(a.steadyState.note) ?? []), op]);
    for (const [note, ops] of notes) observations.push(`${pa.name} (${ops.join(', ')}): ${note}.`);
    for (const [op, a] of Object.entries(pa.ops)) {
      const t = a.ci.throughput;
      const p99 = a.ci.p99;
      const parts = [
        t
          ? `steady throughput ${perSec(t.estimate)} (95% CI ${perSec(t.low)}–${perSec(t.high)} over ${t.n} ${intervalUnits(t.method)})`
          : '',
        p99
          ? `p99 ${ms(a.latencyMs.p99)} (95% CI ${ms(p99.low)}–${ms(p99.high)})`
          : `p99 ${ms(a.latencyMs.p99)} (too few requests for a CI)`,
      ].filter(Boolean);
      observations.push(`${pa.name} ${op}: ${parts.join('; ')}.`);
    }
  }
  for (const p of r.phases) for (const w of p.warnings ?? []) observations.push(`${p.name}: ${w}`);
  for (const w of r.warnings) observations.push(w);
  if (observations.length) {
    out.push('## Observations', '');
    for (const o of observations) out.push(`- ${o}`);
    out.push('');
  }
  out.push('## Recommendations', '');
  if (analysis.recommendations.length)
    for (const rec of analysis.recommendations) out.push(`- **${rec.area}**: ${rec.text}`);
  else out.push('- None: no fit, threshold or error pattern in this run calls for action.');
  out.push('');
  return out.join('\n');
}
