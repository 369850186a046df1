/**
 * `kro`: kro at scale. Creates N instances of an RGD (a file or a generated one) under a load model
 * and measures, from watches opened before the first create, how long each takes to become ACTIVE,
 * to become ACTIVE again after a spec change, and to be gone after a delete; plus children, API
 * requests and watch events per instance, and the controller's reconciles, queue and memory. The
 * work is done by kubeperf's simulated kro controller (own process, kro's shapers as options) on the
 * embedded control plane, or by the target's real kro. Sweeps over instances, graph complexity and
 * workers are fitted and the limiting shaper of each round is named.
 */
import { resolve } from 'node:path';
import { parseDuration } from '../../config/duration.js';
import { KubeperfError } from '../../core/errors.js';
import { KroControllerOptions } from '../../controllers/kro/options.js';
import { launchController, type ControllerProcess } from '../../controllers/runtime/launch.js';
import type { KubeClient } from '../../kube/client.js';
import { connect } from '../../kube/connect.js';
import type { ResourceMapping } from '../../kube/discovery.js';
import { LABEL_JOB, LABEL_RUN_ID, labelSafe } from '../../kube/labels.js';
import { describeLoad } from '../../load/model.js';
import { sleep } from '../../load/sleep.js';
import { Recorder } from '../../metrics/recorder.js';
import type { OpStats, Sweep } from '../../results/types.js';
import type { PhaseType } from '../types.js';
import { kroAccess } from './access.js';
import { metricsFetcher, type MetricsFetch } from '../../kube/metrics-fetch.js';
import { defaultKroConcurrency, GenerateOptions, KroOptions } from './options.js';
import {
  generatedKind,
  generatedRgd,
  rgdFromFile,
  adaptToServedKinds,
  type RgdSource,
} from './rgd-source.js';
import { applyRgd, runRound, type RoundEnv, type RoundResult } from './round.js';

interface RoundPlan {
  x?: number;
  source: () => RgdSource;
  instances: number;
  workers?: number;
}

function plans(o: KroOptions, ctx: { baseDir: string }, phaseName: string, runId: string): RoundPlan[] {
  const jobName = labelSafe(phaseName).toLowerCase();
  const rgdName = (i?: number) =>
    `${jobName}${i === undefined ? '' : `-${i}`}-${runId}`.toLowerCase().slice(0, 63);
  const base = GenerateOptions.parse(o.generate ?? {});
  const fromBase = o.rgd
    ? () => rgdFromFile(resolve(ctx.baseDir, o.rgd!))
    : () => generatedRgd(base, rgdName(), generatedKind(phaseName, undefined));
  if (o.instancesSweep) return o.instancesSweep.map((n) => ({ x: n, source: fromBase, instances: n }));
  if (o.workersSweep)
    return o.workersSweep.map((w) => ({ x: w, source: fromBase, instances: o.instances, workers: w }));
  if (o.complexitySweep) {
    return o.complexitySweep.map((p, i) => {
      const g = GenerateOptions.parse({ ...base, ...p });
      return {
        x: g.resources,
        source: () => generatedRgd(g, rgdName(i), generatedKind(phaseName, i)),
        instances: o.instances,
      };
    });
  }
  return [{ source: fromBase, instances: o.instances }];
}

const controllerMode = (o: KroOptions, kind: string) =>
  o.controller ?? (kind === 'embedded' ? 'simulated' : 'external');

/** The simulated controller's options: the study's, with a workers-sweep point's workers. */
const simulatedOptions = (o: KroOptions, workers?: number) => ({
  ...(o.controllerOptions ?? {}),
  ...(workers ? { workers } : {}),
});

function describeController(o: KroOptions, mode: string, workers?: number): string {
  if (mode === 'external') return "the target's own kro controller";
  const s = KroControllerOptions.parse(simulatedOptions(o, workers));
  return `simulated kro controller (${s.workers} worker${s.workers === 1 ? '' : 's'}, queue ${s.queueQps || '∞'}/s burst ${s.queueBurst}, client qps ${s.clientQps || '∞'} burst ${s.clientBurst}, requeue ${s.requeueAfterMs / 1000} s)`;
}

