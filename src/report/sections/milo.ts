/**
 * The `milo` phase's section: what Milo's runner report shows — time to Ready, the two grouped bar
 * charts (CPU cores and memory MB of apiserver and etcd at baseline / after projects / after objects)
 * and the per-project delta cards — and what kubeperf adds: per-project readiness from the watch,
 * latency percentiles of every create, per-object deltas, the series variant each snapshot used,
 * what was created and listed, checkpoints and cleanup. `renderMiloPage` is the same section as a
 * page of its own (the report.html the perf-results ConfigMap carries).
 */
import type { Deltas, MiloData, Snapshot, SnapshotName } from '../../phases/milo/data.js';
import type { OpStats, PhaseResult } from '../../results/types.js';
import type { ChartSpec } from '../chart-spec.js';
import { escapeHtml as e, formatValue, mdTable, num } from '../format.js';
import { chartBox, renderPage } from '../page.js';
import type { PhaseSection } from './types.js';

const MB = 1024 * 1024;
const STEPS: [SnapshotName, string][] = [
  ['baseline', 'baseline'],
  ['after_projects', 'after-projects'],
  ['after_secrets', 'after-objects'],
];
const OPS = [
  'create-organization',
  'create-project',
  'project-ready',
  'poll-project',
  'create-secret',
  'create-configmap',
];

const miloOf = (p: Pick<PhaseResult, 'data'>) => (p.data as { milo?: MiloData } | undefined)?.milo;
const cores = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : formatValue(v, 'cores');
const mb = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : `${(v / MB).toFixed(1)} MB`;
const signed = (v: number | null, digits: number, unit: string) =>
  v === null ? '–' : `${v >= 0 ? '+' : ''}${v.toFixed(digits)} ${unit}`;
const seconds = (v: number | undefined) => (v === undefined ? '–' : `${v.toFixed(1)}s`);

function snapshots(d: MiloData): [string, Snapshot][] {
  return STEPS.flatMap(([k, label]) => {
    const s = d.snapshots?.[k];
    return s ? [[label, s] as [string, Snapshot]] : [];
  });
}

/** The runner's two grouped bar charts: groups apiserver/etcd, one bar per snapshot. */
function resourceCharts(d: MiloData, id: string): ChartSpec[] {
  const snaps = snapshots(d);
  if (!snaps.some(([, s]) => s.status === 'ok')) return [];
  const chart = (what: 'cpu' | 'mem'): ChartSpec => ({
    id: `${id}-${what}`,
    title: what === 'cpu' ? 'CPU (cores)' : 'Memory (MB)',
    kind: 'bar',
    labels: ['apiserver', 'etcd'],
    datasets: snaps.map(([label, s], i) => ({
      label,
      color: i,
      data: (['apiserver', 'etcd'] as const).map((c) => {
        const v = what === 'cpu' ? s.values[`${c}_cpu_cores`] : s.values[`${c}_mem_bytes`];
        return v === null ? null : what === 'cpu' ? v : v / MB;
      }),
    })),
    x: { title: 'component', type: 'category' },
    y: what === 'cpu' ? { title: 'cores', unit: 'cores' } : { title: 'MB', unit: 'MB' },
  });
  return [chart('cpu'), chart('mem')];
}

/** Bars beyond this are sampled evenly (every project stays in results.json). */
const MAX_BARS = 200;

function readinessChart(d: MiloData, id: string): ChartSpec | undefined {
  const all = d.projects?.list.filter((p) => p.readyMs !== undefined) ?? [];
  if (!all.length) return undefined;
  const step = Math.ceil(all.length / MAX_BARS);
  const list = step > 1 ? all.filter((_, i) => i % step === 0 || i === all.length - 1) : all;
  return {
    id: `${id}-ready`,
    title: `Time to Ready per project (watch, creation order${step > 1 ? `, every ${step}th of ${all.length}` : ''})`,
    kind: 'bar',
    labels: list.map((p) => p.name.slice(d.orgName.length + 1)),
    datasets: [
      { label: 'create → Ready (ms)', data: list.map((p) => p.readyMs!), color: 0 },
      { label: 'first create → Ready (ms)', data: list.map((p) => p.readyAtMs!), type: 'line', color: 1 },
      {
        label: 'create request (ms)',
        data: list.map((p) => p.createMs ?? null),
        type: 'line',
        color: 2,
        dashed: true,
      },
    ],
    x: { title: 'project', type: 'category' },
    y: { title: 'ms', unit: 'ms' },
  };
}

