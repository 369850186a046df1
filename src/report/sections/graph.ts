/** Resource-graph costs by size of a `graph` phase, with the phase's fitted exponent and the fit chart. */
import { graphNumber, graphSizes } from '../../analysis/select.js';
import { graphChart } from '../charts.js';
import { bytes, escapeHtml as e, formatValue, mdTable, num } from '../format.js';
import type { PhaseSection } from './types.js';

const opt = (v: number | undefined, unit: string) => (typeof v === 'number' ? formatValue(v, unit) : '–');

function exponentText(p: Parameters<typeof graphNumber>[0], html: boolean): string | undefined {
  const k = graphNumber(p, 'exponent');
  if (k === undefined) return undefined;
  const r2 = graphNumber(p, 'exponentR2');
  const power = html ? `n<sup>${k.toFixed(2)}</sup>` : `n^${k.toFixed(2)}`;
  return `Exponent fitted by the phase: ${power}${r2 !== undefined ? ` (R² ${r2.toFixed(3)})` : ''}.`;
}

export const graphSection: PhaseSection = {
  name: 'graph',
  html(p, ctx) {
    const sizes = graphSizes(p);
    if (!sizes.length) return undefined;
    const exp = exponentText(p, true);
    const chart = graphChart(p, ctx.index, ctx.analysis.scaling);
    return {
      html: `<h3>Resource graph</h3>${exp ? `<p>${exp}</p>` : ''}<table><thead><tr><th class="n">Nodes</th><th class="n">Edges</th><th class="n">Build</th><th class="n">Topo sort</th><th class="n">Traversal ops/s</th><th class="n">Path-finding ops/s</th><th class="n">Bytes/node</th></tr></thead><tbody>${sizes
        .map(
          (s) =>
            `<tr><td class="n">${num(s.nodes)}</td><td class="n">${s.edges === undefined ? '–' : num(s.edges)}</td><td class="n">${e(opt(s.buildMs, 'ms'))}</td><td class="n">${e(opt(s.topoSortUs, 'us'))}</td><td class="n">${e(opt(s.traversalOpsPerSec, '/s'))}</td><td class="n">${e(opt(s.pathFindingOpsPerSec, '/s'))}</td><td class="n">${e(opt(s.bytesPerNode, 'B'))}</td></tr>`,
        )
        .join('')}</tbody></table>`,
      charts: chart ? [chart] : [],
    };
  },
  markdown(p) {
    const sizes = graphSizes(p);
    if (!sizes.length) return undefined;
    const exp = exponentText(p, false);
    return [
      `## Resource graph (${p.name})`,
      '',
      mdTable(
        ['Nodes', 'Edges', 'Build', 'Topo sort', 'Traversal ops/s', 'Path-finding ops/s', 'Bytes/node'],
        sizes.map((s) => [
          num(s.nodes),
          s.edges === undefined ? '–' : num(s.edges),
          opt(s.buildMs, 'ms'),
          opt(s.topoSortUs, 'us'),
          opt(s.traversalOpsPerSec, '/s'),
          opt(s.pathFindingOpsPerSec, '/s'),
          s.bytesPerNode === undefined ? '–' : bytes(s.bytesPerNode),
        ]),
        ['r', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
      '',
      ...(exp ? [exp, ''] : []),
    ];
  },
};
