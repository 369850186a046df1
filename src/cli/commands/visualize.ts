/**
 * `kubeperf visualize RESULTS.json`: the HTML report of a run, written (beside results.json by
 * default) and, with --open, opened in a browser ($BROWSER, else the desktop's opener).
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { loadResults } from '../../report/load-results.js';
import { writeReports } from '../../report/write.js';
import { printHuman } from '../io.js';

/** The command that opens a file in a browser here: $BROWSER first, as xdg-utils and Python do. */
function opener(file: string): [string, string[]] {
  if (process.env.BROWSER) return [process.env.BROWSER, [file]];
  if (process.platform === 'darwin') return ['open', [file]];
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '', file]];
  return ['xdg-open', [file]];
}

function openInBrowser(file: string): Promise<string | undefined> {
  const [cmd, args] = opener(file);
  return new Promise((done) => {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.once('error', (e) => done(`${cmd}: ${e.message}`));
    child.once('spawn', () => {
      child.unref();
      done(undefined);
    });
  });
}

export function visualizeCommand(): Command {
  return new Command('visualize')
    .description('Write the HTML report of a run (default: report.html beside results.json) and open it')
    .argument('<results>', 'results.json of a run')
    .option('--out <file>', 'where to write the HTML report')
    .option('--open', 'open the report in a browser ($BROWSER, else xdg-open / open / start)')
    .addHelpText(
      'after',
      `
Examples:
  kubeperf visualize kubeperf-results/<run-id>/results.json --open
  kubeperf visualize results.json --out /tmp/report.html`,
    )
    .action(async (path: string, opts: { out?: string; open?: boolean }) => {
      const results = await loadResults(path);
      const html = resolve(opts.out ?? join(dirname(path), 'report.html'));
      await writeReports(results, { html });
      await printHuman(`wrote ${html}`);
      if (opts.open) {
        const failed = await openInBrowser(html);
        if (failed)
          process.stderr.write(`kubeperf: could not open a browser (${failed}); open ${html} yourself\n`);
      }
    });
}