/** Deletes what is left of the phase's instances (by run + job label) and waits until they are gone. */
async function deleteInstances(
  client: KubeClient,
  m: ResourceMapping,
  runId: string,
  job: string,
  timeoutMs: number,
): Promise<number> {
  const selector = `${LABEL_RUN_ID}=${runId},${LABEL_JOB}=${job}`;
  const { items } = await client.listAll(m, undefined, { labelSelector: selector });
  await Promise.all(items.map((i) => client.delete(m, i.metadata.namespace, i.metadata.name!, 'cleanup')));
  const end = performance.now() + timeoutMs;
  for (;;) {
    const left = (await client.listAll(m, undefined, { labelSelector: selector })).items.length;
    if (left === 0 || performance.now() > end) return left;
    await sleep(200);
  }
}

async function deleteRgd(client: KubeClient, name: string, timeoutMs: number): Promise<void> {
  const m = await client.mapper.resolve('kro.run/v1alpha1', 'ResourceGraphDefinition');
  await client.delete(m, undefined, name, 'cleanup');
  const end = performance.now() + timeoutMs;
  while (performance.now() < end && (await client.get(m, undefined, name, 'cleanup'))?.status === 200)
    await sleep(200);
}

export const kroPhase: PhaseType<KroOptions> = {
  type: 'kro',
  description:
    'kro at scale: N instances of an RGD, time to ACTIVE / re-ACTIVE / gone from watches, children, API requests and watch events per instance, controller reconciles and queue; sweeps over instances, graph size and workers with the limiting shaper named.',
  options: KroOptions,
  access: (o, ctx) =>
    kroAccess(
      o,
      plans(o, ctx, ctx.phaseName ?? 'kro', ctx.runId).map((p) => p.source()),
      ctx.phaseName ?? 'kro',
    ),
  // No splitsWork: what a round measures is the controller as a whole (its queue and shapers, API
  // cost per instance from server-wide counter diffs, one RGD per round, sweep points that start
  // from an empty slate), which N workers each creating a share could not attribute. A
  // distributed run does it on worker 0.
  plan(o, ctx) {
    const list = plans(o, ctx, 'kro', ctx.runId);
    const first = list[0]!.source();
    const mode = o.controller ?? 'simulated on the embedded control plane, external on a kubeconfig target';
    const sweep = o.instancesSweep
      ? `instances sweep ${o.instancesSweep.join(', ')}`
      : o.workersSweep
        ? `workers sweep ${o.workersSweep.join(', ')}`
        : o.complexitySweep
          ? `complexity sweep: ${o.complexitySweep
              .map((p) =>
                Object.entries(p)
                  .map(([k, v]) => `${k} ${v}`)
                  .join(' '),
              )
              .join('; ')}`
          : undefined;
    const objects = list.reduce((s, r) => s + r.instances * (1 + first.resources), 0);
    return {
      steps: [
        `kro: ${first.label} (${first.resources} resources, depth ${first.depth}) × ${o.instances} instances in ${o.namespaces} namespace(s); ${describeLoad(o, defaultKroConcurrency)}${sweep ? `; ${sweep}` : ''}${o.update ? `; update ${o.update.field} on ${Math.round(o.update.fraction * 100)}%` : ''}${o.delete ? '; delete after' : ''}; controller: ${o.controller ? describeController(o, o.controller) : mode}`,
      ],
      objects,
      needsCluster: true,
    };
  },
  async run(o, ctx) {
    const mode = controllerMode(o, ctx.target.kind);
    if (mode === 'simulated' && !ctx.target.kubeconfigPath)
      throw new KubeperfError('the simulated kro controller needs a kubeconfig for the target');
    const jobName = labelSafe(ctx.phaseName).toLowerCase();
    const client = await connect(ctx.target, {
      connections: o.connections ?? Math.max(16, o.concurrency ?? defaultKroConcurrency),
    });
    const timeoutMs = parseDuration(o.timeout)!;
    const noProgressMs = parseDuration(o.noProgressTimeout)!;
    const warnings: string[] = [];
    const invalidReasons: string[] = [];
    const rounds: RoundResult[] = [];
    const roundOps: Record<string, OpStats>[] = [];
    let apiMetrics: MetricsFetch | undefined = metricsFetcher('/metrics', client);
    try {
      await apiMetrics();
    } catch {
      apiMetrics = undefined;
      warnings.push(
        "the API server's /metrics is not readable with these credentials: no API requests or watch events per instance",
      );
    }
    const env: RoundEnv = { ctx, client, o, recorder: ctx.recorder, jobName, apiMetrics };
    let controller: ControllerProcess | undefined;
    let controllerWorkers: number | undefined;
    const startController = async (workers?: number) => {
      if (controller && controllerWorkers === workers) return;
      await controller?.stop();
      const options = simulatedOptions(o, workers);
      ctx.log.info(`starting ${describeController(o, 'simulated', workers)}`);
      controller = await launchController('kro', {
        kubeconfig: ctx.target.kubeconfigPath!,
        context: ctx.target.context,
        options,
      });
      controllerWorkers = workers;
      // Container CPU/memory on the embedded control plane, and the local metrics stack's scrape.
      await ctx.observe?.registerProcess?.({
        pid: controller.pid,
        namespace: 'kro-system',
        pod: `kro-${jobName}`,
        container: 'controller',
      });
      await ctx.observe?.addScrapeTarget?.({ url: controller.metricsUrl, job: 'kro-controller' });
    };
    const rgdNames = new Set<string>();
    let lastMapping: ResourceMapping | undefined;
    const cleanUp = async () => {
      if (lastMapping) await deleteInstances(client, lastMapping, ctx.runId, jobName, timeoutMs);
      for (const n of rgdNames) await deleteRgd(client, n, 60_000);
    };
    try {
      const list = plans(o, ctx, ctx.phaseName, ctx.runId);
      for (const [index, plan] of list.entries()) {
        if (ctx.signal.aborted) break;
        if (mode === 'simulated') await startController(plan.workers);
        let source = plan.source();
        if (!o.rgd) source = await adaptToServedKinds(source, client.mapper);
        const name = (source.doc.metadata as { name: string }).name;
        rgdNames.add(name);
        const m = await applyRgd(env, source, noProgressMs);
        lastMapping = m;
        const recorder = list.length > 1 ? new Recorder(ctx.clock.nowMs()) : ctx.recorder;
        const proc = controller;
        const result = await runRound(
          { ...env, recorder },
          {
            index,
            x: plan.x,
            source,
            instances: plan.instances,
            settings: KroControllerOptions.parse(
              mode === 'simulated' ? simulatedOptions(o, plan.workers) : {},
            ),
            settingsAssumed: mode === 'external',
            controllerMetrics:
              mode === 'simulated'
                ? metricsFetcher(proc!.metricsUrl, client)
                : o.controllerMetricsUrl
                  ? metricsFetcher(o.controllerMetricsUrl, client)
                  : undefined,
            controllerGone: proc
              ? () =>
                  proc.exit
                    ? `the simulated kro controller exited during the round (code ${proc.exit.code}, signal ${proc.exit.signal})`
                    : undefined
              : undefined,
          },
          m,
        );
        rounds.push(result);
        roundOps.push(recorder.snapshot());
        invalidReasons.push(
          ...result.invalidReasons.map((r) => (list.length > 1 ? `round ${index + 1}: ${r}` : r)),
        );
        for (const w of result.warnings) if (!warnings.includes(w)) warnings.push(w);
        if (result.neverReconciled === result.created && result.created > 0) break;
        // Sweep points start from an empty slate: earlier instances would weigh on the next point.
        if (index < list.length - 1 && !o.delete) {
          ctx.progress.status("removing this round's instances before the next");
          await deleteInstances(client, m, ctx.runId, jobName, timeoutMs);
        }
      }
      if (mode === 'external' && !o.controllerMetricsUrl)
        warnings.push(
          "no controllerMetricsUrl: kro's reconcile and queue figures were not read (set it to kro's /metrics URL or its service proxy path)",
        );
      if (o.delete || ctx.target.kind === 'embedded') {
        // The embedded control plane goes away with the run; elsewhere, deleted instances leave only RGDs.
        if (ctx.target.kind !== 'embedded') for (const n of rgdNames) await deleteRgd(client, n, 60_000);
        await controller?.stop();
      } else {
        // Instances carry kro's finalizer: delete them (and the RGDs) while a controller still runs.
        const ctl = controller;
        ctx.onCleanup(async () => {
          const c = await connect(ctx.target, { connections: 8 });
          try {
            if (lastMapping) {
              const left = await deleteInstances(c, lastMapping, ctx.runId, jobName, 120_000);
              if (left) ctx.log.warn(`cleanup: ${left} kro instances were still terminating after 120 s`);
            }
            for (const n of rgdNames) await deleteRgd(c, n, 60_000);
          } finally {
            await c.close();
            await ctl?.stop();
          }
        });
      }
    } catch (e) {
      if (ctx.target.kind !== 'embedded' && !o.delete) await cleanUp().catch(() => {});
      await controller?.stop();
      throw e;
    } finally {
      await client.close();
    }

    const sweep = sweepOf(o, rounds, roundOps);
    const memory = memorySweep(rounds);
    return {
      data: {
        kro: {
          controller: mode,
          controllerDescription: describeController(o, mode),
          settings: mode === 'simulated' ? KroControllerOptions.parse(simulatedOptions(o)) : undefined,
          rounds,
        },
        recommendations: rounds.map((r) =>
          rounds.length > 1
            ? `${ctx.phaseName} round ${r.index + 1} (${pointLabel(o, r)}): ${r.shaper.text}`
            : `${ctx.phaseName}: ${r.shaper.text}`,
        ),
      },
      sweeps: [sweep, memory].filter((s): s is Sweep => !!s),
      ...(rounds.length > 1 ? { ops: roundOps[roundOps.length - 1] } : {}),
      ...(warnings.length ? { warnings } : {}),
      ...(invalidReasons.length ? { invalidReasons } : {}),
    };
  },
};

