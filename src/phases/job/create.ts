/**
 * jobType create: iterations × objects × replicas rendered from templates, labelled with the run
 * labels, created under the load model; readiness measured from watches opened (and synced) before
 * the first create.
 */
import type { KubeClient, KubeObject } from '../../kube/client.js';
import type { ResourceMapping } from '../../kube/discovery.js';
import { ensureNamespace } from '../../kube/namespaces.js';
import {
  applyLabels,
  LABEL_CREATED_NAMESPACE,
  LABEL_JOB,
  LABEL_RUN_ID,
  runLabels,
} from '../../kube/labels.js';
import { readinessFor, type ReadyPredicate } from '../../kube/readiness.js';
import { isSuccess, outcomeOfResponse } from '../../kube/response.js';
import { watch, type Watcher } from '../../kube/watch.js';
import { parseDuration } from '../../config/duration.js';
import { runTasks } from '../../load/model.js';
import type { PacingStats } from '../../load/executor.js';
import { ReadinessTracker } from '../../load/readiness.js';
import { sleep } from '../../load/sleep.js';
import type { CompiledTemplate } from '../../templates/objects.js';
import type { PhaseContext } from '../types.js';
import { defaultJobConcurrency, incrementalSteps, namespaceFor, type JobOptions } from './options.js';

export interface CreateJobResult {
  /** Pacing facts per incremental step: started, late, dropped, max lag behind schedule. */
  pacing: PacingStats[];
  created: number;
  failed: number;
  invalidReasons: string[];
  warnings: string[];
}

interface Unit {
  iteration: number;
  objIndex: number;
  replica: number;
}

const keyOf = (m: ResourceMapping, ns: string | undefined, name: string) =>
  `${m.group}/${m.resource}/${m.namespaced ? (ns ?? '') : ''}/${name}`;

export async function runCreateJob(
  o: JobOptions,
  ctx: PhaseContext,
  client: KubeClient,
  jobName: string,
  templates: CompiledTemplate[],
): Promise<CreateJobResult> {
  const result: CreateJobResult = { pacing: [], created: 0, failed: 0, invalidReasons: [], warnings: [] };
  const vars = (u: Unit) => ({
    ...o.objects[u.objIndex]!.inputVars,
    Iteration: u.iteration,
    Replica: u.replica,
    JobName: jobName,
    UUID: ctx.runId,
    RunID: ctx.runId,
  });

  // Namespaces first (only the ones we create get the created-namespace label).
  const namespaces = new Set<string>();
  for (let i = 0; i < o.jobIterations; i++) namespaces.add(namespaceFor(o, i));

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
  const watchers: Watcher[] = [];
  const selector = `${LABEL_RUN_ID}=${ctx.runId},${LABEL_JOB}=${jobName}`;
  let namespacedTouched = false;
  for (const [j, spec] of o.objects.entries()) {
    for (const obj of templates[j]!.renderObjects(vars({ iteration: 0, objIndex: j, replica: 1 }))) {
      const m = await mappingFor(obj);
      if (m.namespaced) namespacedTouched = true;
      if (spec.wait && !predicates.has(`${m.group}/${m.resource}`)) {
        predicates.set(`${m.group}/${m.resource}`, readinessFor(m.kind, spec.waitOptions));
      }
    }
  }
  if (namespacedTouched) {
    await Promise.all(
      [...namespaces].map((ns) => ensureNamespace(client, ns, { runId: ctx.runId, job: jobName })),
    );
  }
  for (const [gr, pred] of predicates) {
    const m = [...mappings.values()].find((x) => `${x.group}/${x.resource}` === gr)!;
    const w = await watch(client, m, {
      labelSelector: selector,
      onEvent: (e) => {
        if (e.type === 'DELETED') return;
        tracker.observe(
          keyOf(m, e.object.metadata.namespace, e.object.metadata.name!),
          e.object,
          e.receivedMs,
          pred as (o: unknown) => boolean,
        );
      },
      onLost: (reason) => result.invalidReasons.push(`readiness watch on ${m.resource} lost: ${reason}`),
    });
    watchers.push(w);
  }

  // The work units, in kube-burner order: iteration-major, then object, then replica.
  const units: Unit[] = [];
  for (let i = 0; i < o.jobIterations; i++)
    for (let j = 0; j < o.objects.length; j++)
      for (let r = 1; r <= o.objects[j]!.replicas; r++) units.push({ iteration: i, objIndex: j, replica: r });

  const createUnit = async (u: Unit, intendedMs: number) => {
    const spec = o.objects[u.objIndex]!;
    const objs = templates[u.objIndex]!.renderObjects(vars(u));
    for (const obj of objs) {
      const m = await mappingFor(obj);
      applyLabels(obj, runLabels(ctx.runId, jobName, u.iteration));
      // A Namespace from a template is one kubeperf created: cleanup and gc may delete it.
      if (m.resource === 'namespaces' && !m.group) applyLabels(obj, { [LABEL_CREATED_NAMESPACE]: 'true' });
      const ns = m.namespaced ? (obj.metadata.namespace ?? namespaceFor(o, u.iteration)) : undefined;
      if (ns) obj.metadata.namespace = ns;
      const pred = spec.wait ? predicates.get(`${m.group}/${m.resource}`) : undefined;
      const named = obj.metadata.name;
      const sentMs = Math.max(intendedMs, performance.now());
      if (pred && named) tracker.expect(keyOf(m, ns, named), intendedMs, pred as (o: unknown) => boolean);
      const r = await client.create(m, ns, JSON.stringify(obj), 'create', {
        recorder: ctx.recorder,
        intendedMs,
        signal: ctx.signal,
      });
      ctx.progress.advance(1, r && isSuccess(r) ? 0 : 1);
      if (r && isSuccess(r)) {
        result.created++;
        if (pred && !named) {
          const name = (JSON.parse(r.body) as KubeObject).metadata.name!;
          tracker.expect(keyOf(m, ns, name), sentMs, pred as (o: unknown) => boolean);
        }
      } else {
        result.failed++;
        if (pred && named) tracker.forget(keyOf(m, ns, named));
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

  const steps = incrementalSteps(o);
  let offset = 0;
  try {
    for (const [k, iterations] of steps.entries()) {
      if (ctx.signal.aborted) break;
      const stepUnits = units.filter((u) => u.iteration >= offset && u.iteration < offset + iterations);
      if (steps.length > 1) ctx.progress.status(`step ${k + 1}/${steps.length}: ${iterations} iterations`);
      const p = await runTasks(o, stepUnits.length, (idx, t) => createUnit(stepUnits[idx]!, t), {
        defaultConcurrency: defaultJobConcurrency,
        signal: ctx.signal,
      });
      result.pacing.push(p);
      if (p.late)
        result.warnings.push(
          `step ${k + 1}: ${p.late} creates started more than 10 ms behind schedule (max ${p.maxLagMs.toFixed(1)} ms)`,
        );
      offset += iterations;
      if (k < steps.length - 1)
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
    if (predicates.size && o.waitWhenFinished) {
      const left = tracker.outstanding;
      if (left)
        ctx.progress.status(`waiting for ${left} more ${left === 1 ? 'object' : 'objects'} to be ready`);
      const { timedOut } = await tracker.waitAll(parseDuration(o.maxWaitTimeout)!, ctx.signal);
      if (timedOut)
        result.warnings.push(`${timedOut} objects were not ready within maxWaitTimeout ${o.maxWaitTimeout}`);
    }
  } finally {
    await Promise.all(watchers.map((w) => w.stop()));
  }
  return result;
}
