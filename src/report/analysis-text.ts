/**
 * `kubeperf analyze` in the terminal: the statistics, confidence intervals, steady state, scaling
 * fits, checks and recommendations of a run as plain text (the same analysis the reports render).
 */
import { isHeadlineMetric, unitOfMetric } from '../analysis/recommendations.js';
import type { Analysis } from '../analysis/types.js';
import { intervalUnits } from '../analysis/stats.js';
import type { Results } from '../results/types.js';
import { formatValue, ms, num, perSec, sweepShownNote, verdictWord } from './format.js';

export function renderAnalysisText(r: Results, analysis: Analysis): string {
  const out: string[] = [];
  out.push(
    `${r.name}: ${verdictWord(r.verdict)}${r.interrupted ? ' (interrupted)' : ''} · run ${r.runId} · ${r.startedAt}`,
  );
  for (const reason of r.verdictReasons) out.push(`  - ${reason}`);

  for (const pa of analysis.phases) {
    const p = r.phases.find((x) => x.name === pa.name);
    if (!Object.keys(pa.ops).length) continue;
    out.push('', `${pa.name} (${pa.type})${pa.repeats ? `, ${pa.repeats} repeats` : ''}`);
    const shown = p && sweepShownNote(p);
    if (shown) out.push(`  ${shown}`);
    for (const [op, a] of Object.entries(pa.ops)) {
      const t = a.ci.throughput;
      const p99 = a.ci.p99;
      out.push(
        `  ${op}: ${a.count.toLocaleString('en-US')} requests, ${a.errors} errors (${formatValue(a.errorRate, '%')}), ` +
          `p50 ${ms(a.latencyMs.p50)}, p99 ${ms(a.latencyMs.p99)}` +
          (p99 ? ` (95% CI ${ms(p99.low)}–${ms(p99.high)})` : ' (too few requests for a CI)'),
      );
      out.push(
        `    throughput ${perSec(a.throughput)}` +
          (t
            ? `; steady ${perSec(t.estimate)} (95% CI ${perSec(t.low)}–${perSec(t.high)} over ${t.n} ${intervalUnits(t.method)})`
            : '') +
          `; ${a.steadyState.note}`,
      );
    }
  }

  const fits = analysis.scaling.filter((f) => isHeadlineMetric(f.metric));
  if (fits.length) {
    out.push('', 'scaling fits:');
    for (const f of fits) {
      const u = unitOfMetric(f.metric);
      const first = f.points[0]!;
      const last = f.points[f.points.length - 1]!;
      const parts = [
        `${f.phase} ${f.metric} over ${f.parameter} ${num(first.x)}–${num(last.x)}: ${formatValue(first.y, u)} → ${formatValue(last.y, u)}`,
        f.linear ? `linear R² ${f.linear.r2.toFixed(2)}` : '',
        f.power ? `power x^${f.power.exponent.toFixed(2)} (R² ${f.power.r2.toFixed(2)})` : '',
        f.knee ? `knee beyond ${num(f.knee.x)}` : '',
      ].filter(Boolean);
      out.push(`  ${parts.join('; ')}`);
    }
  }

  if (r.thresholds.length) {
    out.push('', 'checks:');
    for (const t of r.thresholds) out.push(`  ${t.pass ? '✓' : '✗'} ${t.message}`);
  }
  out.push('', 'recommendations:');
  if (analysis.recommendations.length)
    for (const rec of analysis.recommendations) out.push(`  - ${rec.area}: ${rec.text}`);
  else out.push('  none: no fit, threshold or error pattern in this run calls for action');
  return out.join('\n') + '\n';
}
