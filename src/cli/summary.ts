/**
 * The end-of-run summary in the terminal (k6-style): verdict, per-phase op table, sweeps, thresholds,
 * where the files are. Numbers come straight from results.json.
 */
import { readAnalysis } from '../analysis/types.js';
import { formatAttachedRoutes } from '../phases/attached-routes/format.js';
import { formatCelTable } from '../phases/cel/format.js';
import { formatGraphTable } from '../phases/graph/format.js';
import { formatKroRounds } from '../phases/kro/format.js';
import { formatMilo } from '../phases/milo/format.js';
import { sweepShownNote } from '../report/format.js';
import type { ReportFiles } from '../report/write.js';
import type { PhaseResult, Results } from '../results/types.js';
import { lpad, pad } from '../core/text.js';

function ms(x: number): string {
  if (x === 0) return '0';
  if (x < 1) return `${Math.round(x * 1000)}µs`;
  if (x < 1000) return `${x < 10 ? x.toFixed(2) : x.toFixed(1)}ms`;
  return `${(x / 1000).toFixed(2)}s`;
}

/** What a phase type records beyond its ops, in its own lines. */
const DATA_FORMATS: Record<string, (data: Record<string, unknown>) => string> = {
  cel: formatCelTable,
  graph: formatGraphTable,
  'attached-routes': formatAttachedRoutes,
  kro: formatKroRounds,
  milo: formatMilo,
};

function dataLines(p: PhaseResult): string[] {
  if (!p.data) return [];
  const table = DATA_FORMATS[p.type]?.(p.data) ?? '';
  return table ? table.split('\n').map((l) => `    ${l}`) : [];
}

function opTable(p: PhaseResult): string[] {
  const ops = Object.entries(p.ops);
  if (!ops.length) return [];
  // Long op names (create-organization) widen the column instead of pushing the numbers over.
  const w = Math.max(12, ...ops.map(([op]) => op.length + 2));
  const lines = [
    `    ${pad('op', w)}${lpad('count', 9)}${lpad('errors', 8)}${lpad('retries', 9)}${lpad('ops/s', 10)}${lpad('p50', 10)}${lpad('p95', 10)}${lpad('p99', 10)}${lpad('max', 10)}`,
  ];
  for (const [op, s] of ops) {
    lines.push(
      `    ${pad(op, w)}${lpad(String(s.count), 9)}${lpad(String(s.errors), 8)}${lpad(String(s.retries), 9)}${lpad(s.throughput.toFixed(0), 10)}` +
        `${lpad(ms(s.latencyMs.p50), 10)}${lpad(ms(s.latencyMs.p95), 10)}${lpad(ms(s.latencyMs.p99), 10)}${lpad(ms(s.latencyMs.max), 10)}`,
    );
  }
  return lines;
}

/** A sweep with per-point ops: throughput and p99 of each op at each point, then where it stops scaling. */
function sweepLines(p: PhaseResult, results: Results): string[] {
  const lines: string[] = [];
  const fits = readAnalysis(results.analysis)?.scaling.filter((f) => f.phase === p.name) ?? [];
  for (const sweep of p.sweeps ?? []) {
    const ops = [...new Set(sweep.points.flatMap((pt) => Object.keys(pt.ops ?? {})))].filter(
      (op) => op !== 'readiness',
    );
    if (!ops.length) continue;
    const head = `${sweep.parameter}${sweep.unit ? ` (${sweep.unit})` : ''}`;
    lines.push('', `    sweep over ${head}:`);
    lines.push(
      `      ${lpad(sweep.unit ?? sweep.parameter, 10)}${ops.map((op) => `${lpad(`${op}/s`, 13)}${lpad(`${op} p99`, 14)}`).join('')}${lpad('errors', 8)}`,
    );
    for (const pt of sweep.points) {
      const errors = Object.values(pt.ops ?? {}).reduce((a, s) => a + s.errors, 0);
      lines.push(
        `      ${lpad(pt.x.toLocaleString('en-US'), 10)}${ops
          .map((op) => {
            const s = pt.ops?.[op];
            return s
              ? `${lpad(s.throughput.toFixed(0), 13)}${lpad(ms(s.latencyMs.p99), 14)}`
              : `${lpad('-', 13)}${lpad('-', 14)}`;
          })
          .join('')}${lpad(String(errors), 8)}`,
      );
    }
    for (const f of fits.filter((x) => x.parameter === sweep.parameter && x.knee)) {
      const k = f.knee!;
      lines.push(
        `      knee: ${f.metric} stops scaling beyond ${k.x} ${sweep.unit ?? sweep.parameter} (${k.y.toFixed(0)} at ${k.x} vs ${k.nextY.toFixed(0)} at ${k.nextX}, ${Math.round(Math.max(0, k.efficiency) * 100)}% of linear gain)`,
      );
    }
    if (!fits.some((x) => x.parameter === sweep.parameter && x.knee) && sweep.parameter === 'concurrency')
      lines.push('      knee: none found (throughput still rises with workers, or too few points)');
  }
  return lines;
}

