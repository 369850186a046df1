/**
 * Options of the `crud` phase (and the flags of `kubeperf bench crud`).
 */
import { z } from 'zod';
import { loadModelShape } from '../../load/model.js';

export const crudOps = ['create', 'get', 'update', 'patch', 'list', 'list-paged', 'delete'] as const;
export type CrudOp = (typeof crudOps)[number];

export const CrudOptions = z
  .strictObject({
    /** Kind or plural resource name (default ConfigMap). */
    resource: z.string().min(1).default('ConfigMap'),
    apiVersion: z.string().min(1).default('v1'),
    /** Namespace for namespaced resources; created (and later deleted) when it does not exist. */
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label')
      .default('kubeperf-crud'),
    /** Objects per cycle. */
    objects: z.number().int().min(1).max(1_000_000).default(500),
    /** Bytes of payload per object (ConfigMap data, or an annotation for other kinds). */
    payloadBytes: z.number().int().min(0).max(900_000).default(256),
    /** Run one cycle per size: the "resource size impact" variant. */
    payloadSizes: z.array(z.number().int().min(0).max(900_000)).min(1).optional(),
    /** Run one cycle per worker count: "how throughput scales with workers". */
    concurrencySweep: z.array(z.number().int().min(1).max(4096)).min(1).optional(),
    /** Which ops to run, in this order (create and delete are always run when any later op needs objects). */
    ops: z.array(z.enum(crudOps)).min(1).optional(),
    patchType: z.enum(['merge', 'json', 'strategic', 'apply']).default('merge'),
    /** Full LIST requests per cycle (label-selected on the cycle's objects). */
    lists: z.number().int().min(0).default(10),
    /** Page size of the paged list walk (list-paged: one op per page request). */
    listPageSize: z.number().int().min(1).default(100),
    /** Object template, a file relative to the study or inline YAML (Go template; .Name .Namespace .Payload .Index available). */
    objectTemplate: z.string().optional(),
    /** Retries on 429/5xx/connection errors (Retry-After honoured). */
    maxRetries: z.number().int().min(0).max(20).default(5),
    /** HTTP connections to the API server (default: max(concurrency, 64)). */
    connections: z.number().int().min(1).max(1024).optional(),
    ...loadModelShape,
  })
  .refine((o) => !(o.concurrencySweep && o.payloadSizes), {
    message: 'use either concurrencySweep or payloadSizes, not both',
  });
export type CrudOptions = z.infer<typeof CrudOptions>;

export const defaultCrudConcurrency = 16;
