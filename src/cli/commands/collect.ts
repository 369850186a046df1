/**
 * `kubeperf collect --namespace NS --run-id ID --out DIR`: reads an in-cluster run's results out of
 * its results ConfigMaps (or its pods' logs) and writes them, merged when the run had workers.
 */
import { Command } from 'commander';
import { exitCodeForVerdict } from '../../analysis/analyze.js';
import { InputError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { collectInto } from '../../deploy/results/collect.js';
import { connect } from '../../kube/connect.js';
import { resolveKubeconfigTarget } from '../../kube/target.js';
import { printHuman, writeStdout } from '../io.js';
import { formatOutcome } from '../summary.js';

export interface CollectFlags {
  namespace?: string;
  runId?: string;
  name?: string;
  out?: string;
  kubeconfig?: string;
  context?: string;
  json?: boolean;
}

export function collectCommand(): Command {
  return new Command('collect')
    .description(
      'Download an in-cluster run’s results (results ConfigMaps, or its pods’ logs) and reassemble them',
    )
    .requiredOption('--namespace <ns>', 'namespace the run was deployed to')
    .requiredOption('--run-id <id>', 'the run id (kubeperf deploy prints it)')
    .option('--name <configmap>', 'the results ConfigMap, when the run used --results-name')
    .option('--out <dir>', 'output directory (default: kubeperf-results/<run-id>)')
    .option('--kubeconfig <path>', 'kubeconfig of the cluster')
    .option('--context <name>', 'kubeconfig context')
    .option('--json', 'print results.json on stdout')
    .action(async (f: CollectFlags) => {
      const outcome = await collectRun(f);
      process.exitCode = outcome.exitCode;
    });
}

export async function collectRun(f: CollectFlags): Promise<{ exitCode: number }> {
  if (!f.kubeconfig && !f.context)
    throw new InputError('kubeperf collect reads from a cluster: pass --kubeconfig (and --context)', {
      hint: 'in a pod: --kubeconfig in-cluster',
    });
  const log = createLogger();
  const target = await resolveKubeconfigTarget({ kubeconfig: f.kubeconfig, context: f.context });
  const client = await connect(target, { connections: 2 });
  try {
    const { source, out, results, files } = await collectInto(client, {
      namespace: f.namespace!,
      runId: f.runId!,
      name: f.name,
      out: f.out,
      log,
    });
    await printHuman(
      `collected run ${f.runId} from ${source === 'configmap' ? 'its results ConfigMap(s)' : 'its pods’ logs'}: ${files.length} files in ${out}`,
      f.json,
    );
    await writeStdout(formatOutcome({ results, outDir: out }, f.json));
    return { exitCode: exitCodeForVerdict(results.verdict) };
  } finally {
    await client.close();
  }
}
