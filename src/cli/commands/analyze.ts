/**
 * `kubeperf analyze RESULTS.json`: the analysis of a run (statistics, confidence intervals, steady
 * state, scaling fits, checks, recommendations) in the terminal or as JSON, without rendering reports.
 */
import { Command } from 'commander';
import { loadResults } from '../../report/load-results.js';
import { reportModel } from '../../report/model.js';
import { renderAnalysisText } from '../../report/analysis-text.js';
import { printJson, writeStdout } from '../io.js';

export function analyzeCommand(): Command {
  return new Command('analyze')
    .description('Print the analysis of a run: statistics, fits, checks and recommendations (no reports)')
    .argument('<results>', 'results.json of a run')
    .option('--json', 'print the analysis as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  kubeperf analyze kubeperf-results/<run-id>/results.json
  kubeperf analyze results.json --json | jq '.analysis.recommendations'`,
    )
    .action(async (path: string, opts: { json?: boolean }) => {
      const { results, analysis } = reportModel(await loadResults(path));
      if (opts.json) {
        const { runId, name, startedAt, verdict, verdictReasons, thresholds, warnings } = results;
        await printJson({ runId, name, startedAt, verdict, verdictReasons, thresholds, warnings, analysis });
      } else await writeStdout(renderAnalysisText(results, analysis));
    });
}
