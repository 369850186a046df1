/**
 * `kubeperf cleanup --run-id ID | --all`: deletes only objects carrying kubeperf's run label (and only
 * namespaces kubeperf created), on the cluster named by --kubeconfig/--context.
 */
import { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import type { ProgressReporter } from '../../core/progress.js';
import { cleanupRun } from '../../kube/cleanup.js';
import { resolveKubeconfigTarget } from '../../kube/target.js';
import { printHuman, printJson } from '../io.js';

interface CleanupFlags {
  runId?: string;
  all?: boolean;
  kubeconfig?: string;
  context?: string;
  json?: boolean;
}

function stderrProgress(): ProgressReporter {
  let total = 0;
  let done = 0;
  let errors = 0;
  let last = 0;
  return {
    start: (t) => {
      total = t ?? 0;
    },
    advance: (d = 1, e = 0) => {
      done += d;
      errors += e;
      const now = performance.now();
      if (now - last > 1000 || done === total) {
        last = now;
        process.stderr.write(`cleanup: ${done}/${total} deleted${errors ? `, ${errors} failed` : ''}\n`);
      }
    },
    status: () => {},
    finish: () => {},
  };
}

export function cleanupCommand(): Command {
  return new Command('cleanup')
    .description('Delete objects kubeperf created (selected by its run labels only)')
    .option('--run-id <id>', 'delete the objects of this run')
    .option('--all', 'delete the objects of every kubeperf run')
    .option('--kubeconfig <path>', 'kubeconfig file')
    .option('--context <name>', 'kubeconfig context')
    .option('--json', 'print the summary as JSON on stdout')
    .addHelpText(
      'after',
      `
Only objects labelled kubeperf.io/run-id (=ID with --run-id) are deleted, and only namespaces that
kubeperf created itself (kubeperf.io/created-namespace=true). Nothing else is ever touched.

Examples:
  kubeperf cleanup --run-id 20261122-193501-ab12 --kubeconfig ~/.kube/config
  kubeperf cleanup --all --context kind-perf`,
    )
    .action(async (f: CleanupFlags) => {
      if (!f.runId === !f.all) {
        throw new InputError('cleanup needs exactly one of --run-id ID or --all', {
          hint: 'the run id is in results.json (runId) and in the output directory name',
        });
      }
      if (f.runId !== undefined && !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(f.runId)) {
        throw new InputError(`--run-id "${f.runId}" is not a valid label value`);
      }
      if (!f.kubeconfig && !f.context) {
        throw new InputError('cleanup needs a cluster: pass --kubeconfig FILE and/or --context NAME', {
          hint: 'the embedded control plane is removed with its run, so there is nothing to clean there',
        });
      }
      const target = await resolveKubeconfigTarget({ kubeconfig: f.kubeconfig, context: f.context });
      const log = createLogger();
      const r = await cleanupRun(target, { runId: f.runId, all: f.all, log, progress: stderrProgress() });
      if (f.json) await printJson(r);
      else {
        const parts = Object.entries(r.byResource).map(([k, v]) => `${k}: ${v}`);
        await printHuman(`deleted ${r.deleted} objects${parts.length ? ` (${parts.join(', ')})` : ''}`);
      }
    });
}
