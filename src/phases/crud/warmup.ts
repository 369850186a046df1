/**
 * The warm-up step before the first phase that uses the cluster: a short CRUD cycle of ConfigMaps in
 * its own namespace, so the load generator's JIT, its connections' first use and the API server's
 * caches and code paths are warm before anything is measured. Reported on its own in results.json
 * (`warmup`) and excluded from every phase, threshold and comparison. On by default; `warmup: false`
 * in the study turns it off, `warmup: {objects, concurrency}` sizes it.
 */
import { z } from 'zod';
import type { Logger } from '../../core/logger.js';
import { nullProgress } from '../../core/progress.js';
import { connect } from '../../kube/connect.js';
import { deleteNamespace, ensureNamespace } from '../../kube/namespaces.js';
import { Recorder } from '../../metrics/recorder.js';
import type { Results } from '../../results/types.js';
import type { Target } from '../types.js';
import { runCycle } from './cycle.js';

export const WarmupSchema = z
  .union([
    z.boolean(),
    z.strictObject({
      objects: z
        .number()
        .int()
        .min(1)
        .max(100_000)
        .default(300)
        .describe('ConfigMaps created, read, updated, patched, listed and deleted (default 300).'),
      concurrency: z.number().int().min(1).max(1024).default(16).describe('Workers (default 16).'),
    }),
  ])
  .default(true)
  .describe(
    'A warm-up step before the first phase that uses the cluster (JIT, connections, server caches), reported separately and excluded from the numbers. true (default), false, or {objects, concurrency}.',
  );
export type WarmupOption = z.output<typeof WarmupSchema>;

export const WARMUP_NAMESPACE = 'kubeperf-warmup';

export function warmupSettings(
  v: WarmupOption | undefined,
): { objects: number; concurrency: number } | undefined {
  if (v === false) return undefined;
  if (v === true || v === undefined) return { objects: 300, concurrency: 16 };
  return v;
}

export async function runWarmup(
  target: Target,
  o: {
    objects: number;
    concurrency: number;
    runId: string;
    /** kubeperf.io/job of the warm-up objects (and their name prefix). */
    job?: string;
    signal: AbortSignal;
    log: Logger;
    onCleanup: (fn: () => Promise<void>) => void;
  },
): Promise<NonNullable<Results['warmup']>> {
  const t0 = performance.now();
  const recorder = new Recorder(t0);
  const client = await connect(target, { connections: Math.max(16, o.concurrency) });
  try {
    const mapping = await client.mapper.resolve('v1', 'ConfigMap');
    const created = await ensureNamespace(client, WARMUP_NAMESPACE, { runId: o.runId, job: 'warmup' });
    if (created)
      o.onCleanup(async () => {
        const c = await connect(target, { connections: 2 });
        try {
          await deleteNamespace(c, WARMUP_NAMESPACE);
        } finally {
          await c.close();
        }
      });
    const out = await runCycle({
      client,
      mapping,
      namespace: WARMUP_NAMESPACE,
      runId: o.runId,
      job: o.job ?? 'warmup',
      objects: o.objects,
      payloadBytes: 256,
      ops: ['create', 'get', 'update', 'patch', 'list', 'delete'],
      patchType: 'merge',
      lists: 3,
      listPageSize: 100,
      load: { concurrency: o.concurrency, rounds: 1 },
      recorder,
      progress: nullProgress,
      signal: o.signal,
    });
    const ops: NonNullable<Results['warmup']>['ops'] = {};
    let requests = 0;
    let errors = 0;
    for (const [op, s] of Object.entries(recorder.snapshot())) {
      ops[op] = { count: s.count, throughput: s.throughput, p50: s.latencyMs.p50 };
      requests += s.count;
      errors += s.errors;
    }
    const durationMs = Math.round((performance.now() - t0) * 100) / 100;
    o.log.info(
      `warm-up: ${requests} requests on ${o.objects} ConfigMaps in ${(durationMs / 1000).toFixed(1)} s (reported separately, excluded from the results)`,
    );
    return {
      durationMs,
      requests,
      errors,
      ops,
      ...(out.leftover ? { note: `${out.leftover} warm-up objects could not be deleted` } : {}),
    };
  } finally {
    await client.close();
  }
}
