/**
 * The study file's top level. Phase entries are checked here only for the keys every phase has; the
 * rest of a phase entry is validated by its phase type's own schema (src/phases/*), with the same
 * field paths. `schema/study.schema.json` is generated from these schemas (scripts/gen-schema.ts).
 */
import { z } from 'zod';
import { ClusterOptionsSchema } from '../cluster/options.js';
import { ControlPlaneUsageSchema } from '../metrics/control-plane-usage.js';
import { WarmupSchema } from '../phases/crud/warmup.js';
import { DurationString } from './duration.js';

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

export const MeasurementCommonKeys = ['type', 'name', 'phases', 'enabled'] as const;

export const MeasurementEntrySchema = z
  .looseObject({
    type: z
      .string()
      .min(1)
      .describe('A registered measurement: apiserverMetrics, promQuery, containerUsage, controllerMetrics.'),
    name: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter; letters, digits, _ and -')
      .max(63)
      .optional()
      .describe('Key of its results under each phase (phases[].measurements.<name>); defaults to the type.'),
    phases: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Phase names it runs around; default every phase that uses the cluster.'),
    enabled: z.boolean().optional().describe('false turns it off (e.g. the default-on apiserverMetrics).'),
  })
  .describe('A measurement taken around phases: its type and that type’s own options.');

export const MetricsSchema = z
  .strictObject({
    local: z
      .enum(['prometheus', 'victoriametrics'])
      .optional()
      .describe(
        'Start this backend (Debian’s /usr/bin/prometheus or /usr/bin/victoria-metrics) on loopback for the run, scraping the control plane, its containers, simulated controllers and kubeperf’s exporter; stopped after.',
      ),
    url: z
      .url()
      .optional()
      .describe(
        'An existing Prometheus-compatible query URL (Prometheus, VictoriaMetrics, Thanos) for promQuery and containerUsage.',
      ),
    bearerToken: z.string().min(1).optional().describe('Bearer token sent to `url`.'),
    scrapeInterval: DurationString.default('1s').describe(
      'Scrape interval of the local backend (short studies need a short one). Default 1s.',
    ),
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .optional()
      .describe('Port of the local backend (default a free one).'),
    exporterPort: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .optional()
      .describe('Serve kubeperf’s own /metrics on this port during the run (like --metrics-port).'),
  })
  .refine((m) => !(m.local && m.url), {
    message: 'set either local (start a backend) or url (use an existing one), not both',
  })
  .describe('Prometheus-compatible metrics for measurements, and kubeperf’s own exporter.');

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

export const DeployRuleSchema = z
  .strictObject({
    apiGroups: z.array(z.string()).default(['']).describe('API groups ("" is the core group).'),
    resources: z.array(z.string().min(1)).min(1).describe('Plural resources, e.g. configmaps.'),
    verbs: z.array(z.string().min(1)).min(1).describe('get, list, watch, create, update, patch, delete…'),
    resourceNames: z.array(z.string().min(1)).optional().describe('Only these objects.'),
    namespace: z
      .string()
      .min(1)
      .optional()
      .describe('A Role in this namespace; absent: the deploy namespace; "*": cluster-wide (ClusterRole).'),
  })
  .describe('An RBAC rule the in-cluster run needs beyond what its phases declare.');

/** Environment variables of the run's container: NAME → value. */
const EnvVarsSchema = z.record(
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'),
  z.string(),
);

export const DeploySchema = z
  .strictObject({
    rules: z
      .array(DeployRuleSchema)
      .default([])
      .describe('Extra RBAC rules for the run’s service account (kubeperf deploy).'),
    env: EnvVarsSchema.default({}).describe(
      'Environment of the run’s container (the study’s ${VAR} knobs); --env overrides.',
    ),
    kubeconfigSecret: z
      .strictObject({
        name: z.string().min(1),
        key: z.string().min(1).default('kubeconfig'),
      })
      .optional()
      .describe(
        'Run against the cluster of a kubeconfig in this Secret (e.g. a Milo control plane); the service account then only writes results.',
      ),
    namespace: z
      .string()
      .regex(
        /^([a-z0-9]([-a-z0-9]*[a-z0-9])?|\$\{[A-Z_][A-Z0-9_]*(:-[a-z0-9]([-a-z0-9]*[a-z0-9])?)?\})$/,
        'must be a namespace name or one ${VAR} / ${VAR:-namespace}',
      )
      .optional()
      .describe(
        'The Job’s namespace when --namespace is not given. Written as ${VAR:-default}, VAR is the study’s namespace knob: --env VAR=… picks the namespace, and --namespace sets VAR in the pod.',
      ),
    keep: z
      .boolean()
      .default(false)
      .describe(
        'The in-cluster run keeps what it created (kubeperf run --keep), to be removed later by the study’s cleanup mode.',
      ),
    cleanup: z
      .strictObject({
        env: EnvVarsSchema.refine((e) => Object.keys(e).length > 0, 'name at least one variable'),
      })
      .optional()
      .describe(
        'The study’s cleanup mode: `kubeperf deploy --cleanup` deploys it with these variables set (e.g. RUN_MODE: cleanup).',
      ),
  })
  .describe('How `kubeperf deploy` runs this study as a Job in a cluster (docs/deploy.md).');

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
  measurements: z
    .array(MeasurementEntrySchema)
    .optional()
    .describe(
      'Measurements around phases (clusterloader2-style). apiserverMetrics is on by default when the target serves /metrics.',
    ),
  metrics: MetricsSchema.optional(),
  thresholds: z
    .array(z.string().min(1))
    .default([])
    .describe('k6-like pass/fail checks, e.g. "create.p99 < 500ms", "errors.rate < 1%".'),
  slo: z.boolean().default(false).describe('Also check the Kubernetes API call-latency SLOs (1 s / 30 s).'),
  guard: GuardSchema.default({ maxErrorRate: 0.05 }),
  warmup: WarmupSchema,
  controlPlaneUsage: ControlPlaneUsageSchema,
  output: OutputSchema.optional(),
  deploy: DeploySchema.optional(),
});

export type StudyInput = z.input<typeof StudySchema>;
export type Study = z.output<typeof StudySchema>;
export type PhaseEntry = z.output<typeof PhaseEntrySchema>;
export type MetricsConfig = z.output<typeof MetricsSchema>;
export type DeployConfig = z.output<typeof DeploySchema>;
