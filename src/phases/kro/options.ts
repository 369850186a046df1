/**
 * Options of the `kro` phase (and the flags of `kubeperf bench kro`): which RGD (a file, or the
 * generator), how many instances at which load, which controller does the work (the simulated one
 * with kro's shapers as options, or the target's own kro), and the sweeps.
 */
import { z } from 'zod';
import { COMPLEXITIES } from '../../cel/complexity.js';
import { parseDuration } from '../../config/duration.js';
import { KroControllerOptions } from '../../controllers/kro/options.js';
import { loadModelShape } from '../../load/model.js';
import { SHAPES } from '../../rgd/generate.js';

const duration = z
  .union([z.string(), z.number()])
  .refine((s) => parseDuration(s) !== undefined, 'must be a duration such as 500ms, 10s or 2m');

const dns = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label')
  .max(50);

const generateFields = {
  /** Resources in the generated RGD. */
  resources: z.number().int().min(1).max(1000),
  /** Dependencies per resource (random/layered), branching (tree). */
  deps: z.number().int().min(0).max(50),
  shape: z.enum(SHAPES as [string, ...string[]]),
  /** CEL class of the generated expressions. */
  complexity: z.enum(COMPLEXITIES as [string, ...string[]]),
  seed: z.number().int(),
  /** Generator kinds to keep (default all: Deployment, Service, ConfigMap, Secret, Ingress); the others, and kinds the target does not serve, become ConfigMaps with the same dependencies. */
  kinds: z.array(z.enum(['Deployment', 'Service', 'ConfigMap', 'Secret', 'Ingress'])).min(1),
};

export const GenerateOptions = z.strictObject({
  resources: generateFields.resources.default(5),
  deps: generateFields.deps.default(1),
  shape: generateFields.shape.default('chain'),
  complexity: generateFields.complexity.default('simple'),
  seed: generateFields.seed.default(1),
  kinds: generateFields.kinds.optional(),
});
export type GenerateOptions = z.infer<typeof GenerateOptions>;

/** A complexity-sweep point: only what it changes from `generate`. */
const GeneratePoint = z.strictObject(generateFields).partial();

export const KroOptions = z
  .strictObject({
    /** RGD file (relative to the study); its first ResourceGraphDefinition is used. */
    rgd: z.string().min(1).optional(),
    /** Generate the RGD instead (src/rgd/generate.ts); the default when rgd is not set. */
    generate: GenerateOptions.optional(),
    /** Instances to create (per round). */
    instances: z.number().int().min(1).max(100_000).default(100),
    /** Spread instances over this many namespaces (<namespace>-0 … when more than one). */
    namespaces: z.number().int().min(1).max(1000).default(1),
    namespace: dns.default('kubeperf-kro'),
    /** Instance spec; strings may use {{name}} and {{index}} (default for generated RGDs: {name: "{{name}}"}). */
    spec: z.record(z.string(), z.unknown()).optional(),
    /** Change a spec field on a fraction of the instances once ACTIVE, and time the re-reconcile. */
    update: z
      .strictObject({
        fraction: z.number().gt(0).max(1).default(1),
        /** Dotted path under spec, e.g. spec.replicas. */
        field: z.string().regex(/^spec\.[A-Za-z0-9_.-]+$/, 'must be a path under spec, e.g. spec.replicas'),
        /** New value (default: integer +1, boolean flipped, string + "-u"). */
        value: z.unknown().optional(),
      })
      .optional(),
    /** Delete the instances at the end and time until they are gone. */
    delete: z.boolean().default(false),
    /** Most time for all instances to become ACTIVE (and for each later wait). */
    timeout: duration.default('5m'),
    /** End the wait early when no instance got any status this long after the last create. */
    noProgressTimeout: duration.default('60s'),
    /** After the last ACTIVE, let requeued reconciles finish before the after-scrape (kro requeues after 3 s). */
    settle: duration.default('4s'),
    /** simulated: kubeperf's kro controller in its own process; external: the target's own kro. Default: simulated on the embedded control plane, external on a kubeconfig target. */
    controller: z.enum(['simulated', 'external']).optional(),
    /** Options of the simulated controller (kro's defaults). */
    controllerOptions: KroControllerOptions.partial().optional(),
    /** The external controller's /metrics: a URL, or an API server path such as /api/v1/namespaces/kro-system/services/kro-metrics:8080/proxy/metrics. */
    controllerMetricsUrl: z.string().min(1).optional(),
    /** One round per instance count. */
    instancesSweep: z.array(z.number().int().min(1).max(100_000)).min(1).optional(),
    /** One round per generated RGD (each entry overrides `generate`): size, depth (shape), CEL class. */
    complexitySweep: z.array(GeneratePoint).min(1).optional(),
    /** One round per simulated-controller worker count. */
    workersSweep: z.array(z.number().int().min(1).max(1024)).min(1).optional(),
    /** HTTP connections of the load generator. */
    connections: z.number().int().min(1).max(1024).optional(),
    ...loadModelShape,
  })
  .superRefine((o, ctx) => {
    const add = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (o.rgd && o.generate) add(['rgd'], 'set either rgd (a file) or generate (the generator), not both');
    if (o.complexitySweep && o.rgd)
      add(['complexitySweep'], 'complexitySweep generates its RGDs: use generate, not rgd');
    const sweeps = [o.instancesSweep, o.complexitySweep, o.workersSweep].filter(Boolean).length;
    if (sweeps > 1)
      add(['instancesSweep'], 'use one of instancesSweep, complexitySweep, workersSweep per phase');
    if (o.controller === 'external') {
      if (o.workersSweep)
        add(
          ['workersSweep'],
          'workersSweep needs controller: simulated (the real kro is configured by its own flags)',
        );
      if (o.controllerOptions)
        add(['controllerOptions'], 'controllerOptions apply to controller: simulated only');
    }
    if (o.controllerMetricsUrl && o.controller === 'simulated')
      add(
        ['controllerMetricsUrl'],
        'the simulated controller serves its own /metrics; this option is for controller: external',
      );
  });
export type KroOptions = z.infer<typeof KroOptions>;

export const defaultKroConcurrency = 16;
