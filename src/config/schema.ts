/**
 * The study file's top level. Phase entries are checked here only for the keys every phase has; the
 * rest of a phase entry is validated by its phase type's own schema (src/phases/*), with the same
 * field paths. `schema/study.schema.json` is generated from these schemas (scripts/gen-schema.ts).
 */
import { z } from 'zod';
import { ClusterOptionsSchema } from '../cluster/options.js';
import { ControlPlaneUsageSchema } from '../metrics/control-plane-usage.js';
import { WarmupSchema } from '../phases/crud/warmup.js';

const percentOrFraction = z
  .union([
    z.number().min(0).max(1),
    z.string().regex(/^\d+(\.\d+)?%$/, 'must be a fraction (0.05) or a percentage ("5%")'),
  ])
  .transform((v) => (typeof v === 'number' ? v : Number(v.slice(0, -1)) / 100));

export const TargetSchema = z
  .strictObject({
    kubeconfig: z
      .string()
      .min(1)
      .optional()
      .describe('Path of a kubeconfig file (relative to the study file).'),
    context: z.string().min(1).optional().describe('Context to use in that kubeconfig.'),
  })
  .describe('A real cluster to run against. Absent: the embedded control plane, started for the run.');

export const PhaseCommonKeys = ['name', 'type', 'tags', 'repeat'] as const;

export const PhaseEntrySchema = z
  .looseObject({
    name: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be lower-case letters, digits and dashes (a DNS label)')
      .max(63)
      .optional()
      .describe('Unique phase name; defaults to the type (type-2, type-3… when repeated).'),
    type: z.string().min(1).describe('A registered phase type: crud, job, cel, graph, pause…'),
    tags: z
      .array(z.string().min(1))
      .optional()
      .describe('Labels for grouping and filtering in results and reports.'),
    repeat: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe('Run the phase N times; repeats give confidence intervals.'),
  })
  .describe('One phase: its type and that type’s own options.');

export const GuardSchema = z
  .strictObject({
    maxErrorRate: percentOrFraction
      .default(0.05)
      .describe('A run whose error rate is above this is invalid (exit 4). Default 5%.'),
  })
  .describe('Invalid-run guards.');

export const OutputSchema = z
  .strictObject({
    dir: z.string().min(1).optional().describe('Results directory (default kubeperf-results/<run-id>/).'),
    formats: z
      .array(z.enum(['json', 'html', 'md', 'junit']))
      .optional()
      .describe('Which files to write beside results.json (default all).'),
  })
  .describe('Where and what to write.');

export const StudySchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1).max(100).default('study').describe('Name of the study, shown in reports.'),
  description: z.string().optional(),
  target: TargetSchema.optional(),
  cluster: ClusterOptionsSchema.optional().describe(
    'Options of the embedded control plane (latency models, faults, simulated nodes); ignored for kubeconfig targets.',
  ),
  phases: z
    .array(PhaseEntrySchema)
    .min(1, 'a study needs at least one phase')
    .describe('The phases, run in order.'),
  thresholds: z
    .array(z.string().min(1))
    .default([])
    .describe('k6-like pass/fail checks, e.g. "create.p99 < 500ms", "errors.rate < 1%".'),
  slo: z.boolean().default(false).describe('Also check the Kubernetes API call-latency SLOs (1 s / 30 s).'),
  guard: GuardSchema.default({ maxErrorRate: 0.05 }),
  warmup: WarmupSchema,
  controlPlaneUsage: ControlPlaneUsageSchema,
  output: OutputSchema.optional(),
});

export type StudyInput = z.input<typeof StudySchema>;
export type Study = z.output<typeof StudySchema>;
export type PhaseEntry = z.output<typeof PhaseEntrySchema>;
