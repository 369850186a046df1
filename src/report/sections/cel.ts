/** CEL expression costs of a `cel` phase (or any phase that records `data.expressions`). */
import { celExpressions } from '../../analysis/select.js';
import { bytes, escapeHtml as e, formatValue, mdTable } from '../format.js';
import type { PhaseSection } from './types.js';

const opt = (v: number | undefined, unit: string) => (typeof v === 'number' ? formatValue(v, unit) : '–');

export const celSection: PhaseSection = {
  name: 'cel',
  html(p) {
    const exprs = celExpressions(p);
    if (!exprs.length) return undefined;
    return {
      html: `<h3>CEL expressions</h3><table><thead><tr><th>Expression</th><th>Complexity</th><th>Cost order</th><th class="n">Compile</th><th class="n">Eval mean</th><th class="n">Eval p95</th><th class="n">Evals/s</th><th class="n">Program</th></tr></thead><tbody>${exprs
        .map(
          (x) =>
            `<tr><td><b>${e(x.name)}</b><br><code class="muted">${e(x.expression)}</code></td><td>${e(x.complexity)}</td><td>${e(x.costOrder ?? '–')}</td><td class="n">${e(opt(x.compileUs, 'us'))}</td><td class="n">${e(opt(x.evalNs, 'ns'))}</td><td class="n">${e(opt(x.evalNsP95, 'ns'))}</td><td class="n">${e(opt(x.evalsPerSec, '/s'))}</td><td class="n">${e(opt(x.bytesPerProgram, 'B'))}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    };
  },
  markdown(p) {
    const exprs = celExpressions(p);
    if (!exprs.length) return undefined;
    const hasBaseline = exprs.some((x) => typeof x.baselineNs === 'number');
    const header = [
      'Expression',
      'Complexity',
      'Cost order',
      'Compile',
      'Eval (mean)',
      'Eval (p95)',
      'Evals/s',
    ];
    header.push('Program size', ...(hasBaseline ? ['Plain JS'] : []));
    return [
      `## CEL expressions (${p.name})`,
      '',
      ...(hasBaseline ? ['Plain JS: the same check written as plain JavaScript, for scale.', ''] : []),
      mdTable(
        header,
        exprs.map((x) => [
          x.name,
          x.complexity,
          x.costOrder ?? '–',
          opt(x.compileUs, 'us'),
          opt(x.evalNs, 'ns'),
          opt(x.evalNsP95, 'ns'),
          opt(x.evalsPerSec, '/s'),
          x.bytesPerProgram === undefined ? '–' : bytes(x.bytesPerProgram),
          ...(hasBaseline ? [opt(x.baselineNs, 'ns')] : []),
        ]),
        ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
      '',
    ];
  },
};
