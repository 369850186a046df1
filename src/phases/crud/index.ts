/**
 * `crud`: API CRUD throughput and latency for one resource (ConfigMap by default, any GVK): create,
 * get, update, patch, list (full and paged) and delete N objects under a closed or open load model.
 * Variants: a concurrency sweep (throughput vs workers) and a payload-size sweep (resource size impact).
 */
import { InputError } from '../../core/errors.js';
import { Recorder } from '../../metrics/recorder.js';
import { connect } from '../../kube/connect.js';
import { UnknownKindError, type ResourceMapping } from '../../kube/discovery.js';
import type { KubeClient } from '../../kube/client.js';
import { cleanupWith } from '../../kube/cleanup.js';
import { deleteNamespace, ensureNamespace } from '../../kube/namespaces.js';
import { labelSafe } from '../../kube/labels.js';
import { describeLoad, isOpenModel, scheduledArrivals } from '../../load/model.js';
import type { PacingStats } from '../../load/executor.js';
import { loadObjectTemplate, type CompiledTemplate } from '../../templates/objects.js';
import type { OpStats, Sweep } from '../../results/types.js';
import type { PhaseContext, PhaseOutput, PhaseType } from '../types.js';
import { cycleRequests, runCycle, type CycleOutcome } from './cycle.js';
import { CrudOptions, crudOps, defaultCrudConcurrency, type CrudOp } from './options.js';
import { crudAccess } from './access.js';
import { crudShare } from './share.js';

function opsOf(o: CrudOptions): CrudOp[] {
  return o.ops ?? [...crudOps];
}

function pointMetrics(ops: Record<string, OpStats>): Record<string, number> {
  const m: Record<string, number> = {};
  for (const [op, s] of Object.entries(ops)) {
    m[`${op}.throughput`] = s.throughput;
    m[`${op}.p50`] = s.latencyMs.p50;
    m[`${op}.p95`] = s.latencyMs.p95;
    m[`${op}.p99`] = s.latencyMs.p99;
    m[`${op}.errors`] = s.errors;
  }
  return m;
}

async function resolveMapping(client: KubeClient, o: CrudOptions): Promise<ResourceMapping> {
  try {
    return await client.mapper.resolve(o.apiVersion, o.resource);
  } catch (e) {
    if (e instanceof UnknownKindError) {
      throw new InputError(`crud: ${e.message}`, {
        hint: 'set resource (kind or plural) and apiVersion, e.g. resource: Deployment, apiVersion: apps/v1',
      });
    }
    throw e;
  }
}

