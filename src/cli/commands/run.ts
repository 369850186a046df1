import { Command, Option } from 'commander';
import { defaultStudyPath, resolveStudyArg } from '../../config/study-path.js';
import { loadRunnable } from '../../kubeburner/load.js';
import { buildPlan, formatPlan } from '../../config/plan.js';
import { builtinRegistry } from '../../phases/builtin.js';
import { newRunId } from '../../run/run-id.js';
import { executeStudy } from '../../run/run-study.js';
import { InputError } from '../../core/errors.js';
import { checkKubeconfigTarget, kubeconfigSelection } from '../../run/target.js';
import { collect, printHuman, printJson, writeStdout } from '../io.js';
import { formatOutcome } from '../summary.js';
import { addDistributedOptions, distributedRunOptions, type DistributedFlags } from './run-distributed.js';

interface RunFlags extends DistributedFlags {
  userData?: string;
  kubeconfig?: string;
  context?: string;
  out?: string;
  set?: string[];
  dryRun?: boolean;
  keep?: boolean;
  json?: boolean;
  metricsPort?: string;
}

export function runCommand(): Command {
  const cmd = new Command('run')
    .description('Run a study (default: the built-in study on the embedded control plane)')
    .argument(
      '[study]',
      'study YAML file, a kube-burner config, or the name of a built-in study such as milo (default: studies/default.yaml)',
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
    .option(
      '--keep',
      'do not delete at the end what the run left on a kubeconfig target (job objects, namespaces it created); ' +
        'a crud phase still deletes its own objects, as its measured delete step',
    )
    .option('--json', 'print results.json (or the plan) on stdout; logs and progress go to stderr')
    .option(
      '--metrics-port <n>',
      "serve kubeperf's own Prometheus /metrics on this port during the run (0: a free port)",
    )
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
  kubeperf run milo --set NUM_PROJECTS=20            a built-in study; NAME=value sets its \${NAME}
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
        // The target is checked as far as it can be without a request: file, context, cluster, user.
        if (plan.target.kind === 'kubeconfig') {
          const sel = kubeconfigSelection(loaded.study, {
            baseDir: loaded.baseDir,
            kubeconfigFlag: flags.kubeconfig,
            contextFlag: flags.context,
          });
          plan.target = { ...plan.target, ...(await checkKubeconfigTarget(sel)) };
        }
        if (flags.json) await printJson(plan);
        else await printHuman(formatPlan(plan));
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
        metricsPort: parsePort('--metrics-port', flags.metricsPort),
        notes: kubeBurner?.notes.map((n) => `kube-burner config: ${n}`),
        ...distributed,
      });
      await writeStdout(formatOutcome(outcome, flags.json));
      process.exitCode = outcome.exitCode;
    });
}

function parsePort(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) > 65535) {
    throw new InputError(`${flag}: "${v}" is not a port number (0-65535; 0 picks a free port)`);
  }
  return Number(v);
}
