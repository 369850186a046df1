import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import {
  compareRunSets,
  detectableSummary,
  type Comparison,
  type LabeledResults,
} from '../../analysis/compare.js';
import { trend } from '../../analysis/trend.js';
import { InputError, ThresholdError } from '../../core/errors.js';
import { renderCompareHtml } from '../../report/compare-html.js';
import { renderCompareMarkdown, signed } from '../../report/compare-markdown.js';
import { formatValue } from '../../report/format.js';
import { expandRunPaths, loadResults } from '../../report/load-results.js';
import { printHuman, printJson } from '../io.js';

interface CompareOptions {
  threshold: string;
  sets?: boolean;
  json?: boolean;
  md?: string;
  html?: string;
}

export function compareCommand(): Command {
  return new Command('compare')
    .description('Compare a candidate run against a baseline (regression verdict; exit 3 on regression)')
    .argument('<base>', 'baseline results.json (or a folder of runs: the oldest is the baseline)')
    .argument('<candidate...>', 'candidate results.json (more files or folders: trend across runs)')
    .option('--threshold <pct>', 'tolerance in percent before a change counts', '10')
    .option(
      '--sets',
      'the baseline and the candidate arguments are sets of repeated runs of each side (files or folders): whole runs become the units of noise',
    )
    .option('--json', 'print JSON on stdout')
    .option('--md <file>', 'write the Markdown comparison')
    .option('--html <file>', 'write the HTML comparison')
    .action(async (base: string, candidates: string[], opts: CompareOptions) => {
      const tolerancePct = Number(opts.threshold);
      if (!Number.isFinite(tolerancePct) || tolerancePct < 0)
        throw new InputError(`--threshold ${opts.threshold}: expected a percentage ≥ 0, e.g. --threshold 10`);
      const basePaths = await expandRunPaths([base]);
      const candPaths = await expandRunPaths(candidates);
      const load = async (p: string): Promise<LabeledResults> => ({
        label: p,
        results: await loadResults(p),
      });
      const baseRuns = await Promise.all(basePaths.map(load));
      const candRuns = await Promise.all(candPaths.map(load));
      if (opts.sets) {
        const comparison = compareRunSets(baseRuns, candRuns, { tolerancePct });
        return finish(comparison, opts, baseRuns[0]!, candRuns[candRuns.length - 1]!, tolerancePct);
      }
      const byTime = (a: LabeledResults, b: LabeledResults) =>
        a.results.startedAt.localeCompare(b.results.startedAt);
      // A folder as baseline: its oldest run is the baseline and the rest join the candidates.
      baseRuns.sort(byTime);
      const baseline = baseRuns[0];
      const others = [...baseRuns.slice(1), ...candRuns].sort(byTime);
      const candidate = others[others.length - 1];
      if (!candidate)
        throw new InputError('nothing to compare: give a baseline and at least one candidate run');
      const comparison: Comparison = compareRunSets([baseline], [candidate], { tolerancePct });
      if (others.length > 1) comparison.trend = trend([baseline, ...others]);
      await finish(comparison, opts, baseline, candidate, tolerancePct);
    });
}

async function finish(
  comparison: Comparison,
  opts: CompareOptions,
  baseline: LabeledResults,
  candidate: LabeledResults,
  tolerancePct: number,
): Promise<void> {
  if (opts.md) await writeFile(opts.md, renderCompareMarkdown(comparison), 'utf8');
  if (opts.html)
    await writeFile(opts.html, renderCompareHtml(comparison, baseline.results, candidate.results), 'utf8');
  if (opts.json) printJson(comparison);
  else printHuman(humanSummary(comparison));
  if (opts.md) printHuman(`wrote ${opts.md}`, opts.json);
  if (opts.html) printHuman(`wrote ${opts.html}`, opts.json);
  if (comparison.verdict === 'regressed') {
    const n = comparison.metrics.filter((m) => m.status === 'regressed').length;
    throw new ThresholdError(
      `${n} metric(s) regressed beyond ±${tolerancePct}% and beyond the run-to-run noise`,
    );
  }
}

function humanSummary(c: Comparison): string {
  const lines = [
    `verdict: ${c.verdict} (baseline ${c.runs ? `${c.runs.base} runs` : c.base.runId}, candidate ${c.runs ? `${c.runs.candidate} runs` : c.candidate.runId}, tolerance ±${c.tolerancePct}%, α ${c.alpha})`,
    ...c.warnings.map((w) => `warning: ${w}`),
  ];
  const detectable = detectableSummary(c);
  if (detectable) lines.push(`smallest change the data could have detected (median over ops): ${detectable}`);
  const shown = c.metrics.filter((m) => m.status !== 'unchanged');
  for (const m of shown)
    lines.push(
      `  ${m.status.padEnd(9)} ${m.key}: ${formatValue(m.base, m.unit)} → ${formatValue(m.candidate, m.unit)} (${m.deltaPct === null ? 'n/a' : signed(m.deltaPct)}; ${m.note})`,
    );
  lines.push(`${c.metrics.length - shown.length} of ${c.metrics.length} metrics unchanged`);
  if (c.trend) lines.push(`trend over ${c.trend.runs.length} runs: see --md / --html / --json`);
  return lines.join('\n');
}
