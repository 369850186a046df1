/**
 * jobType create: iterations × objects × replicas rendered from templates, labelled with the run
 * labels, created under the load model; readiness measured from watches opened (and synced) before
 * the first create. kube-burner's per-iteration options (podWait, jobIterationDelay, runOnce) run the
 * iterations one by one; churn runs after (churn.ts).
 */
import type { KubeClient, KubeObject } from '../../kube/client.js';
import type { ResourceMapping } from '../../kube/discovery.js';
import { ensureNamespace } from '../../kube/namespaces.js';
import { applyLabels, LABEL_CREATED_NAMESPACE, LABEL_JOB, LABEL_RUN_ID } from '../../kube/labels.js';
import { readinessFor, type ReadyPredicate } from '../../kube/readiness.js';
import { isSuccess, outcomeOfResponse } from '../../kube/response.js';
import { watch, type Watcher } from '../../kube/watch.js';
import { parseDuration } from '../../config/duration.js';
import { runTasks } from '../../load/model.js';
import type { PacingStats } from '../../load/executor.js';
import { ReadinessTracker } from '../../load/readiness.js';
import { shareLoad } from '../../load/share.js';
import { sleep } from '../../load/sleep.js';
import type { CompiledTemplate } from '../../templates/objects.js';
import type { PhaseContext } from '../types.js';
import { runChurn } from './churn.js';
import { waitForChildren } from './child-wait.js';
import { kubeBurnerLabels, labelPodTemplate, objectLabels, type LabelContext } from './labels.js';
import { LatencyWatch } from './latency.js';
import { defaultJobConcurrency, incrementalSteps, namespaceFor, type JobOptions } from './options.js';
import { ownedIterations, workerLabels, workerSelector } from './share.js';

export interface CreateJobResult {
  /** Pacing facts per incremental step: started, late, dropped, max lag behind schedule. */
  pacing: PacingStats[];
  created: number;
  failed: number;
  invalidReasons: string[];
  warnings: string[];
  /** Iterations this process ran (all of them, or a worker's share). */
  iterations: number;
  /** Latency measurements (podLatency…): objects seen and completed. */
  latency?: Record<string, { seen: number; complete: number }>;
  /** Churn cycles run and iterations churned. */
  churn?: { cycles: number; iterations: number };
}

export interface Unit {
  iteration: number;
  objIndex: number;
  replica: number;
}

const keyOf = (m: ResourceMapping, ns: string | undefined, name: string) =>
  `${m.group}/${m.resource}/${m.namespaced ? (ns ?? '') : ''}/${name}`;

/** Work units of some iterations, in kube-burner order: iteration-major, then object, then replica. */
export function unitsOf(o: JobOptions, iterations: readonly number[], churnOnly = false): Unit[] {
  const units: Unit[] = [];
  for (const i of iterations)
    for (let j = 0; j < o.objects.length; j++) {
      const spec = o.objects[j]!;
      if ((spec.runOnce && i !== 0) || (churnOnly && (!spec.churn || spec.runOnce))) continue;
      for (let r = 1; r <= spec.replicas; r++) units.push({ iteration: i, objIndex: j, replica: r });
    }
  return units;
}

