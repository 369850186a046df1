/** Named PromQL results of a phase (promQuery): values at the boundaries and range summaries. */
import type { PromQueryData, PromQueryResult } from '../../measurements/prom-query.js';
import type { InstantSample } from '../../metrics/promql-client.js';
import { escapeHtml as e, formatValue, mdTable } from '../format.js';
import { htmlHeading, mdHeading, measurementsOf } from './measurement-data.js';
import type { PhaseSection } from './types.js';

/** At most 4 series as `{labels} value`; the rest counted. */
function values(xs: InstantSample[] | undefined, unit: string): string {
  if (!xs) return '–';
  if (!xs.length) return 'no series';
  const shown = xs.slice(0, 4).map((s) => {
    const l = Object.entries(s.labels)
      .filter(([k]) => k !== '__name__')
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    return `${l ? `{${l}} ` : ''}${formatValue(s.value, unit)}`;
  });
  return shown.join('; ') + (xs.length > 4 ? `; +${xs.length - 4} more` : '');
}

function range(q: PromQueryResult, unit: string): string {
  if (!q.range) return '–';
  const vs = q.range.series.flatMap((s) => s.points.map(([, v]) => v)).filter(Number.isFinite);
  if (!vs.length) return 'no series';
  return `${q.range.series.length} series, min ${formatValue(Math.min(...vs), unit)}, max ${formatValue(Math.max(...vs), unit)}`;
}

function rows(d: PromQueryData): string[][] {
  return d.queries.map((q) => {
    const unit = q.unit ?? '';
    return [q.name, q.error ?? '', values(q.start, unit), values(q.end, unit), range(q, unit)];
  });
}

export const promQuerySection: PhaseSection = {
  name: 'promQuery',
  html(p) {
    const parts: string[] = [];
    for (const [name, m, d] of measurementsOf<PromQueryData>(p, 'promQuery')) {
      parts.push(htmlHeading('PromQL', name, m));
      if (!d) continue;
      const rs = rows(d);
      parts.push(
        `<table><thead><tr><th>Query</th><th>At start</th><th>At end</th><th>Over the phase</th></tr></thead><tbody>${d.queries
          .map((q, i) => {
            const [n, err, s, en, r] = rs[i]!;
            return `<tr><td><b>${e(n!)}</b><br><code class="muted">${e(q.query)}</code>${err ? `<br><span class="muted">${e(err)}</span>` : ''}</td><td>${e(s!)}</td><td>${e(en!)}</td><td>${e(r!)}</td></tr>`;
          })
          .join('')}</tbody></table><p class="muted">From ${e(d.url)}.</p>`,
      );
    }
    return parts.length ? { html: parts.join('') } : undefined;
  },
  markdown(p) {
    const out: string[] = [];
    for (const [name, m, d] of measurementsOf<PromQueryData>(p, 'promQuery')) {
      out.push(...mdHeading('PromQL', p, name, m));
      if (!d) continue;
      out.push(
        mdTable(
          ['Query', 'At start', 'At end', 'Over the phase'],
          rows(d).map(([n, err, s, en, r]) => [err ? `${n} (${err})` : n!, s!, en!, r!]),
        ),
        '',
      );
    }
    return out.length ? out : undefined;
  },
};