function latencyChart(ops: Record<string, OpStats>, id: string): ChartSpec | undefined {
  const present = OPS.filter((o) => ops[o] && ops[o].count - ops[o].errors > 0);
  if (!present.length) return undefined;
  return {
    id: `${id}-latency`,
    title: 'Latency percentiles (HDR histograms)',
    kind: 'bar',
    labels: present,
    datasets: (['p50', 'p95', 'p99'] as const).map((q, i) => ({
      label: q,
      data: present.map((o) => ops[o]!.latencyMs[q]),
      color: i,
    })),
    x: { title: 'operation', type: 'category' },
    y: { title: 'ms', unit: 'ms', log: true },
  };
}

function cards(title: string, deltas: Deltas, note?: string): string {
  const items: [string, string][] = [
    ['CPU apiserver', signed(deltas.apiserver_cpu_cores, 4, 'cores')],
    ['CPU etcd', signed(deltas.etcd_cpu_cores, 4, 'cores')],
    ['MEM apiserver', signed(deltas.apiserver_mem_mb, 2, 'MB')],
    ['MEM etcd', signed(deltas.etcd_mem_mb, 2, 'MB')],
  ];
  return `<h4>${e(title)}</h4>${note ? `<p class="muted">${e(note)}</p>` : ''}<section class="kpis">${items
    .map(([k, v]) => `<div><span>${e(k)}</span><b>${e(v)}</b></div>`)
    .join('')}</section>`;
}

function subtitle(d: MiloData): string {
  const p = d.projects;
  if (!p) return '';
  const n = d.runner?.num_projects ?? p.requested;
  const t = p.readySeconds;
  return `Projects: ${n} • Time to Ready: ${seconds(t)}${t !== undefined && n ? ` (${(t / n).toFixed(2)}s/project)` : ''}`;
}

function readinessText(d: MiloData, ops: Record<string, OpStats>): string | undefined {
  const r = ops['project-ready'];
  const p = d.projects;
  if (!p) return undefined;
  const parts = [`${p.ready} of ${p.created} projects Ready on the watch`];
  if (p.watchReadySeconds !== undefined)
    parts.push(`all Ready ${formatValue(p.watchReadySeconds * 1000, 'ms')} after the first create`);
  if (r && r.count > r.errors)
    parts.push(
      `create → Ready p50 ${formatValue(r.latencyMs.p50, 'ms')}, p95 ${formatValue(r.latencyMs.p95, 'ms')}, p99 ${formatValue(r.latencyMs.p99, 'ms')}`,
    );
  if (p.timedOut?.length) parts.push(`not Ready: ${p.timedOut.join(', ')}`);
  return parts.join('; ');
}

function snapshotRows(d: MiloData) {
  return snapshots(d).flatMap(([label, s]) =>
    (['apiserver', 'etcd'] as const).map((c) => ({
      label,
      component: c,
      cpu: cores(s.values[`${c}_cpu_cores`]),
      mem: mb(s.values[`${c}_mem_bytes`]),
      series:
        s.status !== 'ok'
          ? `missing: ${s.reason ?? ''}`
          : s.values[`${c}_cpu_cores`] === null && s.values[`${c}_mem_bytes`] === null
            ? 'no series'
            : (s.variant ?? ''),
    })),
  );
}

