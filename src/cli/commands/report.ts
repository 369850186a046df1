import { Command } from 'commander';
import { notAvailable } from '../not-available.js';

export function reportCommand(): Command {
  return new Command('report')
    .description('Render reports from a results.json')
    .argument('<results>', 'results.json of a run')
    .option('--html <file>', 'write the self-contained HTML report')
    .option('--md <file>', 'write the Markdown report')
    .option('--junit <file>', 'write JUnit XML (one testcase per threshold and SLO check)')
    .action(notAvailable('kubeperf report'));
}
