/**
 * `kubeperf deploy STUDY`: runs a study inside the cluster as a Job (or an Indexed Job of N workers)
 * with least-privilege RBAC computed from the study; --dry-run prints the manifests, --wait waits for
 * the Job and collects the results. docs/deploy.md.
 */
import { Command, Option } from 'commander';
import { exitCodeForVerdict } from '../../analysis/analyze.js';
import { parseDuration } from '../../config/duration.js';
import { InputError, KubeperfError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { applyDeploy, parseEnvFlags, planDeploy, waitDeployed } from '../../deploy/deploy.js';
import { deployName } from '../../deploy/manifests.js';
import { collectInto } from '../../deploy/results/collect.js';
import type { KubeClient } from '../../kube/client.js';
import { connect } from '../../kube/connect.js';
import { resolveKubeconfigTarget } from '../../kube/target.js';
import { collect, printHuman, writeStdout } from '../io.js';
import { formatOutcome } from '../summary.js';

interface DeployFlags {
  namespace?: string;
  workers: string;
  image?: string;
  dryRun?: boolean;
  wait?: boolean;
  timeout: string;
  out?: string;
  env?: string[];
  set?: string[];
  userData?: string;
  runId?: string;
  kubeconfig?: string;
  context?: string;
  grantMetrics?: boolean;
  cpu?: string;
  memory?: string;
  deadline?: string;
  json?: boolean;
  cleanup?: boolean;
  keep?: boolean;
}

export function deployCommand(): Command {
  return new Command('deploy')
    .description(
      'Run a study inside the cluster as a Job (Indexed Job with --workers), with RBAC computed from the study',
    )
    .argument('<study>', 'study YAML, kube-burner config, or the name of a built-in study (e.g. milo)')
    .option(
      '--namespace <ns>',
      'namespace of the Job, its RBAC and its results ConfigMap (must exist; default: the study’s deploy.namespace, else default)',
    )
    .option('--workers <n>', 'pods sharing the load (an Indexed Job); each does 1/N of every phase', '1')
    .option('--image <image>', 'kubeperf container image (see Dockerfile)')
    .option('--dry-run', 'print the manifests (YAML) and apply nothing')
    .option('--wait', 'wait for the Job to finish, then collect its results into --out')
    .option('--timeout <duration>', 'with --wait: how long to wait for the Job', '2h')
    .option('--out <dir>', 'with --wait: where to write the results (default kubeperf-results/<run-id>)')
    .addOption(
      new Option(
        '--env <NAME=value>',
        'environment of the run (the study’s ${VAR} knobs; repeatable)',
      ).argParser(collect),
    )
    .addOption(
      new Option('--set <path=value>', 'override a study value in the pod (repeatable)').argParser(collect),
    )
    .option('--user-data <file>', 'kube-burner configs: variables for the config template')
    .option('--run-id <id>', 'run id (default: a new one, printed)')
    .option('--kubeconfig <path>', 'cluster to deploy to (with --dry-run: resolve kinds by its discovery)')
    .option('--context <name>', 'kubeconfig context')
    .option(
      '--grant-metrics',
      'grant GET /metrics (control-plane CPU/memory) even when nothing else is cluster-wide',
    )
    .option('--no-grant-metrics', 'never grant GET /metrics')
    .option('--cpu <quantity>', 'CPU request of each pod', '1')
    .option('--memory <quantity>', 'memory request of each pod', '512Mi')
    .option('--deadline <duration>', 'Job activeDeadlineSeconds')
    .option('--json', 'with --wait: print results.json on stdout')
    .option(
      '--cleanup',
      'deploy the study’s cleanup mode instead (deploy.cleanup.env, e.g. RUN_MODE=cleanup for milo)',
    )
    .option(
      '--keep',
      'the run leaves what it created (kubeperf run --keep); default: the study’s deploy.keep',
    )
    .addHelpText(
      'after',
      `
Examples:
  kubeperf deploy examples/crud-configmaps.yaml --dry-run | kubectl apply --dry-run=server -f -
  kubeperf deploy study.yaml --kubeconfig ~/.kube/config --namespace perf --wait
  kubeperf deploy study.yaml --kubeconfig kc --namespace perf --workers 8 --image registry/kubeperf:0.1.0
  kubeperf deploy milo --kubeconfig kc --env NUM_PROJECTS=500 --wait   Milo's runner Job (docs/milo.md)
  kubeperf deploy milo --kubeconfig kc --cleanup                          … and its cleanup Job

Exit codes: 0 ok, 1 tool failure, 2 bad input, 3 threshold failed, 4 run invalid (with --wait).`,
    )
    .action(async (study: string, f: DeployFlags) => {
      const log = createLogger();
      const workers = /^\d+$/.test(f.workers) ? Number(f.workers) : NaN;
      const deadline = f.deadline !== undefined ? parseDuration(f.deadline) : undefined;
      if (f.deadline !== undefined && deadline === undefined)
        throw new InputError(`--deadline ${f.deadline}: not a duration`);
      const input = {
        study,
        namespace: f.namespace,
        workers,
        image: f.image,
        env: parseEnvFlags(f.env),
        set: f.set ?? [],
        runId: f.runId,
        userData: f.userData,
        grantMetrics: f.grantMetrics,
        cpu: f.cpu,
        memory: f.memory,
        ...(deadline ? { deadlineSeconds: Math.ceil(deadline / 1000) } : {}),
        cleanup: f.cleanup,
        keep: f.keep,
      };
      const cluster = f.kubeconfig || f.context;
      if (!cluster && !f.dryRun)
        throw new InputError(
          'kubeperf deploy applies to a cluster: pass --kubeconfig (and --context), or --dry-run',
          {
            hint: 'kubeperf never uses your current kube context silently',
          },
        );
      let client: KubeClient | undefined;
      try {
        let server: string | undefined;
        if (cluster) {
          const target = await resolveKubeconfigTarget({ kubeconfig: f.kubeconfig, context: f.context });
          client = await connect(target, { connections: 2 });
          server = target.server;
        }
        const plan = await planDeploy(input, client, server);
        if (f.dryRun) {
          await writeStdout(plan.yaml);
          return;
        }
        await applyDeploy(client!, plan, log);
        await printHuman(
          `deployed run ${plan.spec.runId}: job ${plan.spec.namespace}/${deployName(plan.spec.runId)}`,
          f.json,
        );
        if (!f.wait) return;
        const timeoutMs = parseDuration(f.timeout);
        if (timeoutMs === undefined) throw new InputError(`--timeout ${f.timeout}: not a duration`);
        const job = await waitDeployed(client!, plan, { timeoutMs, log });
        if (job.state === 'timeout')
          throw new KubeperfError(`job ${deployName(plan.spec.runId)} did not finish within ${f.timeout}`, {
            hint: `collect later: kubeperf collect --namespace ${plan.spec.namespace} --run-id ${plan.spec.runId}`,
          });
        if (job.state === 'failed')
          log.warn(`job failed: ${job.message ?? 'see kubectl describe job'}; collecting what it wrote`);
        const { results, out } = await collectInto(client!, {
          namespace: plan.spec.namespace,
          runId: plan.spec.runId,
          out: f.out,
          log,
        });
        await writeStdout(formatOutcome({ results, outDir: out }, f.json));
        process.exitCode = exitCodeForVerdict(results.verdict);
      } finally {
        await client?.close();
      }
    });
}