/** The section's HTML and charts for one Milo phase (ids prefixed with `id`). */
export function miloHtml(
  d: MiloData,
  ops: Record<string, OpStats>,
  id: string,
): { html: string; charts: ChartSpec[] } {
  const parts: string[] = [
    `<h3>Milo: ${e(d.mode === 'cleanup' ? 'cleanup' : 'organization → projects → objects')}</h3>`,
  ];
  parts.push(
    `<p>Test ${e(d.testId)}, organization ${e(d.orgName)}${d.projects ? ` • ${e(subtitle(d))}` : ''}</p>`,
  );
  const ready = readinessText(d, ops);
  if (ready) parts.push(`<p>${e(ready)}.</p>`);
  if (d.metrics)
    parts.push(
      `<p class="muted">Snapshots: ${e(d.metrics.skipped ?? `${d.metrics.source}${d.metrics.url ? ` (${d.metrics.url})` : ''}, window ${d.metrics.window}`)}</p>`,
    );
  const rows = snapshotRows(d);
  if (rows.length) {
    parts.push(
      `<table><thead><tr><th>Snapshot</th><th>Component</th><th class="n">CPU</th><th class="n">Memory</th><th>Series</th></tr></thead><tbody>${rows
        .map(
          (r) =>
            `<tr><td>${e(r.label)}</td><td>${e(r.component)}</td><td class="n">${e(r.cpu)}</td><td class="n">${e(r.mem)}</td><td class="muted">${e(r.series)}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    );
  }
  if (d.deltas?.afterProjects)
    parts.push(cards('After-projects (per-project deltas)', d.deltas.afterProjects.perProject));
  if (d.deltas?.afterObjects) {
    parts.push(cards('After objects (per-project deltas)', d.deltas.afterObjects.perProject));
    parts.push(
      cards(
        'After objects (per-object deltas, kubeperf)',
        d.deltas.afterObjects.perObject,
        'over every Secret and ConfigMap created',
      ),
    );
  }
  const o = d.objects;
  if (o) {
    const slowest = [...o.perProject].sort((a, b) => b.ms - a.ms)[0];
    parts.push(
      `<p>Objects: ${num(o.secrets.created)} Secrets and ${num(o.configmaps.created)} ConfigMaps created (${num(o.secrets.errors + o.configmaps.errors)} failed)` +
        (o.listed
          ? `; listed afterwards in ${num(o.listed.projectsChecked)} project control planes: ${num(o.listed.secrets)} Secrets, ${num(o.listed.configmaps)} ConfigMaps`
          : '') +
        (slowest ? `; slowest project ${e(slowest.name)} took ${e(formatValue(slowest.ms, 'ms'))}` : '') +
        '.</p>',
    );
  }
  if (d.checkpoints.length)
    parts.push(
      `<p class="muted">perf-results checkpoints: ${d.checkpoints.map((c) => `${e(c.phase)} ${c.ok ? '✓' : `✗ (${e(c.error ?? '')})`}`).join(', ')}</p>`,
    );
  const c = d.cleanup;
  if (c) {
    parts.push(
      `<p class="muted">Cleanup of test ${e(c.testId)} (from ${e(c.from)}): deleted ${c.deleted.secrets} Secrets, ${c.deleted.configmaps} ConfigMaps, ${c.deleted.projects} Projects, organization ${c.deleted.organization ? 'yes' : 'no'}, ConfigMap ${c.deleted.configMap ? 'yes' : 'no'} in ${e(formatValue(c.ms, 'ms'))}` +
        `${c.remainingProjects.length ? `; still terminating: ${e(c.remainingProjects.join(', '))}` : '; no project left'}` +
        `${c.skipped.length ? `; left alone: ${e(c.skipped.join(', '))}` : ''}${c.errors.length ? `; errors: ${e(c.errors.join('; '))}` : ''}.</p>`,
    );
  }
  const charts = [...resourceCharts(d, id)];
  const rc = readinessChart(d, id);
  if (rc) charts.push(rc);
  const lc = latencyChart(ops, id);
  if (lc) charts.push(lc);
  return { html: parts.join(''), charts };
}

/** The section alone as a page: the report.html of the perf-results ConfigMap. */
export function renderMiloPage(d: MiloData, ops: Record<string, OpStats>): string {
  const { html, charts } = miloHtml(d, ops, 'milo');
  return renderPage(
    'Milo Performance Report',
    `<h1>Milo Performance Report</h1>${html}<div class="charts">${charts.map((c) => chartBox(c)).join('')}</div>`,
    charts,
  );
}

export const miloSection: PhaseSection = {
  name: 'milo',
  html(p, ctx) {
    const d = miloOf(p);
    return d ? miloHtml(d, p.ops, `milo-${ctx.index}`) : undefined;
  },
  markdown(p) {
    const d = miloOf(p);
    if (!d) return undefined;
    const out = [`## Milo (${p.name})`, ''];
    if (d.projects) out.push(subtitle(d), '');
    const ready = readinessText(d, p.ops);
    if (ready) out.push(`${ready}.`, '');
    const rows = snapshotRows(d);
    if (rows.length)
      out.push(
        mdTable(
          ['Snapshot', 'Component', 'CPU', 'Memory', 'Series'],
          rows.map((r) => [r.label, r.component, r.cpu, r.mem, r.series]),
          ['l', 'l', 'r', 'r', 'l'],
        ),
        '',
      );
    const dl = d.deltas;
    const line = (label: string, x: Deltas) =>
      `${label}: CPU apiserver ${signed(x.apiserver_cpu_cores, 4, 'cores')}, CPU etcd ${signed(x.etcd_cpu_cores, 4, 'cores')}, MEM apiserver ${signed(x.apiserver_mem_mb, 2, 'MB')}, MEM etcd ${signed(x.etcd_mem_mb, 2, 'MB')}`;
    if (dl?.afterProjects) out.push(`- ${line('after projects, per project', dl.afterProjects.perProject)}`);
    if (dl?.afterObjects) {
      out.push(`- ${line('after objects, per project', dl.afterObjects.perProject)}`);
      out.push(`- ${line('after objects, per object', dl.afterObjects.perObject)}`);
    }
    if (dl) out.push('');
    return out;
  },
};
