/**
 * The run hooks of one worker of a distributed run: wait at the start barrier before the first
 * phase (after the target is open and the study checked), record when it was released, and wait at
 * the end barrier before cleanup, so no worker deletes what others still measure; worker 0 alone
 * runs the run-level cleanup.
 */
import { hostname } from 'node:os';
import { connect } from '../../kube/connect.js';
import type { WorkerShare } from '../../load/share.js';
import type { Target } from '../../phases/types.js';
import type { HookContext, RunHooks } from '../../run/hooks.js';
import type { KubeClient } from '../../kube/client.js';
import { arriveAndWait, leaseMapping, leaseName } from './barrier.js';

export interface WorkerHookOptions {
  share: WorkerShare;
  /** Namespace of the barrier Leases (it must exist). */
  namespace: string;
  timeoutMs: number;
  /** Coordinate through this cluster instead of the run's target (`--results-kubeconfig`). */
  target?: () => Promise<Target>;
}

export function workerHooks(o: WorkerHookOptions): RunHooks {
  const barrier = async (ctx: HookContext, name: string, after?: (c: KubeClient) => Promise<void>) => {
    const client = await connect(o.target ? await o.target() : ctx.target, { connections: 2 });
    try {
      ctx.log.info(`worker ${o.share.index}/${o.share.count}: waiting at the ${name} barrier`);
      return await arriveAndWait({
        client,
        namespace: o.namespace,
        runId: ctx.runId,
        name,
        share: o.share,
        timeoutMs: o.timeoutMs,
        signal: ctx.signal,
      });
    } finally {
      await after?.(client).catch(() => {});
      await client.close();
    }
  };
  // Past the end barrier every worker has seen every Lease: each removes its own (the run's cleanup
  // lists across namespaces, which a Role in one namespace does not allow).
  const removeLeases = async (client: KubeClient, runId: string) => {
    for (const b of ['start', 'end'])
      await client.delete(leaseMapping, o.namespace, leaseName(runId, b, o.share.index), 'cleanup');
  };
  let started = false;
  return {
    async beforePhases(ctx) {
      const r = await barrier(ctx, 'start');
      started = true;
      ctx.results.worker = {
        index: o.share.index,
        count: o.share.count,
        startedAt: new Date(r.releasedAtMs).toISOString(),
        waitedMs: r.waitedMs,
        host: hostname(),
      };
    },
    async beforeCleanup(ctx) {
      ctx.results.worker ??= { index: o.share.index, count: o.share.count, host: hostname() };
      // Without a common start there is nothing to wait for at the end.
      if (!started) return o.share.index === 0;
      try {
        const r = await barrier(ctx, 'end', (c) => removeLeases(c, ctx.runId));
        ctx.results.worker.endReleasedAtMs = r.releasedAtMs;
      } catch (e) {
        ctx.results.warnings.push(`end barrier: ${(e as Error).message}; cleaning up anyway`);
      }
      return o.share.index === 0;
    },
  };
}
