/** Human output of `rgd inspect`. */
import type { InspectReport } from './inspect.js';
import { lpad } from '../core/text.js';

const pad = (s: string, n: number) => (s.length >= n ? s + ' ' : s + ' '.repeat(n - s.length));

function ns(x: number | null): string {
  if (x === null) return '-';
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)}ms`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(2)}µs`;
  return `${Math.round(x)}ns`;
}

export function formatInspect(r: InspectReport): string {
  const lines: string[] = [];
  const where = r.file ? ` (${r.file})` : '';
  if (!r.valid) {
    lines.push(`✗ ${r.name || '(unnamed)'}${where}: invalid`);
    for (const e of r.errors) lines.push(`  ${e}`);
    return lines.join('\n');
  }
  const s = r.schema!;
  lines.push(`✓ ${r.name || '(unnamed)'}${where}: valid ${r.kind}`);
  lines.push(`  schema: ${s.kind} ${s.group}/${s.apiVersion}, ${s.scope} → CRD ${s.crdName}`);
  lines.push(
    `  ${r.resources.length} resources, depth ${r.depth}` +
      (r.criticalPath.length > 1 ? `, critical path ${r.criticalPath.join(' → ')}` : ''),
  );
  if (r.resources.length) {
    const w = Math.max(4, ...r.resources.map((x) => x.id.length)) + 1;
    lines.push(
      '',
      `  ${pad('id', w)}${pad('kind', 24)}${lpad('in', 4)}${lpad('out', 5)}${lpad('wave', 6)}  depends on`,
    );
    for (const x of r.resources) {
      const base = x.external
        ? `${x.kind} (external)`
        : x.collection
          ? `${x.kind} ×${x.collection.sampleSize}`
          : x.kind;
      const kind = x.skippedInSample ? `${base} (skipped)` : base;
      lines.push(
        `  ${pad(x.id, w)}${pad(kind, 24)}${lpad(String(x.fanIn), 4)}${lpad(String(x.fanOut), 5)}${lpad(String(x.applyOrder), 6)}  ${x.dependencies.join(', ') || '-'}`,
      );
    }
    lines.push('', `  topological order: ${r.topologicalOrder.join(', ')}`);
    lines.push(`  deletion waves:    ${r.deletionLayers.map((l) => `[${l.join(', ')}]`).join(' → ')}`);
  }
  if (r.expressions.length) {
    lines.push('', `  ${r.expressions.length} expressions (evaluated against the sample instance):`);
    const w = Math.min(48, Math.max(...r.expressions.map((e) => `${e.resource}.${e.path}`.length)) + 1);
    for (const e of r.expressions) {
      const where = `${e.resource}.${e.path}`;
      lines.push(
        `    ${pad(where.length > w ? '…' + where.slice(-(w - 2)) : where, w)}${pad(e.complexity, 13)}${pad(e.costOrder, 7)}${lpad(ns(e.evalNs), 9)}` +
          (e.pending ? `  pending: ${e.pending}` : '') +
          (e.skipped ? `  (${e.skipped})` : ''),
      );
    }
  }
  if (r.advice.length) {
    lines.push('', '  advice:');
    for (const a of r.advice) {
      const mark = a.severity === 'error' ? '✗' : a.severity === 'warning' ? '!' : 'i';
      lines.push(`    ${mark} ${a.message}`, `      why: ${a.reason}`);
    }
  }
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  if (r.unchecked.length) {
    lines.push(
      '',
      `  ${r.unchecked.length} expression(s) not checked — kubeperf's limitation, not kro's verdict:`,
    );
    for (const u of r.unchecked) {
      lines.push(`    ! ${u.resource}.${u.path}: ${u.reason}`, `      ${u.expression}`);
    }
  }
  return lines.join('\n');
}