export const crudPhase: PhaseType<CrudOptions> = {
  type: 'crud',
  description:
    'API CRUD throughput and latency (create/get/update/patch/list/delete) for a resource, with concurrency and payload-size sweeps.',
  options: CrudOptions,
  plan(o, ctx) {
    const ops = opsOf(o);
    if (o.objectTemplate) {
      // Render once now so a bad variable fails at load time, not mid-run.
      loadObjectTemplate(o.objectTemplate, ctx.baseDir, 'crud').renderObjects({
        Iteration: 0,
        Replica: 1,
        JobName: 'crud',
        UUID: 'dry-run',
        RunID: 'dry-run',
        Name: 'crud-0',
        Namespace: o.namespace,
        Payload: '',
        Index: 0,
      });
    }
    const points = o.concurrencySweep?.length ?? o.payloadSizes?.length ?? 1;
    const arrivals = scheduledArrivals(o);
    const short =
      arrivals !== undefined && arrivals < o.objects
        ? `; the schedule holds ${arrivals} arrivals, so each op runs on ${arrivals} of the ${o.objects} objects`
        : '';
    const perCycle = cycleRequests(o.objects, ops, o.lists, o.listPageSize);
    const variant = o.concurrencySweep
      ? `, concurrency sweep ${o.concurrencySweep.join(',')}`
      : o.payloadSizes
        ? `, payload sizes ${o.payloadSizes.join(',')} B`
        : '';
    return {
      steps: [
        `crud ${o.objects} ${o.resource} (${o.apiVersion}) in namespace ${o.namespace}: ${ops.join(', ')}; ${describeLoad(o, defaultCrudConcurrency)}, ${o.payloadBytes} B payload${variant}${short}`,
      ],
      requests: perCycle * points,
      objects: o.objects * points,
      needsCluster: true,
    };
  },
  access: (o) => crudAccess(o),
  splitsWork: true,
  async run(full, ctx) {
    // A worker of a distributed run does its share only (src/phases/crud/share.ts).
    const share = crudShare(full, ctx.share);
    const o = share.options;
    const ops = opsOf(o);
    const sweepX = o.concurrencySweep ?? o.payloadSizes;
    const maxConc = Math.max(o.concurrency ?? defaultCrudConcurrency, ...(o.concurrencySweep ?? [1]));
    const client = await connect(ctx.target, {
      connections: o.connections ?? Math.min(1024, Math.max(64, maxConc)),
    });
    client.retry = { ...client.retry, maxRetries: o.maxRetries };
    const template: CompiledTemplate | undefined = o.objectTemplate
      ? loadObjectTemplate(o.objectTemplate, ctx.baseDir, 'crud')
      : undefined;
    const warnings: string[] = [];
    let createdNs = false;
    try {
      const mapping = await resolveMapping(client, o);
      const namespace = mapping.namespaced ? o.namespace : undefined;
      if (namespace)
        createdNs = await ensureNamespace(client, namespace, {
          runId: ctx.runId,
          job: labelSafe(ctx.phaseName),
        });
      const jobs: string[] = [];
      ctx.onCleanup(async () => {
        // GC of anything a cycle could not delete, selected by this phase's job labels only.
        const c = await connect(ctx.target, { connections: 8 });
        try {
          await cleanupWith(c, {
            runId: ctx.runId,
            log: ctx.log,
            extraSelector: `kubeperf.io/job in (${jobs.join(',')})`,
            namespaces: false,
          });
        } finally {
          await c.close();
        }
      });
      const total = cycleRequests(share.objects, ops, share.lists, o.listPageSize) * (sweepX?.length ?? 1);
      ctx.progress.start(total, 'requests');
      const jobBase = labelSafe(`kp-${ctx.runId.slice(-6)}-${ctx.phaseIndex}`).toLowerCase();
      const cycle = (
        recorder: Recorder,
        suffix: string,
        concurrency: number | undefined,
        payloadBytes: number,
      ): Promise<CycleOutcome> => {
        jobs.push(`${jobBase}${suffix}`);
        return runCycle({
          client,
          mapping,
          namespace,
          runId: ctx.runId,
          job: `${jobBase}${suffix}`,
          objects: share.objects,
          offset: share.offset,
          extraLabels: share.extraLabels,
          payloadBytes,
          ops,
          patchType: o.patchType,
          lists: share.lists,
          listPageSize: o.listPageSize,
          pagedLists: share.pagedLists,
          load: { ...o, concurrency: share.concurrency(concurrency, defaultCrudConcurrency) },
          template,
          recorder,
          progress: ctx.progress,
          signal: ctx.signal,
        });
      };
      // Pacing facts per cycle and op: started, late (>10 ms behind schedule), dropped, max lag.
      const pacing: Record<string, Record<string, PacingStats>> = {};
      const noteLeftover = (c: CycleOutcome, label = 'cycle') => {
        pacing[label] = c.pacing;
        if (c.leftover)
          warnings.push(`${c.leftover} objects could not be deleted by the cycle; run GC removes them`);
        for (const [op, p] of Object.entries(c.pacing)) {
          if (p.late)
            warnings.push(
              `${op}: ${p.late} starts were more than 10 ms behind schedule (max ${p.maxLagMs.toFixed(1)} ms): the client or its in-flight cap limited the open model`,
            );
        }
      };
      if (!sweepX) {
        noteLeftover(await cycle(ctx.recorder, '', o.concurrency, o.payloadBytes));
        ctx.progress.finish();
        return { warnings: warnings.length ? warnings : undefined, data: { pacing } };
      }
      const isConc = !!o.concurrencySweep;
      if (isConc && isOpenModel(o))
        warnings.push('concurrencySweep with an open model: concurrency does not apply to arrival-rate load');
      const points: Sweep['points'] = [];
      let reported: Record<string, OpStats> | undefined;
      for (const [k, x] of sweepX.entries()) {
        if (ctx.signal.aborted) break;
        ctx.progress.status(`${isConc ? 'concurrency' : 'payloadBytes'}=${x}`);
        const rec = new Recorder(ctx.clock.nowMs());
        noteLeftover(
          await cycle(rec, `-${k}`, isConc ? x : o.concurrency, isConc ? o.payloadBytes : x),
          `${isConc ? 'concurrency' : 'payloadBytes'}=${x}`,
        );
        const snap = rec.snapshot();
        points.push({ x, metrics: pointMetrics(snap), ops: snap });
        // The phase's ops: the point at the configured setting when swept over, else the last point.
        if ((isConc && x === (o.concurrency ?? defaultCrudConcurrency)) || (!isConc && x === o.payloadBytes))
          reported = snap;
      }
      ctx.progress.finish();
      const out: PhaseOutput = {
        sweeps: [
          isConc
            ? { parameter: 'concurrency', unit: 'workers', points }
            : { parameter: 'payloadBytes', unit: 'bytes', points },
        ],
        ops: reported ?? points[points.length - 1]?.ops ?? {},
        warnings: warnings.length ? warnings : undefined,
        data: { pacing },
      };
      return out;
    } finally {
      if (createdNs && o.namespace) {
        // Our own namespace goes at the end of the run (unless --keep), with anything left in it.
        const ns = o.namespace;
        ctx.onCleanup(async () => {
          const c = await connect(ctx.target, { connections: 2 });
          try {
            await deleteNamespace(c, ns);
          } finally {
            await c.close();
          }
        });
      }
      await client.close();
    }
  },
};

export type { PhaseContext };
