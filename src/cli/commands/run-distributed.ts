/**
 * The flags of `kubeperf run` for runs that other processes take part in: a fixed --run-id, one
 * worker's share (--worker I/N, barriers in --barrier-namespace), and publishing results to a
 * ConfigMap (--results-namespace) as an in-cluster run does, on another cluster than the one
 * measured (--results-kubeconfig). Turned into RunStudyOptions here so the run command itself stays
 * a few lines.
 */
import { Option, type Command } from 'commander';
import { parseDuration } from '../../config/duration.js';
import type { StudyPlan } from '../../config/plan.js';
import { InputError } from '../../core/errors.js';
import { publishHooks } from '../../deploy/results/publish.js';
import { workerHooks } from '../../deploy/workers/hooks.js';
import { parseShare, type WorkerShare } from '../../load/share.js';
import { composeHooks, type RunHooks } from '../../run/hooks.js';
import { runIdProblem } from '../../run/run-id.js';
import { resolveKubeconfigTarget } from '../../kube/target.js';
import type { Target } from '../../phases/types.js';

export interface DistributedFlags {
  runId?: string;
  worker?: string;
  barrierNamespace?: string;
  barrierTimeout?: string;
  resultsNamespace?: string;
  resultsName?: string;
  resultsKubeconfig?: string;
}

export function addDistributedOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--run-id <id>', 'use this run id (workers of one run share it)'))
    .addOption(
      new Option(
        '--worker <I/N>',
        'run worker I’s share of N (objects, iterations, rate); all N start together at a barrier',
      ),
    )
    .addOption(
      new Option('--barrier-namespace <ns>', 'namespace of the workers’ barrier Leases').default(
        undefined,
        '--results-namespace, else default',
      ),
    )
    .addOption(
      new Option('--barrier-timeout <duration>', 'how long workers wait for each other').default('10m'),
    )
    .addOption(
      new Option(
        '--results-namespace <ns>',
        'also write results.json, report.html, the verdict and per-phase checkpoints to a ConfigMap in this namespace of the target',
      ),
    )
    .addOption(
      new Option(
        '--results-name <name>',
        'name of that ConfigMap (default kubeperf-results-<run-id>[-w<I>])',
      ),
    )
    .addOption(
      new Option(
        '--results-kubeconfig <path>',
        'write results and meet at barriers on this cluster instead of the target (a kubeconfig file, or in-cluster): a run in one cluster measuring another',
      ),
    );
}

export function distributedRunOptions(
  f: DistributedFlags,
  plan: StudyPlan,
): { runId?: string; share?: WorkerShare; hooks?: RunHooks; resultsTarget?: () => Promise<Target> } {
  const bad = f.runId !== undefined ? runIdProblem(f.runId) : undefined;
  if (bad) throw new InputError(bad);
  let share: WorkerShare | undefined;
  if (f.worker !== undefined) {
    const s = parseShare(f.worker);
    if ('error' in s) throw new InputError(`--worker ${f.worker}: ${s.error}`);
    share = s;
    if (s.count > 1 && !f.runId)
      throw new InputError(`--worker ${f.worker}: the workers of one run need the same --run-id`, {
        hint: 'e.g. --run-id perf-1 --worker 0/4 … --run-id perf-1 --worker 3/4',
      });
    if (s.count > 1 && plan.target.kind !== 'kubeconfig')
      throw new InputError(`--worker ${f.worker}: the workers must share one cluster`, {
        hint: 'pass --kubeconfig (and --context) or set target: in the study; each embedded control plane is private to its run',
      });
  }
  if (f.resultsNamespace && plan.target.kind !== 'kubeconfig' && !f.resultsKubeconfig)
    throw new InputError('--results-namespace writes to the target cluster: it needs a kubeconfig target', {
      hint: 'in a pod: --kubeconfig in-cluster',
    });
  const timeoutMs = parseDuration(f.barrierTimeout ?? '10m');
  if (timeoutMs === undefined) throw new InputError(`--barrier-timeout ${f.barrierTimeout}: not a duration`);
  // One connection check, shared by the barrier and the publisher.
  let reportTarget: Promise<Target> | undefined;
  const flag = `--results-kubeconfig ${f.resultsKubeconfig}`;
  const target = f.resultsKubeconfig
    ? () =>
        (reportTarget ??= resolveKubeconfigTarget({ kubeconfig: f.resultsKubeconfig }).catch((e: unknown) => {
          if (!(e instanceof InputError)) throw e;
          throw new InputError(`${flag}: ${e.message}`, { hint: e.hint, problems: e.problems, cause: e });
        }))
    : undefined;
  const hooks = composeHooks([
    share && share.count > 1
      ? workerHooks({
          share,
          namespace: f.barrierNamespace ?? f.resultsNamespace ?? 'default',
          timeoutMs,
          target,
        })
      : undefined,
    f.resultsNamespace
      ? publishHooks({ namespace: f.resultsNamespace, name: f.resultsName, share, target })
      : undefined,
  ]);
  return {
    ...(f.runId ? { runId: f.runId } : {}),
    ...(share ? { share } : {}),
    hooks,
    // Phases that publish results of their own (Milo's perf-results) write them there too.
    ...(target ? { resultsTarget: target } : {}),
  };
}
