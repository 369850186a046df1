/**
 * The run hooks of an in-cluster run (`kubeperf run --results-namespace NS`): after every phase a
 * checkpoint of results.json goes into the results ConfigMap(s); at the end results.json, report.html,
 * the verdict and the exit code do, and results.json is also printed to the log (log-block.ts).
 * The files are the bytes written to the run's directory, so a collected results.json is identical.
 * Results ConfigMaps do not carry the run label: the run's own cleanup must not delete its results.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeClient } from '../../kube/client.js';
import { connect } from '../../kube/connect.js';
import type { ResourceMapping } from '../../kube/discovery.js';
import { describeResponse } from '../../kube/response.js';
import { LABEL_WORKER, type WorkerShare } from '../../load/share.js';
import type { Target } from '../../phases/types.js';
import type { Results } from '../../results/types.js';
import type { HookContext, RunHooks } from '../../run/hooks.js';
import { formatLogBlock } from './log-block.js';
import {
  encodeResults,
  LABEL_RESULTS_OF,
  LABEL_RESULTS_PART,
  resultsConfigMapName,
  type Manifest,
} from './layout.js';

export const configMapMapping: ResourceMapping = {
  group: '',
  version: 'v1',
  resource: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
};

export interface PublishOptions {
  namespace: string;
  /** Default kubeperf-results-<run-id>[-w<I>]. */
  name?: string;
  share?: WorkerShare;
  /** Write to this cluster instead of the run's target (`--results-kubeconfig`). */
  target?: () => Promise<Target>;
  /** Where the log block goes (default stderr, which a pod's log carries). */
  writeLog?: (text: string) => void;
}

/** Writes the ConfigMaps (server-side apply, so create and update are one request each). */
export async function publishFiles(
  client: KubeClient,
  namespace: string,
  name: string,
  runId: string,
  files: Record<string, Buffer>,
  meta: Omit<Manifest, 'format' | 'files' | 'configMaps' | 'runId'>,
  budget?: number,
): Promise<string[]> {
  const maps = encodeResults(name, files, { runId, ...meta }, budget);
  // Overflow parts first, the manifest last: a reader never sees a manifest naming absent parts.
  for (const [i, m] of [...maps.entries()].reverse()) {
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: m.name,
        namespace,
        labels: {
          [LABEL_RESULTS_OF]: runId,
          [LABEL_RESULTS_PART]: String(i),
          'app.kubernetes.io/managed-by': 'kubeperf',
          ...(meta.worker && meta.worker.count > 1 ? { [LABEL_WORKER]: String(meta.worker.index) } : {}),
        },
      },
      data: m.data,
      binaryData: m.binaryData,
    };
    const r = await client.patch(
      configMapMapping,
      namespace,
      m.name,
      JSON.stringify(body),
      'apply',
      'publish',
    );
    if (!r || r.status >= 300)
      throw new Error(
        `cannot write results ConfigMap ${namespace}/${m.name}: ${r ? describeResponse(r) : 'connection failed'}`,
      );
  }
  return maps.map((m) => m.name);
}

export function publishHooks(o: PublishOptions): RunHooks {
  let client: KubeClient | undefined;
  let target: Target | undefined;
  const clientFor = async (t: Target) => {
    if (!client || target !== t) {
      await client?.close();
      client = await connect(t, { connections: 1 });
      target = t;
    }
    return client;
  };
  const nameOf = (ctx: HookContext) => o.name ?? resultsConfigMapName(ctx.runId, o.share);
  const worker = o.share && o.share.count > 1 ? { index: o.share.index, count: o.share.count } : undefined;
  const publish = async (
    ctx: HookContext,
    results: Results,
    state: Manifest['state'],
    extra: Partial<Manifest>,
  ) => {
    const files: Record<string, Buffer> = { 'results.json': readFileSync(join(ctx.outDir, 'results.json')) };
    if (state === 'finished') {
      try {
        files['report.html'] = readFileSync(join(ctx.outDir, 'report.html'));
      } catch {
        // output.formats without html: results.json alone
      }
    }
    const c = await clientFor(o.target ? await o.target() : ctx.target);
    const names = await publishFiles(c, o.namespace, nameOf(ctx), ctx.runId, files, {
      ...(worker ? { worker } : {}),
      state,
      phase: results.phases[results.phases.length - 1]?.name ?? '',
      phasesDone: results.phases.length,
      verdict: state === 'finished' ? results.verdict : 'running',
      updatedAt: new Date().toISOString(),
      ...extra,
    });
    ctx.log.info(
      `results ${state === 'finished' ? '' : 'checkpoint '}→ ConfigMap ${o.namespace}/${names.join(', ')}`,
    );
  };
  return {
    afterPhase: (ctx) => publish(ctx, ctx.results, 'running', {}),
    // The state before cleanup, which can take long (or fail) on a big run.
    beforeCleanup: async (ctx) => {
      await publish(ctx, ctx.results, 'running', {}).catch((e) =>
        ctx.results.warnings.push(`checkpoint: ${(e as Error).message}`),
      );
      return true;
    },
    async finished(ctx, outcome) {
      (o.writeLog ?? ((t: string) => process.stderr.write(t)))(
        formatLogBlock(ctx.runId, readFileSync(join(ctx.outDir, 'results.json')), worker),
      );
      try {
        await publish(ctx, outcome.results, 'finished', { exitCode: outcome.exitCode });
      } finally {
        await client?.close();
        client = undefined;
      }
    },
  };
}
