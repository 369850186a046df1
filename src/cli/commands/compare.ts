import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { compareRuns, type Comparison } from '../../analysis/compare.js';
import { selectRuns, trend, type FoundRun } from '../../analysis/trend.js';
import { InputError, ThresholdError } from '../../core/errors.js';
import { renderCompareHtml } from '../../report/compare-html.js';
import { renderCompareMarkdown, signed } from '../../report/compare-markdown.js';
import { formatValue } from '../../report/format.js';
import { expandRunPaths, loadResults, type RunPath } from '../../report/load-results.js';
import { printHuman, printJson } from '../io.js';

interface CompareOptions {
  threshold: string;
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
  kubeperf compare base/results.json runs/ --json`,
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
      // The first argument is the baseline (a folder: its oldest run, the others join the candidates).
      const selection = selectRuns(
        await Promise.all((await expandRunPaths(args.slice(0, 1))).map(load)),
        await Promise.all((await expandRunPaths(args.slice(1))).map(load)),
      );
      if (!selection)
        throw new InputError(
          'nothing to compare: give a baseline and at least one other run of the same study',
          {
            hint: 'kubeperf compare BASE.json CANDIDATE.json, or kubeperf compare FOLDER-OF-RUNS/',
          },
        );
      const { baseline, candidate, series, notes } = selection;
      const comparison: Comparison = compareRuns(baseline, candidate, { tolerancePct });
      comparison.warnings.unshift(...notes);
      if (series) comparison.trend = trend(series);
      if (opts.md) await writeFile(opts.md, renderCompareMarkdown(comparison), 'utf8');
      if (opts.html)
        await writeFile(
          opts.html,
          renderCompareHtml(comparison, baseline.results, candidate.results),
          'utf8',
        );
      if (opts.json) await printJson(comparison);
      else await printHuman(humanSummary(comparison));
      if (opts.md) await printHuman(`wrote ${opts.md}`, opts.json);
      if (opts.html) await printHuman(`wrote ${opts.html}`, opts.json);
      if (comparison.verdict === 'regressed') {
        const n = comparison.metrics.filter((m) => m.status === 'regressed').length;
        throw new ThresholdError(
          `${n} metric(s) regressed beyond ±${tolerancePct}% with statistical significance`,
        );
      }
    });
}

function humanSummary(c: Comparison): string {
  const lines = [
    `verdict: ${c.verdict} (baseline ${c.base.runId}, candidate ${c.candidate.runId}, tolerance ±${c.tolerancePct}%, α ${c.alpha})`,
    ...c.warnings.map((w) => `warning: ${w}`),
  ];
  const shown = c.metrics.filter((m) => m.status !== 'unchanged');
  for (const m of shown)
    lines.push(
      `  ${m.status.padEnd(9)} ${m.key}: ${formatValue(m.base, m.unit)} → ${formatValue(m.candidate, m.unit)} (${m.deltaPct === null ? 'n/a' : signed(m.deltaPct)}; ${m.note})`,
    );
  lines.push(`${c.metrics.length - shown.length} of ${c.metrics.length} metrics unchanged`);
  if (c.trend) lines.push(`trend over ${c.trend.runs.length} runs: see --md / --html / --json`);
  return lines.join('\n');
}
