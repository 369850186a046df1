/** Markdown of a comparison: verdict, warnings, significant changes, all metrics, trend. */
import { detectableSummary, type Comparison, type MetricDelta } from '../analysis/compare.js';
import { formatValue, mdTable } from './format.js';

export function renderCompareMarkdown(c: Comparison): string {
  const out: string[] = [];
  out.push(`# Comparison: ${c.candidate.name} vs baseline`, '');
  out.push(
    `**Verdict: ${c.verdict.toUpperCase()}** · baseline \`${c.base.runId}\` (${c.base.startedAt}) · candidate \`${c.candidate.runId}\` (${c.candidate.startedAt}) · tolerance ±${c.tolerancePct}% · significance α = ${c.alpha}`,
    '',
  );
  for (const w of c.warnings) out.push(`> ⚠️ ${w}`, '');
  const detectable = detectableSummary(c);
  if (detectable)
    out.push(`Smallest change the data could have detected (median over ops): ${detectable}.`, '');
  const changed = c.metrics.filter((m) => m.status === 'regressed' || m.status === 'improved');
  const noise = c.metrics.filter((m) => m.status === 'inconclusive' || m.status === 'untested');
  out.push('## Significant changes', '');
  out.push(
    changed.length
      ? deltaTable(changed)
      : 'None: every metric is within tolerance or its change is not significant.',
    '',
  );
  if (noise.length) {
    out.push('## Beyond tolerance but inconclusive', '');
    out.push(
      'These moved more than the tolerance, but not beyond the run-to-run noise their rounds or runs show (or there is nothing to measure noise from); the evidence says what change the data could have detected.',
      '',
    );
    out.push(deltaTable(noise), '');
  }
  out.push('<details><summary>All metrics</summary>', '', deltaTable(c.metrics), '', '</details>', '');
  if (c.trend) {
    out.push('## Trend', '');
    out.push(
      mdTable(
        ['Metric', ...c.trend.runs.map((r, i) => `#${i + 1} ${r.startedAt.slice(0, 16)}`), 'First → last'],
        c.trend.metrics.map((m) => [
          m.key,
          ...m.values.map((v) => (v === null ? '–' : formatValue(v, m.unit))),
          m.changePct === null ? '–' : signed(m.changePct),
        ]),
      ),
      '',
    );
  }
  return out.join('\n');
}

export function deltaTable(rows: MetricDelta[]): string {
  return mdTable(
    ['Metric', 'Baseline', 'Candidate', 'Δ', 'Status', 'Evidence'],
    rows.map((m) => [
      m.key,
      formatValue(m.base, m.unit),
      formatValue(m.candidate, m.unit),
      m.deltaPct === null ? '–' : signed(m.deltaPct),
      statusIcon(m.status),
      m.note,
    ]),
    ['l', 'r', 'r', 'r', 'l', 'l'],
  );
}

export function signed(pct: number): string {
  const r = Math.round(pct * 10) / 10;
  return `${r > 0 ? '+' : ''}${r}%`;
}

export function statusIcon(s: MetricDelta['status']): string {
  return {
    regressed: '🔴 regressed',
    improved: '🟢 improved',
    unchanged: 'unchanged',
    inconclusive: '〰️ inconclusive',
    untested: '❔ untested',
  }[s];
}
