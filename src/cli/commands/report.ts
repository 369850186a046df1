import { dirname } from 'node:path';
import { Command } from 'commander';
import { loadResults } from '../../report/load-results.js';
import { reportFilesIn, writeReports, type ReportFiles } from '../../report/write.js';
import { printHuman } from '../io.js';

interface ReportOptions {
  html?: string;
  md?: string;
  junit?: string;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('Render reports from a results.json (no flags: report.html, report.md, junit.xml beside it)')
    .argument('<results>', 'results.json of a run')
    .option('--html <file>', 'write the self-contained HTML report')
    .option('--md <file>', 'write the Markdown report')
    .option('--junit <file>', 'write JUnit XML (one testcase per threshold and SLO check)')
    .action(async (path: string, opts: ReportOptions) => {
      const results = await loadResults(path);
      const files: ReportFiles =
        opts.html || opts.md || opts.junit
          ? { html: opts.html, md: opts.md, junit: opts.junit }
          : reportFilesIn(dirname(path));
      await writeReports(results, files);
      for (const f of [files.html, files.md, files.junit]) if (f) await printHuman(`wrote ${f}`);
    });
}
