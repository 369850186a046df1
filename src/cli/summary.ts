/**
 * The end-of-run summary in the terminal (k6-style): verdict, per-phase op table, thresholds, where the
 * files are. Numbers come straight from results.json.
 */
import { formatCelTable } from '../phases/cel/format.js';
import { formatGraphTable } from '../phases/graph/format.js';
import type { Results } from '../results/types.js';
import { lpad, pad } from '../core/text.js';

function ms(x: number): string {
  if (x === 0) return '0';
  if (x < 1) return `${Math.round(x * 1000)}µs`;
  if (x < 1000) return `${x < 10 ? x.toFixed(2) : x.toFixed(1)}ms`;
  return `${(x / 1000).toFixed(2)}s`;
}

/** The typed records of the cel and graph phases, as their own tables. */
function dataLines(p: Results['phases'][number]): string[] {
  if (!p.data) return [];
  const table =
    p.type === 'cel' ? formatCelTable(p.data) : p.type === 'graph' ? formatGraphTable(p.data) : '';
  return table ? table.split('\n').map((l) => `    ${l}`) : [];
}

export function formatSummary(results: Results, outDir: string): string {
  const lines: string[] = [];
  const mark = results.verdict === 'pass' ? '✓' : '✗';
  lines.push(
    '',
    `${mark} ${results.name}: ${results.verdict.toUpperCase()}${results.interrupted ? ' (interrupted)' : ''}`,
  );
  for (const r of results.verdictReasons) lines.push(`  - ${r}`);
  const t = results.target;
  lines.push(`  target: ${t.kind}${t.server ? ` ${t.server}` : ''}${t.version ? ` (${t.version})` : ''}`);
  for (const p of results.phases) {
    lines.push(
      '',
      `  ${p.name} (${p.type}) ${p.status}, ${(p.durationMs / 1000).toFixed(1)}s${p.error ? `: ${p.error}` : ''}`,
    );
    const ops = Object.entries(p.ops);
    if (ops.length) {
      const w = Math.max(12, ...ops.map(([op]) => op.length + 2));
      lines.push(
        `    ${pad('op', w)}${lpad('count', 9)}${lpad('errors', 8)}${lpad('ops/s', 10)}${lpad('p50', 10)}${lpad('p95', 10)}${lpad('p99', 10)}${lpad('max', 10)}`,
      );
      for (const [op, s] of ops) {
        lines.push(
          `    ${pad(op, w)}${lpad(String(s.count), 9)}${lpad(String(s.errors), 8)}${lpad(s.throughput.toFixed(0), 10)}` +
            `${lpad(ms(s.latencyMs.p50), 10)}${lpad(ms(s.latencyMs.p95), 10)}${lpad(ms(s.latencyMs.p99), 10)}${lpad(ms(s.latencyMs.max), 10)}`,
        );
      }
    }
    lines.push(...dataLines(p));
    if (p.resources) {
      lines.push(
        `    control plane: CPU ${p.resources.cpuCores.mean} cores mean (max ${p.resources.cpuCores.max}), RSS ${(p.resources.rssBytes.max / 2 ** 20).toFixed(0)} MiB max`,
      );
    }
    for (const w of p.warnings ?? []) lines.push(`    warning: ${w}`);
    for (const r of p.invalidReasons ?? []) lines.push(`    invalid: ${r}`);
  }
  if (results.thresholds.length) {
    lines.push('', '  checks:');
    for (const th of results.thresholds) lines.push(`    ${th.pass ? '✓' : '✗'} ${th.message}`);
  }
  for (const w of results.warnings) lines.push(`  warning: ${w}`);
  lines.push('', `  results: ${outDir}/results.json`);
  return lines.join('\n');
}

/** What `kubeperf run` and `kubeperf bench` print at the end: results JSON with --json, else the summary. */
export function printOutcome(outcome: { results: Results; outDir: string }, json: boolean | undefined): void {
  if (json) process.stdout.write(JSON.stringify(outcome.results, null, 2) + '\n');
  else process.stdout.write(formatSummary(outcome.results, outcome.outDir) + '\n');
}