export function formatSummary(results: Results, outDir: string, reports: ReportFiles = {}): string {
  const lines: string[] = [];
  const mark = results.verdict === 'pass' ? '✓' : '✗';
  lines.push(
    '',
    `${mark} ${results.name}: ${results.verdict.toUpperCase()}${results.interrupted ? ' (interrupted)' : ''}`,
  );
  for (const r of results.verdictReasons) lines.push(`  - ${r}`);
  const t = results.target;
  lines.push(`  target: ${t.kind}${t.server ? ` ${t.server}` : ''}${t.version ? ` (${t.version})` : ''}`);
  const retried: string[] = [];
  for (const p of results.phases) {
    lines.push(
      '',
      `  ${p.name} (${p.type}) ${p.status}, ${(p.durationMs / 1000).toFixed(1)}s${p.error ? `: ${p.error}` : ''}`,
    );
    const shown = sweepShownNote(p);
    if (shown && Object.keys(p.ops).length) lines.push(`    ${shown}`);
    lines.push(...opTable(p));
    lines.push(...sweepLines(p, results));
    lines.push(...dataLines(p));
    if (p.resources) {
      lines.push(
        `    control plane: CPU ${p.resources.cpuCores.mean} cores mean (max ${p.resources.cpuCores.max}), RSS ${(p.resources.rssBytes.max / 2 ** 20).toFixed(0)} MiB max`,
      );
    }
    for (const w of p.warnings ?? []) lines.push(`    warning: ${w}`);
    for (const r of p.invalidReasons ?? []) lines.push(`    invalid: ${r}`);
    for (const [op, s] of Object.entries(p.ops)) if (s.retries) retried.push(`${p.name} ${op} ${s.retries}`);
  }
  if (retried.length) {
    lines.push(
      '',
      `  retries: ${retried.join(', ')}: requests that failed with 429, 5xx or a connection error and were sent again; a request counts as an error only if its last attempt failed`,
    );
  }
  if (results.thresholds.length) {
    lines.push('', '  checks:');
    for (const th of results.thresholds) lines.push(`    ${th.pass ? '✓' : '✗'} ${th.message}`);
  }
  for (const w of results.warnings) lines.push(`  warning: ${w}`);
  lines.push('', `  results: ${outDir}/results.json`);
  if (reports.html) lines.push(`  report:  ${reports.html}`);
  const more = [reports.md, reports.junit].filter((f): f is string => !!f);
  if (more.length) lines.push(`  also:    ${more.join(', ')}`);
  return lines.join('\n');
}

/** What `kubeperf run` and `kubeperf bench` print at the end: results.json with --json, else the summary. */
export function formatOutcome(
  outcome: { results: Results; outDir: string; reports?: ReportFiles },
  json: boolean | undefined,
): string {
  return json
    ? JSON.stringify(outcome.results, null, 2) + '\n'
    : formatSummary(outcome.results, outcome.outDir, outcome.reports) + '\n';
}
