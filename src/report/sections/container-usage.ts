/** Container CPU and memory snapshots of a phase (containerUsage), as a table and grouped bars. */
import type { ContainerSnapshot, ContainerUsageData } from '../../measurements/container-usage.js';
import type { PhaseResult } from '../../results/types.js';
import type { ChartSpec } from '../chart-spec.js';
import { escapeHtml as e, formatValue, mdTable } from '../format.js';
import { htmlHeading, instanceLabel, mdHeading, measurementsOf } from './measurement-data.js';
import type { PhaseSection } from './types.js';

const cores = (v: number | undefined) => (v === undefined ? '–' : formatValue(v, 'cores'));
const mem = (v: number | undefined) => (v === undefined ? '–' : formatValue(v, 'B'));

function rows(d: ContainerUsageData) {
  return d.snapshots.flatMap((s) =>
    Object.entries(s.targets).map(([target, v]) => ({
      target,
      at: s.at,
      time: new Date(s.time * 1000).toISOString().slice(11, 19),
      window: `${s.windowSeconds}s`,
      cpu: v.cpuCores?.value,
      mem: v.memoryBytes?.value,
      variant: v.cpuCores?.variant ?? v.memoryBytes?.variant ?? 'no series',
    })),
  );
}

/** Grouped bars: one group per target, one bar per snapshot (label → snapshots in time order). */
export function snapshotCharts(
  id: string,
  title: string,
  snapshots: { label: string; snapshot: ContainerSnapshot }[],
): ChartSpec[] {
  const targets = [...new Set(snapshots.flatMap((s) => Object.keys(s.snapshot.targets)))];
  if (!targets.length) return [];
  const chart = (what: 'cpu' | 'mem'): ChartSpec => ({
    id: `${id}-${what}`,
    title: `${title}: ${what === 'cpu' ? 'CPU (cores)' : 'working-set memory (MB)'}`,
    kind: 'bar',
    labels: targets,
    datasets: snapshots.map((s, i) => ({
      label: s.label,
      data: targets.map((t) => {
        const v = s.snapshot.targets[t];
        const x = what === 'cpu' ? v?.cpuCores?.value : v?.memoryBytes?.value;
        return x === undefined ? null : what === 'cpu' ? x : x / 1e6;
      }),
      color: i,
    })),
    x: { title: 'component', type: 'category' },
    y: what === 'cpu' ? { title: 'CPU (cores)', unit: 'cores' } : { title: 'memory (MB)', unit: 'MB' },
  });
  return [chart('cpu'), chart('mem')];
}

/** Every phase's snapshots, in run order, for the run-level chart. */
export function runSnapshots(phases: PhaseResult[]): { label: string; snapshot: ContainerSnapshot }[] {
  return phases.flatMap((p) =>
    measurementsOf<ContainerUsageData>(p, 'containerUsage').flatMap(([name, , d]) =>
      (d?.snapshots ?? []).map((s) => ({
        label: `${p.name}${instanceLabel(name, 'containerUsage')} ${s.at}`,
        snapshot: s,
      })),
    ),
  );
}

export const containerUsageSection: PhaseSection = {
  name: 'containerUsage',
  html(p, ctx) {
    const parts: string[] = [];
    const charts: ChartSpec[] = [];
    for (const [name, m, d] of measurementsOf<ContainerUsageData>(p, 'containerUsage')) {
      parts.push(htmlHeading('Container CPU and memory', name, m));
      if (!d?.snapshots.length) continue;
      parts.push(
        `<table><thead><tr><th>Component</th><th>Snapshot</th><th>At (UTC)</th><th class="n">Window</th><th class="n">CPU</th><th class="n">Memory</th><th>Series</th></tr></thead><tbody>${rows(
          d,
        )
          .map(
            (r) =>
              `<tr><td>${e(r.target)}</td><td>${e(r.at)}</td><td>${e(r.time)}</td><td class="n">${e(r.window)}</td><td class="n">${e(cores(r.cpu))}</td><td class="n">${e(mem(r.mem))}</td><td class="muted">${e(r.variant)}</td></tr>`,
          )
          .join(
            '',
          )}</tbody></table><p class="muted">From ${e(d.url)}: rate() of container_cpu_usage_seconds_total and avg_over_time() of container_memory_working_set_bytes over the window ending at each snapshot.</p>`,
      );
      charts.push(
        ...snapshotCharts(
          `containers-${ctx.index}-${name}`,
          p.name,
          d.snapshots.map((s) => ({ label: s.at, snapshot: s })),
        ),
      );
    }
    return parts.length ? { html: parts.join(''), charts } : undefined;
  },
  markdown(p) {
    const out: string[] = [];
    for (const [name, m, d] of measurementsOf<ContainerUsageData>(p, 'containerUsage')) {
      out.push(...mdHeading('Container CPU and memory', p, name, m));
      if (!d?.snapshots.length) continue;
      out.push(
        mdTable(
          ['Component', 'Snapshot', 'Window', 'CPU', 'Memory'],
          rows(d).map((r) => [r.target, r.at, r.window, cores(r.cpu), mem(r.mem)]),
          ['l', 'l', 'r', 'r', 'r'],
        ),
        '',
      );
    }
    return out.length ? out : undefined;
  },
};
