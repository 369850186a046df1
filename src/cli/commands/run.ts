import { Command, Option } from 'commander';
import { fileURLToPath } from 'node:url';
import { loadRunnable } from '../../kubeburner/load.js';
import { resolveStudyArg } from '../../config/study-path.js';
import { buildPlan, formatPlan } from '../../config/plan.js';
import { builtinRegistry } from '../../phases/builtin.js';
import { newRunId } from '../../run/run-id.js';
import { executeStudy } from '../../run/run-study.js';
import { collect, printHuman, printJson } from '../io.js';
import { printOutcome } from '../summary.js';
import { addDistributedOptions, distributedRunOptions, type DistributedFlags } from './run-distributed.js';

/** The study `kubeperf run` runs without a file (packaged with the tool). */
export const defaultStudyPath = fileURLToPath(new URL('../../../studies/default.yaml', import.meta.url));

interface RunFlags extends DistributedFlags {
  userData?: string;
  kubeconfig?: string;
  context?: string;
  out?: string;
  set?: string[];
  dryRun?: boolean;
  keep?: boolean;
  json?: boolean;
}

export function runCommand(): Command {
  const cmd = new Command('run')
    .description('Run a study (default: the built-in study on the embedded control plane)')
    .argument(
      '[study]',
      'study YAML file, a kube-burner config, or the name of a built-in study (default: studies/default.yaml)',
    )
    .option(
      '--kubeconfig <path>',
      'run against the cluster of this kubeconfig (default: embedded control plane)',
    )
    .option('--context <name>', 'kubeconfig context to use (implies a kubeconfig target)')
    .option('--out <dir>', 'output directory (default: kubeperf-results/<run-id>)')
    .addOption(
      new Option(
        '--set <path=value>',
        'override a config value, e.g. phases.0.objects=100 (repeatable)',
      ).argParser(collect),
    )
    .option('--dry-run', 'print the resolved plan without sending a request')
    .option('--keep', 'keep the objects the run created (default: delete them at the end)')
    .option('--json', 'print results.json (or the plan) on stdout; logs and progress go to stderr')
    .option(
      '--user-data <file>',
      'kube-burner configs: variables for the config template (as kube-burner --user-data)',
    );
  return addDistributedOptions(cmd)
    .addHelpText(
      'after',
      `
Examples:
  kubeperf run                                   built-in study on the embedded control plane
  kubeperf run examples/crud-configmaps.yaml --dry-run
  kubeperf run study.yaml --kubeconfig ~/.kube/config --context kind-perf
  kubeperf run study.yaml --set phases.0.objects=5000 --json | jq .verdict
  kubeperf run study.yaml --kubeconfig kc --run-id perf-1 --worker 0/4   one of 4 workers (docs/deploy.md)
  kubeperf run api-intensive.yml --set jobs.0.jobIterations=10      a kube-burner config, unchanged

Exit codes: 0 ok, 1 tool failure, 2 bad input, 3 threshold failed, 4 run invalid, 130 interrupted.`,
    )
    .action(async (study: string | undefined, flags: RunFlags) => {
      const registry = builtinRegistry();
      const { loaded, kubeBurner } = loadRunnable(study ? resolveStudyArg(study).path : defaultStudyPath, {
        registry,
        set: flags.set,
        userData: flags.userData,
      });
      for (const n of kubeBurner?.notes ?? []) process.stderr.write(`kube-burner: ${n}\n`);
      const plan = buildPlan(loaded, {
        runId: flags.runId ?? newRunId(),
        kubeconfig: flags.kubeconfig,
        context: flags.context,
      });
      const distributed = distributedRunOptions(flags, plan);
      if (flags.dryRun) {
        if (flags.json) printJson(plan);
        else printHuman(formatPlan(plan));
        return;
      }
      const outcome = await executeStudy(loaded, {
        source: loaded.source,
        baseDir: loaded.baseDir,
        kubeconfig: flags.kubeconfig,
        context: flags.context,
        out: flags.out,
        keep: flags.keep,
        json: flags.json,
        registry,
        notes: kubeBurner?.notes.map((n) => `kube-burner config: ${n}`),
        ...distributed,
      });
      printOutcome(outcome, flags.json);
      process.exitCode = outcome.exitCode;
    });
}