export async function runCreateJob(
  o: JobOptions,
  ctx: PhaseContext,
  client: KubeClient,
  jobName: string,
  templates: CompiledTemplate[],
): Promise<CreateJobResult> {
  const iterations = ownedIterations(o, ctx.share);
  const result: CreateJobResult = {
    pacing: [],
    created: 0,
    failed: 0,
    invalidReasons: [],
    warnings: [],
    iterations: iterations.length,
  };
  const load = shareLoad(o, ctx.share);
  const worker = workerLabels(ctx.share);
  const labelCtx: LabelContext = { runId: ctx.runId, jobName, worker, kubeBurner: o.kubeBurnerLabels };
  const vars = (u: Unit) => ({
    ...o.objects[u.objIndex]!.inputVars,
    Iteration: u.iteration,
    Replica: u.replica,
    JobName: jobName,
    UUID: ctx.runId,
    RunID: ctx.runId,
  });
  // Resolve every kind the templates render (iteration 0) and open watches for those to wait on.
  const mappings = new Map<string, ResourceMapping>();
  const mappingFor = async (obj: KubeObject) => {
    const k = `${obj.apiVersion}/${obj.kind}`;
    let m = mappings.get(k);
    if (!m) {
      m = await client.mapper.resolve(obj.apiVersion!, obj.kind!);
      mappings.set(k, m);
    }
    return m;
  };
  const predicates = new Map<string, ReadyPredicate>();
  const tracker = new ReadinessTracker(ctx.recorder);
  // During churn, re-created objects are timed apart from the first creates (kube-burner tags them too).
  let active = tracker;
  const watchers: Watcher[] = [];
  const selector = workerSelector(`${LABEL_RUN_ID}=${ctx.runId},${LABEL_JOB}=${jobName}`, ctx.share);
  let namespacedTouched = false;
  const churnable = new Set<ResourceMapping>();
  for (const [j, spec] of o.objects.entries()) {
    for (const obj of templates[j]!.renderObjects(vars({ iteration: 0, objIndex: j, replica: 1 }))) {
      const m = await mappingFor(obj);
      if (m.namespaced) namespacedTouched = true;
      if (spec.churn && !spec.runOnce) churnable.add(m);
      // With waitOptions.kind the wait is on other objects (child-wait.ts), not on these.
      if (spec.wait && !spec.waitOptions?.kind && !predicates.has(`${m.group}/${m.resource}`)) {
        predicates.set(`${m.group}/${m.resource}`, readinessFor(m.kind, spec.waitOptions));
      }
    }
  }
  // Namespaces are shared by workers only without namespacedIterations: then none carries a worker
  // label, so no worker's gc deletes a namespace another worker still uses.
  const nsLabels = {
    ...(o.kubeBurnerLabels ? kubeBurnerLabels(labelCtx) : {}),
    ...o.namespaceLabels,
    ...(o.namespacedIterations ? worker : {}),
  };
  const ensureNamespaces = (its: readonly number[]) =>
    namespacedTouched
      ? Promise.all(
          [...new Set(its.map((i) => namespaceFor(o, i)))].map((ns) =>
            ensureNamespace(client, ns, {
              runId: ctx.runId,
              job: jobName,
              extra: nsLabels,
              annotations: o.namespaceAnnotations,
            }),
          ),
        )
      : Promise.resolve([]);
  await ensureNamespaces(iterations);
  for (const [gr, pred] of predicates) {
    const m = [...mappings.values()].find((x) => `${x.group}/${x.resource}` === gr)!;
    const w = await watch(client, m, {
      labelSelector: selector,
      onEvent: (e) => {
        if (e.type === 'DELETED') return;
        active.observe(
          keyOf(m, e.object.metadata.namespace, e.object.metadata.name!),
          e.object,
          e.receivedMs,
          active === tracker ? (pred as (o: unknown) => boolean) : undefined,
        );
      },
      onLost: (reason) => result.invalidReasons.push(`readiness watch on ${m.resource} lost: ${reason}`),
    });
    watchers.push(w);
  }
  const latency = o.measure.length
    ? await LatencyWatch.start(client, o.measure, selector, ctx.recorder)
    : undefined;

  let createOp = 'create';
  const createUnit = async (u: Unit, intendedMs: number) => {
    const spec = o.objects[u.objIndex]!;
    const objs = templates[u.objIndex]!.renderObjects(vars(u));
    const labels = objectLabels(labelCtx, u);
    for (const obj of objs) {
      const m = await mappingFor(obj);
      applyLabels(obj, labels);
      labelPodTemplate(obj, labels);
      // A Namespace from a template is one kubeperf created: cleanup and gc may delete it.
      if (m.resource === 'namespaces' && !m.group) applyLabels(obj, { [LABEL_CREATED_NAMESPACE]: 'true' });
      const ns = m.namespaced ? (obj.metadata.namespace ?? namespaceFor(o, u.iteration)) : undefined;
      if (ns) obj.metadata.namespace = ns;
      const pred =
        spec.wait && !spec.waitOptions?.kind ? predicates.get(`${m.group}/${m.resource}`) : undefined;
      const named = obj.metadata.name;
      const sentMs = Math.max(intendedMs, performance.now());
      if (pred && named) active.expect(keyOf(m, ns, named), intendedMs, pred as (o: unknown) => boolean);
      const r = await client.create(m, ns, JSON.stringify(obj), createOp, {
        recorder: ctx.recorder,
        intendedMs,
        signal: ctx.signal,
      });
      ctx.progress.advance(1, r && isSuccess(r) ? 0 : 1);
      if (r && isSuccess(r)) {
        result.created++;
        if (pred && !named) {
          const name = (JSON.parse(r.body) as KubeObject).metadata.name!;
          active.expect(keyOf(m, ns, name), sentMs, pred as (o: unknown) => boolean);
        }
      } else {
        result.failed++;
        if (pred && named) active.forget(keyOf(m, ns, named));
        if (r && result.warnings.length < 5) {
          const out = outcomeOfResponse(r);
          result.warnings.push(
            `create ${obj.kind} ${ns ?? ''}/${named ?? '(generated)'}: ${out?.code} ${out?.reason}`,
          );
        }
      }
      // Later documents of a multi-document template go right after the first.
      intendedMs = performance.now();
    }
  };
  const runUnits = (units: Unit[]) =>
    runTasks(load, units.length, (idx, t) => createUnit(units[idx]!, t), {
      defaultConcurrency: defaultJobConcurrency,
      signal: ctx.signal,
    });
  const maxWaitMs = parseDuration(o.maxWaitTimeout)!;
  const waitReady = async (what: string) => {
    if (predicates.size) {
      const left = active.outstanding;
      if (left)
        ctx.progress.status(`waiting for ${left} more ${left === 1 ? 'object' : 'objects'} to be ready`);
      const { timedOut } = await active.waitAll(maxWaitMs, ctx.signal);
      if (timedOut)
        result.warnings.push(
          `${what}: ${timedOut} objects were not ready within maxWaitTimeout ${o.maxWaitTimeout}`,
        );
    }
    const late = await waitForChildren(client, o, selector, maxWaitMs, ctx.signal);
    result.warnings.push(...late.map((w) => `${what}: ${w}`));
  };

  // Batches of iterations: one by one when something happens between iterations, else the
  // incremental-load steps (one step without incrementalLoad).
  const delayMs = o.jobIterationDelay !== undefined ? parseDuration(o.jobIterationDelay)! : 0;
  const oneByOne = o.podWait || delayMs > 0;
  const batches: number[][] = [];
  if (oneByOne) for (const i of iterations) batches.push([i]);
  else {
    let at = 0;
    for (const n of incrementalSteps({ ...o, jobIterations: iterations.length })) {
      batches.push(iterations.slice(at, at + n));
      at += n;
    }
  }
  try {
    for (const [k, batch] of batches.entries()) {
      if (ctx.signal.aborted) break;
      if (!oneByOne && batches.length > 1)
        ctx.progress.status(`step ${k + 1}/${batches.length}: ${batch.length} iterations`);
      const p = await runUnits(unitsOf(o, batch));
      result.pacing.push(p);
      if (p.late)
        result.warnings.push(
          `step ${k + 1}: ${p.late} creates started more than 10 ms behind schedule (max ${p.maxLagMs.toFixed(1)} ms)`,
        );
      const last = k === batches.length - 1;
      if (o.podWait) await waitReady(`iteration ${batch[0]}`);
      if (!last && delayMs) await sleep(delayMs, ctx.signal).catch(() => {});
      if (!last && !oneByOne)
        await sleep(parseDuration(o.incrementalLoad!.stepDelay)!, ctx.signal).catch(() => {});
    }
    if (o.verifyObjects && !ctx.signal.aborted) {
      // kube-burner's verifyObjects: what the server holds under our labels vs creates that succeeded.
      let found = 0;
      for (const m of mappings.values()) {
        found += (await client.listAll(m, undefined, { labelSelector: selector })).items.length;
      }
      if (found !== result.created) {
        const msg = `verifyObjects: ${found} objects carry job ${jobName}'s labels, but ${result.created} creates succeeded`;
        (o.errorOnVerify ? result.invalidReasons : result.warnings).push(msg);
      }
    }
    if (o.waitWhenFinished && !o.podWait && !ctx.signal.aborted) await waitReady('waitWhenFinished');
    if (o.churnConfig && !ctx.signal.aborted) {
      active = new ReadinessTracker(ctx.recorder, 'churn.readiness', 'churn.watch');
      createOp = 'churn.create';
      result.churn = await runChurn(o, o.churnConfig, {
        client,
        ctx,
        iterations,
        mappings: () => [...churnable],
        selector,
        ensureNamespaces,
        recreate: async (its) => {
          result.pacing.push(await runUnits(unitsOf(o, its, o.churnConfig!.mode === 'objects')));
          await waitReady('churn');
        },
      });
    }
  } finally {
    await Promise.all(watchers.map((w) => w.stop()));
    if (latency) {
      if ((o.waitWhenFinished || o.podWait) && !ctx.signal.aborted)
        await latency.settle(Math.min(10_000, maxWaitMs), ctx.signal);
      await latency.stop();
      const s = latency.summary();
      result.latency = s.data;
      result.warnings.push(...s.warnings);
    }
  }
  return result;
}
