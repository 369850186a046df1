/** Number and text formatting shared by the HTML, Markdown and JUnit writers. */
import { phaseRequests, sweepPointShown } from '../analysis/select.js';
import { formatValue } from '../analysis/thresholds.js';
import type { PhaseResult } from '../results/types.js';

export { formatValue };

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Prose written for Markdown and the terminal, as HTML: escaped, with `code` spans as <code>. */
export function proseHtml(s: string): string {
  return escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** XML 1.0 text: escaped, with characters XML cannot carry removed. */
export function escapeXml(s: string): string {
  // eslint-disable-next-line no-control-regex
  return escapeHtml(s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ''));
}

/** Markdown table cell: pipes escaped, newlines flattened. */
export function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export const ms = (v: number) => formatValue(v, 'ms');
export const perSec = (v: number) => formatValue(v, '/s');
export const num = (v: number) => formatValue(v, '');
export const pct = (f: number) => formatValue(f, '%');
export const bytes = (v: number) => formatValue(v, 'B');

export function duration(msTotal: number): string {
  if (msTotal < 1000) return `${Math.round(msTotal)} ms`;
  const s = msTotal / 1000;
  if (s < 120) return `${Math.round(s * 10) / 10} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Markdown table from a header row and rows of already-formatted cells. */
export function mdTable(header: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const sep = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [header, sep, ...rows].map((r) => `| ${r.map(mdCell).join(' | ')} |`).join('\n');
}

/** HTML table from a header row and rows of already-formatted cells (escaped here); 'r' columns get class "n". */
export function htmlTable(header: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const cls = (i: number) => (align?.[i] === 'r' ? ' class="n"' : '');
  return `<table><thead><tr>${header.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export function verdictWord(v: string): string {
  return v === 'pass' ? 'PASS' : v === 'fail' ? 'FAIL' : 'INVALID';
}

/** Which point of a sweep a phase's op table shows, and what all its points add up to. */
export function sweepShownNote(p: PhaseResult): string | undefined {
  const shown = sweepPointShown(p);
  if (!shown) return undefined;
  const all = phaseRequests(p);
  const at = `${shown.parameter} = ${shown.x.toLocaleString('en-US')}${shown.unit ? ` ${shown.unit}` : ''}`;
  return `The op table shows the sweep point ${at} (1 of ${shown.points}); over all points the phase made ${all.count.toLocaleString('en-US')} requests, ${all.errors.toLocaleString('en-US')} failed.`;
}
