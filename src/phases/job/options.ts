/**
 * Options of the `job` phase, with kube-burner's names where they mean the same thing (jobType,
 * jobIterations, namespace, namespacedIterations, iterationsPerNamespace, qps, burst, objects[] with
 * objectTemplate/replicas/inputVars/wait, waitWhenFinished, maxWaitTimeout, jobPause, cleanup, gc,
 * patchType, incrementalLoad) plus kubeperf's load-model options.
 */
import { z } from 'zod';
import { parseDuration } from '../../config/duration.js';
import { loadModelShape } from '../../load/model.js';

const duration = z
  .union([z.string(), z.number()])
  .refine((s) => parseDuration(s) !== undefined, 'must be a duration such as 500ms, 10s or 2m');

export const jobTypes = ['create', 'read', 'list', 'update', 'patch', 'delete'] as const;
export type JobType = (typeof jobTypes)[number];

const WaitOptionsSchema = z.strictObject({
  /** Ready when this status condition has this status (default "True"). */
  condition: z.strictObject({ type: z.string().min(1), status: z.string().default('True') }).optional(),
  /** Ready when this CEL expression over `self` is true. */
  cel: z.string().min(1).optional(),
  /**
   * create: wait for other objects than the created ones (kube-burner's waitOptions.kind), e.g. the
   * Pods of a Deployment, selected by `labelSelector` and the job's run labels; not a latency.
   */
  kind: z.string().min(1).optional(),
  apiVersion: z.string().min(1).optional(),
  labelSelector: z.record(z.string(), z.string()).optional(),
});

/** Pod-level latency measurements taken around a create job (kube-burner's measurement names). */
export const latencyMeasurements = ['podLatency', 'jobLatency', 'serviceLatency'] as const;

const ChurnSchema = z
  .strictObject({
    /** Churn cycles to run (0: until `duration`). */
    cycles: z.number().int().min(0).default(0),
    /** Share of the job's iterations deleted and re-created each cycle. */
    percent: z.number().int().min(1).max(100).default(10),
    /** Stop churning after this long (0: after `cycles`). */
    duration: duration.default('0s'),
    /** Pause between cycles. */
    delay: duration.default('0s'),
    /** namespaces: delete and re-create whole iteration namespaces; objects: the objects in them. */
    mode: z.enum(['namespaces', 'objects']).default('namespaces'),
  })
  .refine((c) => c.cycles > 0 || parseDuration(c.duration)! > 0, {
    message: 'set cycles or duration (or both): churn stops at whichever comes first',
  });

export const JobObjectSchema = z.strictObject({
  /** create: the object template (file relative to the study, or inline YAML; several documents allowed). patch: the patch body template. */
  objectTemplate: z.string().min(1).optional(),
  /** create: copies per iteration ({{.Replica}} runs 1..replicas, as in kube-burner). */
  replicas: z.number().int().min(1).default(1),
  /** Extra template variables. */
  inputVars: z.record(z.string(), z.unknown()).default({}),
  /** create: measure readiness of these objects from a watch. */
  wait: z.boolean().default(false),
  waitOptions: WaitOptionsSchema.optional(),
  /** read/list/update/patch/delete: which objects (kind + apiVersion + labelSelector). */
  kind: z.string().min(1).optional(),
  apiVersion: z.string().min(1).optional(),
  labelSelector: z.record(z.string(), z.string()).default({}),
  /** patch: json | merge | strategic | apply (default merge). */
  patchType: z.enum(['json', 'merge', 'strategic', 'apply']).optional(),
  /** create: only in the job's first iteration (e.g. a ClusterRole shared by every iteration). */
  runOnce: z.boolean().default(false),
  /** create with churnConfig mode objects: false keeps this object out of the churn. */
  churn: z.boolean().default(true),
});
export type JobObject = z.infer<typeof JobObjectSchema>;

