/** A controller's reconcile percentiles and work queues over a phase (controllerMetrics). */
import type { ControllerMetricsData } from '../../measurements/controller-metrics.js';
import { escapeHtml as e, formatValue, htmlTable, mdTable, num } from '../format.js';
import { htmlHeading, mdHeading, measurementsOf } from './measurement-data.js';
import type { PhaseSection } from './types.js';

const ms = (v: number | null) => (v === null ? '–' : formatValue(v, 'ms'));
const results = (r: Record<string, number>) =>
  Object.entries(r)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${num(n)}`)
    .join(', ') || '–';

function tables(d: ControllerMetricsData) {
  return {
    reconcile: {
      header: ['Controller', 'Reconciles', 'Errors', 'Results', 'p50', 'p90', 'p99'],
      rows: d.reconcile.map((r) => [
        r.controller,
        num(r.total),
        num(r.errors),
        results(r.byResult),
        ms(r.p50Ms),
        ms(r.p90Ms),
        ms(r.p99Ms),
      ]),
      align: ['l', 'r', 'r', 'l', 'r', 'r', 'r'] as ('l' | 'r')[],
    },
    queues: {
      header: ['Work queue', 'Adds', 'Retries', 'Depth max', 'Depth after', 'Queue p99', 'Work p99'],
      rows: d.workqueue.map((q) => [
        q.name,
        num(q.adds),
        num(q.retries),
        q.depthMax === null ? '–' : num(q.depthMax),
        q.depthAfter === null ? '–' : num(q.depthAfter),
        ms(q.queueP99Ms),
        ms(q.workP99Ms),
      ]),
      align: ['l', 'r', 'r', 'r', 'r', 'r', 'r'] as ('l' | 'r')[],
    },
  };
}

export const controllerMetricsSection: PhaseSection = {
  name: 'controllerMetrics',
  html(p) {
    const parts: string[] = [];
    for (const [name, m, d] of measurementsOf<ControllerMetricsData>(p, 'controllerMetrics')) {
      parts.push(htmlHeading('Controller', name, m));
      if (!d) continue;
      const t = tables(d);
      if (t.reconcile.rows.length)
        parts.push(htmlTable(t.reconcile.header, t.reconcile.rows, t.reconcile.align));
      if (t.queues.rows.length) parts.push(htmlTable(t.queues.header, t.queues.rows, t.queues.align));
      parts.push(
        `<p class="muted">${e(d.source)}: reconcile percentiles from controller_runtime_reconcile_time_seconds bucket diffs; ${num(d.cost.scrapes)} scrapes, ${e(formatValue(d.cost.bytes, 'B'))}.</p>`,
      );
    }
    return parts.length ? { html: parts.join('') } : undefined;
  },
  markdown(p) {
    const out: string[] = [];
    for (const [name, m, d] of measurementsOf<ControllerMetricsData>(p, 'controllerMetrics')) {
      out.push(...mdHeading('Controller', p, name, m));
      if (!d) continue;
      const t = tables(d);
      if (t.reconcile.rows.length)
        out.push(mdTable(t.reconcile.header, t.reconcile.rows, t.reconcile.align), '');
      if (t.queues.rows.length) out.push(mdTable(t.queues.header, t.queues.rows, t.queues.align), '');
    }
    return out.length ? out : undefined;
  },
};
