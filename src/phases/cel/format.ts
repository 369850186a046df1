/** Terminal table for `bench cel` (numbers straight from the phase data). */
import type { ExpressionResult } from '../../cel/benchmark.js';
import { lpad, pad } from '../../core/text.js';

export function ns(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)}ms`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(2)}µs`;
  return `${x.toFixed(x < 10 ? 1 : 0)}ns`;
}

type CelRow = ExpressionResult;

export function formatCelTable(data: Record<string, unknown>): string {
  const rows = (data.expressions ?? []) as CelRow[];
  // Names (rgd:resource.path) are shown whole: the column is as wide as the longest.
  const w = Math.max(28, ...rows.map((r) => r.name.length + 2));
  const head = `${pad('expression', w)}${pad('class', 14)}${pad('cost', 7)}${lpad('compile', 10)}${lpad('eval', 10)}${lpad('p95', 10)}${lpad('evals/s', 12)}${lpad('bytes', 8)}${lpad('JS', 9)}${lpad('cel-go†', 9)}`;
  const lines = [head];
  for (const r of rows) {
    if (r.error) {
      lines.push(`${pad(r.name, w)}error: ${r.error}`);
      continue;
    }
    lines.push(
      `${pad(r.name, w)}${pad(r.complexity, 14)}${pad(r.costOrder, 7)}${lpad(`${r.compileUs.toFixed(1)}µs`, 10)}` +
        `${lpad(ns(r.evalNs), 10)}${lpad(ns(r.evalNsP95), 10)}${lpad(r.evalsPerSec.toLocaleString('en-US'), 12)}` +
        `${lpad(String(r.bytesPerProgram), 8)}${lpad(r.baselineNs !== undefined ? ns(r.baselineNs) : '-', 9)}${lpad(r.celGoReferenceNs !== undefined ? ns(r.celGoReferenceNs) : '-', 9)}`,
    );
  }
  if (rows.some((r) => r.celGoReferenceNs !== undefined)) {
    lines.push(
      '† cel-go v0.16 on the reference machine (kro study), quoted for comparison, not measured by this run',
    );
  }
  return lines.join('\n');
}
