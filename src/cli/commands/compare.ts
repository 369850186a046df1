import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import {
  compareRunSets,
  detectableSummary,
  type Comparison,
  type LabeledResults,
} from '../../analysis/compare.js';
import { selectRuns, trend, type FoundRun } from '../../analysis/trend.js';
import { InputError, ThresholdError } from '../../core/errors.js';
import { renderCompareHtml } from '../../report/compare-html.js';
import { renderCompareMarkdown, signed } from '../../report/compare-markdown.js';
import { formatValue } from '../../report/format.js';
import { expandRunPaths, loadResults, type RunPath } from '../../report/load-results.js';
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
    .argument(
      '<runs...>',
      'baseline, then candidate(s): results.json files or folders of runs (a folder alone: its oldest run is the baseline, its newest the candidate)',
    )
    .option('--threshold <pct>', 'tolerance in percent before a change counts', '10')
    .option(
      '--sets',
      'the first argument holds repeated runs of the baseline, the others repeated runs of the candidate (files or folders): whole runs become the units of noise',
    )
    .option('--json', 'print JSON on stdout')
    .option('--md <file>', 'write the Markdown comparison')
    .option('--html <file>', 'write the HTML comparison')
    .addHelpText(
      'after',
      `
The newest candidate is compared against the baseline; with more than two runs the comparison also
shows the trend of every run. A run given twice counts once, and a run of another study found in a
folder is left out (with a warning).

Examples:
  kubeperf compare base/results.json cand/results.json --threshold 10 --md diff.md
  kubeperf compare runs/ --html trend.html              oldest run in runs/ vs newest, with the trend
  kubeperf compare base/results.json runs/ --json
  kubeperf compare base-runs/ cand-runs/ --sets        several runs per side: whole runs are the units`,
    )
    .action(async (args: string[], opts: CompareOptions) => {
      const tolerancePct = Number(opts.threshold);
      if (!Number.isFinite(tolerancePct) || tolerancePct < 0)
        throw new InputError(`--threshold ${opts.threshold}: expected a percentage ≥ 0, e.g. --threshold 10`);
      const load = async (r: RunPath): Promise<FoundRun> => ({
        label: r.path,
        results: await loadResults(r.path),
        fromFolder: r.fromFolder,
      });
      const bases = await Promise.all((await expandRunPaths(args.slice(0, 1))).map(load));
      const cands = await Promise.all((await expandRunPaths(args.slice(1))).map(load));
      if (opts.sets) {
        if (!bases.length || !cands.length)
          throw new InputError('--sets needs runs of the baseline and runs of the candidate', {
            hint: 'kubeperf compare BASE-RUNS/ CANDIDATE-RUNS/ --sets',
          });
        const comparison = compareRunSets(bases, cands, { tolerancePct });
        return finish(comparison, opts, bases[0]!, cands[cands.length - 1]!, tolerancePct);
      }
      // The first argument is the baseline (a folder: its oldest run, the others join the candidates).
      const selection = selectRuns(bases, cands);
      if (!selection)
        throw new InputError(
          'nothing to compare: give a baseline and at least one other run of the same study',
          {
            hint: 'kubeperf compare BASE.json CANDIDATE.json, or kubeperf compare FOLDER-OF-RUNS/',
          },
        );
      const { baseline, candidate, series, notes } = selection;
      const comparison: Comparison = compareRunSets([baseline], [candidate], { tolerancePct });
      comparison.warnings.unshift(...notes);
      if (series) comparison.trend = trend(series);
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
  if (opts.json) await printJson(comparison);
  else await printHuman(humanSummary(comparison));
  if (opts.md) await printHuman(`wrote ${opts.md}`, opts.json);
  if (opts.html) await printHuman(`wrote ${opts.html}`, opts.json);
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