function pointLabel(o: KroOptions, r: RoundResult): string {
  if (o.workersSweep) return `${r.x} workers`;
  if (o.complexitySweep)
    return `${r.rgd.resources} resources, depth ${r.rgd.depth}, ${r.rgd.complexity ?? ''} CEL`;
  return `${r.instances} instances`;
}

function pointMetrics(r: RoundResult, ops: Record<string, OpStats>): Record<string, number> {
  const m: Record<string, number> = {
    instancesPerSec: Math.round(r.shaper.throughput * 100) / 100,
    activeInstances: r.active,
  };
  const p = (k: string, v: number | undefined) => {
    if (v !== undefined && Number.isFinite(v)) m[k] = v;
  };
  const ready = ops['instance-ready'];
  if (ready && ready.count > ready.errors) {
    p('instance-ready.p50', ready.latencyMs.p50);
    p('instance-ready.p99', ready.latencyMs.p99);
  }
  p('apiRequestsPerInstance', r.apiServer?.perInstance);
  p('reconcilesPerInstance', r.controller?.reconcilesPerInstance);
  p('childrenPerInstance', r.childrenPerInstance);
  p('rssBytes', r.controller?.rssBytes);
  return m;
}

const CEL_CLASSES = ['simple', 'medium', 'complex', 'very-complex'];