export const JobOptions = z
  .strictObject({
    /** Name used in labels (kubeperf.io/job) and {{.JobName}}; default: the phase name. */
    jobName: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label')
      .max(50)
      .optional(),
    jobType: z.enum(jobTypes).default('create'),
    jobIterations: z.number().int().min(1).default(1),
    /** Namespace (create: prefix with namespacedIterations). */
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label')
      .max(55)
      .default('kubeperf'),
    /** One namespace per iteration group: <namespace>-<n> (kube-burner default true). */
    namespacedIterations: z.boolean().default(true),
    iterationsPerNamespace: z.number().int().min(1).default(1),
    objects: z.array(JobObjectSchema).min(1),
    /** At the end of the job, wait until every `wait: true` object is ready. */
    waitWhenFinished: z.boolean().default(true),
    maxWaitTimeout: duration.default('5m'),
    /** Pause after the job. */
    jobPause: duration.optional(),
    /** Before running, delete objects left by earlier kubeperf runs of this job name (labelled only). */
    cleanup: z.boolean().default(false),
    /** After the job (and its waits), delete the objects it created. */
    gc: z.boolean().default(false),
    /** create: after the job, count the job's objects by label and compare with the creates that succeeded. */
    verifyObjects: z.boolean().default(true),
    /** create: a count mismatch makes the run invalid (otherwise a warning). */
    errorOnVerify: z.boolean().default(false),
    /** update/patch/delete/read: also select objects created by earlier kubeperf runs (default: this run only). */
    anyRun: z.boolean().default(false),
    /** list: page size (0 = one unpaged LIST). */
    listLimit: z.number().int().min(0).default(0),
    /** create: ramp the iterations in steps, kube-burner style. */
    incrementalLoad: z
      .strictObject({
        pattern: z.enum(['linear', 'exponential']).default('linear'),
        /** Iterations in the first step. */
        startIterations: z.number().int().min(1).default(1),
        /** linear: iterations added per step; exponential: factor per step. */
        step: z.number().min(1).default(2),
        stepDelay: duration.default('10s'),
      })
      .optional(),
    /** create: after each iteration, wait until its `wait: true` objects are ready (kube-burner podWait). */
    podWait: z.boolean().default(false),
    /** create: pause between iterations; read/patch: between passes over the objects. */
    jobIterationDelay: duration.optional(),
    /** create: after the job, delete and re-create a share of its iterations in cycles (kube-burner churn). */
    churnConfig: ChurnSchema.optional(),
    /** kube-burner's image pre-pull: accepted and not done (a note in the results says so). */
    preLoadImages: z.boolean().default(false),
    /** create: also label objects (and pod templates) with kube-burner's labels, so its selectors match. */
    kubeBurnerLabels: z.boolean().default(false),
    /** create: labels and annotations of the namespaces the job creates. */
    namespaceLabels: z.record(z.string(), z.string()).default({}),
    namespaceAnnotations: z.record(z.string(), z.string()).default({}),
    /** create: latency of the pods, jobs and services the job's objects lead to, from watches. */
    measure: z.array(z.enum(latencyMeasurements)).default([]),
    maxRetries: z.number().int().min(0).max(20).default(5),
    connections: z.number().int().min(1).max(1024).optional(),
    ...loadModelShape,
  })
  .superRefine((o, ctx) => {
    const createOnly = (field: string, on: boolean) => {
      if (on && o.jobType !== 'create')
        ctx.addIssue({ code: 'custom', path: [field], message: `${field} applies to create jobs only` });
    };
    createOnly('podWait', o.podWait);
    createOnly('churnConfig', !!o.churnConfig);
    createOnly('measure', o.measure.length > 0);
    if (o.churnConfig && !o.namespacedIterations)
      ctx.addIssue({
        code: 'custom',
        path: ['churnConfig'],
        message: 'churn deletes and re-creates iteration namespaces: it needs namespacedIterations: true',
      });
    if (o.jobIterationDelay !== undefined && o.jobType === 'delete')
      ctx.addIssue({
        code: 'custom',
        path: ['jobIterationDelay'],
        message: 'a delete job deletes each object once: jobIterationDelay does not apply',
      });
    o.objects.forEach((obj, i) => {
      if (o.jobType === 'create' && !obj.objectTemplate) {
        ctx.addIssue({
          code: 'custom',
          path: ['objects', i, 'objectTemplate'],
          message: 'create jobs need an objectTemplate',
        });
      }
      if (o.jobType !== 'create' && (!obj.kind || !obj.apiVersion)) {
        ctx.addIssue({
          code: 'custom',
          path: ['objects', i, 'kind'],
          message: `${o.jobType} jobs select objects by kind, apiVersion and labelSelector`,
        });
      }
      if (obj.runOnce && o.jobType !== 'create') {
        ctx.addIssue({
          code: 'custom',
          path: ['objects', i, 'runOnce'],
          message: 'runOnce is for create jobs',
        });
      }
      if (obj.waitOptions?.kind && !obj.waitOptions.apiVersion) {
        ctx.addIssue({
          code: 'custom',
          path: ['objects', i, 'waitOptions', 'apiVersion'],
          message: 'waitOptions.kind needs its apiVersion',
        });
      }
      if (obj.waitOptions?.cel && obj.waitOptions.condition) {
        ctx.addIssue({
          code: 'custom',
          path: ['objects', i, 'waitOptions'],
          message: 'use either condition or cel',
        });
      }
    });
  });
export type JobOptions = z.infer<typeof JobOptions>;
export type ChurnConfig = z.infer<typeof ChurnSchema>;

export const defaultJobConcurrency = 16;

/** Namespace of iteration i. */
export function namespaceFor(
  o: Pick<JobOptions, 'namespace' | 'namespacedIterations' | 'iterationsPerNamespace'>,
  i: number,
): string {
  return o.namespacedIterations ? `${o.namespace}-${Math.floor(i / o.iterationsPerNamespace)}` : o.namespace;
}

/** Iterations per step of an incremental load, summing to jobIterations. */
export function incrementalSteps(o: JobOptions): number[] {
  const inc = o.incrementalLoad;
  if (!inc) return [o.jobIterations];
  const steps: number[] = [];
  let done = 0;
  let size = inc.startIterations;
  while (done < o.jobIterations) {
    const n = Math.min(Math.max(1, Math.round(size)), o.jobIterations - done);
    steps.push(n);
    done += n;
    size = inc.pattern === 'linear' ? size + inc.step : size * inc.step;
  }
  return steps;
}
