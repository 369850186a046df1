/**
 * `job`: kube-burner's job model over templated objects (create, read, list, update, patch, delete),
 * with our load models and watch-measured readiness. Ops recorded: create/get/list/update/patch/delete
 * and readiness.
 */
import { parseDuration } from '../../config/duration.js';
import { InputError } from '../../core/errors.js';
import { cleanupWith } from '../../kube/cleanup.js';
import { connect } from '../../kube/connect.js';
import { UnknownKindError } from '../../kube/discovery.js';
import { LABEL_JOB, LABEL_RUN_ID, labelSafe } from '../../kube/labels.js';
import { celPredicate } from '../../kube/readiness.js';
import { describeLoad, qpsFloorSeconds, roundsFor, scheduleFit } from '../../load/model.js';
import { coalescedProgress } from '../../load/progress.js';
import { sleep } from '../../load/sleep.js';
import { loadObjectTemplate, type CompiledTemplate } from '../../templates/objects.js';
import type { PhaseOutput, PhaseType, PlanContext } from '../types.js';
import { runCreateJob } from './create.js';
import { defaultJobConcurrency, incrementalSteps, JobOptions, namespaceFor } from './options.js';
import { runSelectJob } from './select.js';
import { jobAccess } from './access.js';
import { ownedIterations, workerSelector } from './share.js';

function compileTemplates(o: JobOptions, baseDir: string): (CompiledTemplate | undefined)[] {
  o.objects.forEach((obj, i) => {
    if (!obj.waitOptions?.cel) return;
    try {
      celPredicate(obj.waitOptions.cel);
    } catch (e) {
      throw new InputError(
        `objects[${i}].waitOptions.cel: not a valid CEL expression: ${(e as Error).message}`,
        {
          hint: 'the object is `self`, e.g. self.status.readyReplicas == self.spec.replicas',
        },
      );
    }
  });
  return o.objects.map((obj, i) =>
    obj.objectTemplate ? loadObjectTemplate(obj.objectTemplate, baseDir, `objects[${i}]`) : undefined,
  );
}

/**
 * Renders iteration 0 of every create template so bad variables fail at load time, not mid-run;
 * returns the objects `iterations` iterations create (runOnce objects only once).
 */
function checkRender(
  o: JobOptions,
  templates: (CompiledTemplate | undefined)[],
  ctx: PlanContext,
  jobName: string,
  iterations = o.jobIterations,
): number {
  let total = 0;
  for (const [i, t] of templates.entries()) {
    if (!t || o.jobType !== 'create') continue;
    const objs = t.renderObjects({
      ...o.objects[i]!.inputVars,
      Iteration: 0,
      Replica: 1,
      JobName: jobName,
      UUID: ctx.runId,
      RunID: ctx.runId,
    });
    const spec = o.objects[i]!;
    total += objs.length * spec.replicas * (spec.runOnce ? Math.min(1, iterations) : iterations);
  }
  return total;
}

const fmtSeconds = (s: number) => (s < 60 ? `${+s.toFixed(1)} s` : `${+(s / 60).toFixed(1)} min`);
/** The qps limit's floor on the phase's duration, when it is worth saying (a second or more). */
const floor = (s: number | undefined) =>
  s !== undefined && s >= 1 ? `at least ${fmtSeconds(s)} at this qps` : '';