/** The swept parameter and each round's x: for a complexity sweep, whichever of size, depth, CEL class varies. */
function sweepAxis(
  o: KroOptions,
  rounds: RoundResult[],
): { parameter: string; unit: string; x: (r: RoundResult) => number } {
  if (o.workersSweep) return { parameter: 'workers', unit: 'workers', x: (r) => r.x! };
  if (!o.complexitySweep) return { parameter: 'instances', unit: 'instances', x: (r) => r.instances };
  const varies = (f: (r: RoundResult) => unknown) => new Set(rounds.map(f)).size > 1;
  if (varies((r) => r.rgd.resources))
    return { parameter: 'resources', unit: 'resources', x: (r) => r.rgd.resources };
  if (varies((r) => r.rgd.depth)) return { parameter: 'depth', unit: 'levels', x: (r) => r.rgd.depth };
  return {
    parameter: 'celClass',
    unit: 'class (1 simple … 4 very-complex)',
    x: (r) => CEL_CLASSES.indexOf(r.rgd.complexity ?? 'simple') + 1,
  };
}

function sweepOf(o: KroOptions, rounds: RoundResult[], ops: Record<string, OpStats>[]): Sweep | undefined {
  if (rounds.length < 2) return undefined;
  const axis = sweepAxis(o, rounds);
  return {
    parameter: axis.parameter,
    unit: axis.unit,
    points: rounds.map((r, i) => ({ x: axis.x(r), metrics: pointMetrics(r, ops[i]!), ops: ops[i] })),
  };
}

/** Controller memory against the resources it manages (children of all ACTIVE instances). */
function memorySweep(rounds: RoundResult[]): Sweep | undefined {
  const pts = rounds
    .filter((r) => r.controller?.rssBytes !== undefined && r.childrenPerInstance !== undefined)
    .map((r) => ({
      x: Math.round(r.childrenPerInstance! * r.created),
      metrics: { rssBytes: r.controller!.rssBytes! },
    }));
  if (new Set(pts.map((p) => p.x)).size < 2) return undefined;
  return { parameter: 'managedResources', unit: 'resources', points: pts.sort((a, b) => a.x - b.x) };
}
