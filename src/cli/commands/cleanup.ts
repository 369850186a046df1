/**
 * `kubeperf cleanup --run-id ID | --all`: deletes only objects carrying kubeperf's run label (and only
 * namespaces kubeperf created), on the cluster named by --kubeconfig/--context.
 */
import { Command } from 'commander';
import { InputError, KubeperfError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import type { ProgressReporter } from '../../core/progress.js';
import { cleanupRun } from '../../kube/cleanup.js';
import { resolveKubeconfigTarget } from '../../kube/target.js';
import { printHuman, printJson } from '../io.js';

interface CleanupFlags {
  runId?: string;
  all?: boolean;
  milo?: boolean;
  testId?: string;
  orgName?: string;
  namespace?: string;
  miloKubeconfig?: string;
  wait?: string;
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
    .option('--milo', "delete a Milo run's objects (its runner's cleanup mode; docs/milo.md)")
    .option('--test-id <id>', '--milo: the test_id (default $TEST_ID, else the perf-results ConfigMap)')
    .option('--org-name <name>', '--milo: the organization (default $ORG_NAME, else the ConfigMap)')
    .option('--namespace <ns>', '--milo: namespace of perf-results (default $NS, else milo-system)')
    .option(
      '--milo-kubeconfig <path>',
      "--milo: Milo's kubeconfig when it is not the cluster's (default $MILO_KUBECONFIG_PATH)",
    )
    .option('--wait <duration>', "--milo: wait for the projects' finalizers up to this long", '120s')
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
  kubeperf cleanup --all --context kind-perf
  kubeperf cleanup --milo --kubeconfig milo.kubeconfig        test_id/org_name from ConfigMap perf-results`,
    )
    .action(async (f: CleanupFlags) => {
      if (f.milo) return miloCleanup(f);
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

/** `kubeperf cleanup --milo`: the runner's cleanup mode (src/phases/milo/cleanup.ts). */
async function miloCleanup(f: CleanupFlags): Promise<void> {
  if (f.runId || f.all) throw new InputError('--milo cannot be combined with --run-id or --all');
  if (!f.kubeconfig && !f.context) {
    throw new InputError('cleanup --milo needs a cluster: pass --kubeconfig FILE and/or --context NAME', {
      hint: 'the cluster where perf-results lives (and Milo, unless --milo-kubeconfig names it)',
    });
  }
  const { parseDuration } = await import('../../config/duration.js');
  const waitMs = parseDuration(f.wait ?? '120s');
  if (waitMs === undefined)
    throw new InputError(`--wait: "${f.wait}" is not a duration`, { hint: 'e.g. --wait 2m' });
  const { MiloOptions } = await import('../../phases/milo/options.js');
  const { connectMilo, connectRunTarget } = await import('../../phases/milo/clients.js');
  const { cleanupMilo, resolveTest } = await import('../../phases/milo/cleanup.js');
  const env = process.env;
  const parsed = MiloOptions.safeParse({
    mode: 'cleanup',
    testId: f.testId ?? env.TEST_ID ?? '',
    orgName: f.orgName ?? env.ORG_NAME ?? '',
    namespace: f.namespace ?? (env.NS || 'milo-system'),
    miloKubeconfig: f.miloKubeconfig ?? env.MILO_KUBECONFIG_PATH ?? '',
    authBearerToken: env.AUTH_BEARER_TOKEN ?? '',
  });
  if (!parsed.success) {
    throw new InputError('cleanup --milo: bad options', {
      problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    });
  }
  const o = parsed.data;
  const target = await resolveKubeconfigTarget({ kubeconfig: f.kubeconfig, context: f.context });
  const log = createLogger();
  const results = await connectRunTarget(target);
  try {
    const test = await resolveTest(results, o);
    const api = await connectMilo(target, results, o);
    try {
      const r = await cleanupMilo(api, results, { ...test, namespace: o.namespace, waitMs, log });
      if (f.json) await printJson(r);
      else {
        await printHuman(
          `cleanup of Milo test ${r.testId} (organization ${r.orgName}, from ${r.from}): deleted ${r.deleted.secrets} Secrets, ${r.deleted.configmaps} ConfigMaps, ${r.deleted.projects} Projects, organization: ${r.deleted.organization ? 'yes' : 'no'}, perf-results: ${r.deleted.configMap ? 'yes' : 'no'}` +
            (r.remainingProjects.length ? `\nstill terminating: ${r.remainingProjects.join(', ')}` : '') +
            (r.skipped.length ? `\nleft alone (not this test's): ${r.skipped.join(', ')}` : ''),
        );
      }
      if (r.errors.length) {
        throw new KubeperfError(
          `cleanup --milo: ${r.errors.length} error(s): ${r.errors.slice(0, 3).join('; ')}`,
        );
      }
    } finally {
      await api.close();
    }
  } finally {
    await results.close();
  }
}
