/**
 * `kubeperf merge DIR...`: merges the result folders of a distributed run's workers (src/deploy/
 * workers/merge.ts) into one results.json with reports; exit code by the merged verdict.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { exitCodeForVerdict } from '../../analysis/analyze.js';
import { mergeWorkerResults, parseTolerance } from '../../deploy/workers/merge.js';
import { reportFilesIn, writeReports } from '../../report/write.js';
import { readResultsFile, writeResultsFile } from '../../results/file.js';
import { formatOutcome } from '../summary.js';
import { writeStdout } from '../io.js';

interface MergeFlags {
  out?: string;
  skewTolerance?: string;
  json?: boolean;
}

export function mergeCommand(): Command {
  return new Command('merge')
    .description('Merge the results of a distributed run’s workers (exact: histograms merged, counts summed)')
    .argument('<dirs...>', 'result folders (or results.json files) of the workers')
    .option('--out <dir>', 'output directory (default: kubeperf-results/<run-id>-merged)')
    .option('--skew-tolerance <duration>', 'warn when workers’ start or end times differ by more', '500ms')
    .option('--json', 'print the merged results.json on stdout')
    .addHelpText(
      'after',
      `
Examples:
  kubeperf merge out/w0 out/w1 out/w2 out/w3 --out out/merged
  kubeperf merge kubeperf-results/perf-1-* --json | jq .distributed.startSpreadMs`,
    )
    .action(async (dirs: string[], f: MergeFlags) => {
      const files = dirs.map((d) =>
        existsSync(d) && statSync(d).isDirectory() ? join(d, 'results.json') : d,
      );
      const merged = mergeWorkerResults(files.map(readResultsFile), {
        skewToleranceMs: parseTolerance(f.skewTolerance),
        sources: dirs,
      });
      const out = f.out ?? join('kubeperf-results', `${merged.runId}-merged`);
      mkdirSync(out, { recursive: true });
      writeResultsFile(join(out, 'results.json'), merged);
      await writeReports(merged, reportFilesIn(out));
      await writeStdout(formatOutcome({ results: merged, outDir: out }, f.json));
      process.exitCode = exitCodeForVerdict(merged.verdict);
    });
}