export const jobPhase: PhaseType<JobOptions> = {
  type: 'job',
  description:
    'kube-burner-style job over templated objects: create/read/list/update/patch/delete with qps/burst, readiness from watches, cleanup and gc.',
  options: JobOptions,
  plan(o, ctx) {
    const jobName = o.jobName ?? 'job';
    const templates = compileTemplates(o, ctx.baseDir);
    const objects = checkRender(o, templates, ctx, jobName);
    const load = describeLoad(o, defaultJobConcurrency);
    if (o.jobType === 'create') {
      const nss = new Set(Array.from({ length: o.jobIterations }, (_, i) => namespaceFor(o, i))).size;
      const steps = incrementalSteps(o);
      const units = o.jobIterations * o.objects.reduce((a, x) => a + x.replicas, 0);
      const rounds = steps.length > 1 ? steps.length : roundsFor(o, units);
      const fit = scheduleFit(o, units);
      const extras = [
        steps.length > 1 ? `incremental ${steps.join('→')}` : rounds > 1 ? `${rounds} rounds` : '',
        o.objects.some((x) => x.wait) ? 'readiness from watches' : '',
        o.podWait ? 'podWait' : '',
        o.jobIterationDelay !== undefined ? `${o.jobIterationDelay} between iterations` : '',
        o.measure.length ? o.measure.join(', ') : '',
        o.churnConfig
          ? `churn ${o.churnConfig.percent}% ${o.churnConfig.mode}${o.churnConfig.cycles ? ` × ${o.churnConfig.cycles} cycles` : ''}${parseDuration(o.churnConfig.duration) ? ` for ${o.churnConfig.duration}` : ''}`
          : '',
        o.preLoadImages ? 'preLoadImages: not done (note in results)' : '',
        o.gc ? 'gc after' : '',
        fit ?? '',
        floor(qpsFloorSeconds(o, objects)),
      ].filter(Boolean);
      return {
        steps: [
          `create ${objects} objects (${o.jobIterations} iterations × ${o.objects.map((x) => `${x.replicas} replicas${x.runOnce ? ' once' : ''}`).join(' + ')}) in ${nss} namespace(s) ${o.namespacedIterations ? `${o.namespace}-N` : o.namespace}; ${load}${extras.map((e) => `; ${e}`).join('')}`,
        ],
        requests: objects,
        objects,
        needsCluster: true,
      };
    }
    return {
      steps: o.objects.map(
        (x) =>
          `${o.jobType} ${x.kind} (${x.apiVersion}) selected by ${
            Object.entries(x.labelSelector)
              .map(([k, v]) => `${k}=${v}`)
              .join(',') || 'run label'
          }${o.jobType === 'delete' ? '' : ` × ${o.jobIterations} iterations`}; ${load}${
            o.qps && o.jobType !== 'delete'
              ? `; at least ${fmtSeconds(o.jobIterations / o.qps)} per selected object at qps ${o.qps}`
              : ''
          }`,
      ),
      needsCluster: true,
    };
  },
  access: (o, ctx) => jobAccess(o, ctx, o.jobName ?? 'job', compileTemplates(o, ctx.baseDir)),
  splitsWork: true,
  async run(o, phaseCtx) {
    // Progress counts reach the terminal at most every 100 ms, not once per request.
    const ctx = { ...phaseCtx, progress: coalescedProgress(phaseCtx.progress) };
    const jobName = o.jobName ?? labelSafe(ctx.phaseName).toLowerCase();
    const templates = compileTemplates(o, ctx.baseDir);
    const client = await connect(ctx.target, {
      connections: o.connections ?? Math.min(1024, Math.max(16, o.concurrency ?? defaultJobConcurrency)),
    });
    client.retry = { ...client.retry, maxRetries: o.maxRetries };
    const out: PhaseOutput = {};
    const warnings: string[] = [];
    try {
      if (o.cleanup) {
        // Earlier runs only: the other workers of this run may already be creating.
        const r = await cleanupWith(client, {
          all: true,
          log: ctx.log,
          extraSelector: `${LABEL_JOB}=${jobName},${LABEL_RUN_ID}!=${ctx.runId}`,
          namespaces: false,
        });
        if (r.deleted)
          ctx.log.info(`cleanup: removed ${r.deleted} objects left by earlier runs of job ${jobName}`);
      }
      if (o.preLoadImages)
        warnings.push(
          'preLoadImages: not done; kubeperf does not pre-pull images (simulated nodes pull nothing; on a real cluster pre-pull with a DaemonSet before the run)',
        );
      if (o.jobType === 'create') {
        const iterations = ownedIterations(o, ctx.share).length;
        ctx.progress.start(checkRender(o, templates, ctx, jobName, iterations), 'objects');
        const r = await runCreateJob(o, ctx, client, jobName, templates as CompiledTemplate[]);
        const fit = scheduleFit(o, o.jobIterations * o.objects.reduce((a, x) => a + x.replicas, 0));
        if (fit) warnings.push(fit);
        warnings.push(...r.warnings);
        if (r.invalidReasons.length) out.invalidReasons = r.invalidReasons;
        out.data = {
          job: {
            jobName,
            jobType: o.jobType,
            created: r.created,
            failed: r.failed,
            iterations: r.iterations,
            ...(r.churn ? { churn: r.churn } : {}),
          },
          pacing: r.pacing,
          ...(r.latency ? { latency: r.latency } : {}),
        };
      } else {
        ctx.progress.start(undefined, 'requests');
        const r = await runSelectJob(o, ctx, client, jobName, templates);
        warnings.push(...r.warnings);
        out.data = {
          job: { jobName, jobType: o.jobType, selected: r.selected, requests: r.requests, failed: r.failed },
        };
      }
      ctx.progress.finish();
      if (o.gc && o.jobType === 'create') {
        // A worker collects its own objects only (and namespaces only it used).
        const r = await cleanupWith(client, {
          runId: ctx.runId,
          log: ctx.log,
          extraSelector: workerSelector(`${LABEL_JOB}=${jobName}`, ctx.share),
        });
        ctx.log.info(`gc: deleted ${r.deleted} objects of job ${jobName}`);
      }
      if (o.jobPause) await sleep(parseDuration(o.jobPause)!, ctx.signal).catch(() => {});
    } catch (e) {
      if (e instanceof UnknownKindError)
        throw new InputError(`job ${jobName}: ${e.message}`, {
          hint: 'check apiVersion and kind; CRDs must be installed before the job runs',
        });
      throw e;
    } finally {
      await client.close();
    }
    if (warnings.length) out.warnings = warnings;
    return out;
  },
};
