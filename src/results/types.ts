/**
 * results.json, schemaVersion 1. Documented in docs/results-schema.md; every field added here must be
 * documented there. The zod schema is the single source: types are inferred from it and tests validate
 * written files against it.
 */
import { z } from 'zod';

export const LatencySummarySchema = z.object({
  min: z.number(),
  mean: z.number(),
  stddev: z.number(),
  p50: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  p999: z.number(),
  max: z.number(),
});

export const SeriesPointSchema = z.object({
  /** Window start, seconds since the phase started. */
  t: z.number(),
  count: z.number(),
  errors: z.number(),
  /** Successful ops per second in this window. */
  throughput: z.number(),
  p50: z.number(),
  p99: z.number(),
  mean: z.number(),
});
export type SeriesPoint = z.infer<typeof SeriesPointSchema>;

export const RoundStatsSchema = z.object({
  /** Round index (0-based) within the phase. */
  round: z.number().int(),
  count: z.number().int(),
  errors: z.number().int(),
  /** The op's active span in this round (first start → last end), ms. */
  durationMs: z.number(),
  throughput: z.number(),
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  mean: z.number(),
});
export type RoundStats = z.infer<typeof RoundStatsSchema>;

export const OpStatsSchema = z.object({
  /** Requests that finished (successes + classified errors). */
  count: z.number().int(),
  errors: z.number().int(),
  retries: z.number().int(),
  errorsByReason: z.record(z.string(), z.number()),
  errorsByCode: z.record(z.string(), z.number()),
  /** Successful ops per second over the op's active span. */
  throughput: z.number(),
  durationMs: z.number(),
  /** ms from the phase start to this op's first request start (places the span in time for merges). */
  startOffsetMs: z.number().optional(),
  /** Latency of successful ops, in ms. */
  latencyMs: LatencySummarySchema,
  /** HDR histogram of successful latencies in µs, compressed base64 (mergeable). */
  histogram: z.string(),
  series: z.array(SeriesPointSchema),
  /**
   * The op per round, when the phase ran its work in interleaved rounds (crud, job): the units that
   * carry run-to-run noise for `compare` and steady-state detection.
   */
  rounds: z.array(RoundStatsSchema).optional(),
  /** The op ran under an open-model schedule whose rate changes on purpose (ramp, steps). */
  varyingRate: z.boolean().optional(),
});
export type OpStats = z.infer<typeof OpStatsSchema>;

export const SweepSchema = z.object({
  /** What was varied: concurrency, payloadBytes, objects, nodes… */
  parameter: z.string(),
  unit: z.string().optional(),
  points: z.array(
    z.object({
      x: z.number(),
      /** Flat metric map, e.g. "create.throughput", "get.p99" (ms), "buildMs". */
      metrics: z.record(z.string(), z.number()),
      ops: z.record(z.string(), OpStatsSchema).optional(),
    }),
  ),
});
export type Sweep = z.infer<typeof SweepSchema>;

export const ResourceUsageSchema = z.object({
  /** Where the samples came from, e.g. "embedded control plane /metrics". */
  source: z.string(),
  /** Samples kept: CPU over the interval ending at `t` (s since the phase started) and RSS at `t`. */
  samples: z.array(z.object({ t: z.number(), cpuCores: z.number(), rssBytes: z.number() })),
  /** Over the kept samples only. */
  cpuCores: z.object({ mean: z.number(), max: z.number() }),
  rssBytes: z.object({ mean: z.number(), max: z.number() }),
  /** Samples dropped by the sanity rule (above the machine's cores, after a gap), with why. */
  dropped: z.array(z.object({ t: z.number(), cpuCores: z.number(), reason: z.string() })).optional(),
  /** How the samples were taken and what taking them cost the API server. */
  sampling: z
    .object({
      /** `procfs`: /proc/<pid>/stat of the local server process (costs the server nothing); `metrics`: scrapes of its /metrics. */
      method: z.enum(['procfs', 'metrics']),
      intervalMs: z.number(),
      scrapes: z.number().int(),
      /** Mean size of one /metrics response. */
      bytesPerScrape: z.number().optional(),
      /** API server CPU per scrape, ms, where measured (a calibration burst of scrapes). */
      serverCpuMsPerScrape: z.number().optional(),
      /** Server CPU the scrapes cost ÷ the server CPU of the phase (0.01 = 1%), where measured. */
      shareOfServerCpu: z.number().optional(),
    })
    .optional(),
});
export type ResourceUsage = z.infer<typeof ResourceUsageSchema>;

/**
 * One measurement's result under a phase (`phases[].measurements.<name>`). `data` is the
 * measurement's own record (documented per measurement in docs/results-schema.md); a source that could
 * not be read is `missing` with the reason, never zeros.
 */
export const MeasurementResultSchema = z.object({
  /** The registered measurement: apiserverMetrics, promQuery, containerUsage, controllerMetrics… */
  type: z.string(),
  status: z.enum(['ok', 'partial', 'missing']),
  /** Why the result is missing or partial. */
  message: z.string().optional(),
  warnings: z.array(z.string()).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type MeasurementResult = z.infer<typeof MeasurementResultSchema>;

export const PhaseStatusSchema = z.enum(['ok', 'failed', 'interrupted', 'skipped']);

export const PhaseResultSchema = z.object({
  name: z.string(),
  type: z.string(),
  tags: z.array(z.string()),
  startedAt: z.string(),
  endedAt: z.string(),
  durationMs: z.number(),
  status: PhaseStatusSchema,
  error: z.string().optional(),
  /** Per op type: create, get, update, patch, delete, list, watch, readiness… */
  ops: z.record(z.string(), OpStatsSchema),
  sweeps: z.array(SweepSchema).optional(),
  resources: ResourceUsageSchema.optional(),
  /** Measurements taken around the phase (study `measurements:`), by instance name. */
  measurements: z.record(z.string(), MeasurementResultSchema).optional(),
  /** Repeats of the same phase (phase `repeat: N`): ops of each repeat, for confidence intervals. */
  repeats: z.array(z.object({ ops: z.record(z.string(), OpStatsSchema) })).optional(),
  /** Type-specific typed records (e.g. cel: {expressions}, graph: {sizes, exponent}). */
  data: z.record(z.string(), z.unknown()).optional(),
  warnings: z.array(z.string()).optional(),
  /** Why this phase's numbers cannot be trusted (lost watch, missing data); makes the verdict "invalid". */
  invalidReasons: z.array(z.string()).optional(),
  /**
   * Built-in thresholds the phase type asks for (k6-like expressions, e.g. "attached-routes:setup.max < 30s");
   * evaluated with the study's own, and failing one fails the run like any threshold.
   */
  thresholds: z.array(z.string()).optional(),
});
export type PhaseResult = z.infer<typeof PhaseResultSchema>;

export const ThresholdResultSchema = z.object({
  expression: z.string(),
  /** The metric the expression named, resolved (e.g. "crud/create.p99"). */
  metric: z.string(),
  actual: z.number().nullable(),
  limit: z.number(),
  unit: z.string(),
  pass: z.boolean(),
  message: z.string(),
  /** "threshold" for user thresholds, "slo" for built-in Kubernetes SLO checks. */
  source: z.enum(['threshold', 'slo']),
});
export type ThresholdResult = z.infer<typeof ThresholdResultSchema>;

/** One worker of a distributed run (`kubeperf run --worker I/N`, an Indexed Job's pod). */
export const WorkerInfoSchema = z.object({
  index: z.number().int(),
  count: z.number().int(),
  /** The common start: when this worker saw every worker arrive (its own wall clock, ISO with ms). */
  startedAt: z.string().optional(),
  /** ms this worker waited at the start barrier. */
  waitedMs: z.number().optional(),
  /** Wall clock (epoch ms) at which this worker saw the end barrier released. */
  endReleasedAtMs: z.number().optional(),
  /** Host (pod) name, for skew analysis. */
  host: z.string().optional(),
});
export type WorkerInfo = z.infer<typeof WorkerInfoSchema>;

/** A merged distributed run (`kubeperf merge`, `kubeperf collect`): per-worker breakdown for skew. */
export const DistributedSchema = z.object({
  workers: z.number().int(),
  /** Worker indices that were merged (all of 0…workers-1 for a complete run). */
  merged: z.array(z.number().int()),
  /** Spread of the workers' start times (max − min of their barrier release), ms. */
  startSpreadMs: z.number(),
  parts: z.array(
    z.object({
      index: z.number().int(),
      host: z.string().optional(),
      startedAt: z.string(),
      endedAt: z.string().nullable(),
      verdict: z.string(),
      phases: z.array(
        z.object({
          name: z.string(),
          status: z.string(),
          ops: z.record(
            z.string(),
            z.object({
              count: z.number(),
              errors: z.number(),
              throughput: z.number(),
              p50: z.number(),
              p99: z.number(),
              max: z.number(),
            }),
          ),
        }),
      ),
    }),
  ),
});
export type Distributed = z.infer<typeof DistributedSchema>;

export const VerdictSchema = z.enum(['pass', 'fail', 'invalid']);
export type Verdict = z.infer<typeof VerdictSchema>;

export const ResultsSchema = z.object({
  schemaVersion: z.literal(1),
  runId: z.string(),
  name: z.string(),
  tool: z.object({ name: z.literal('kubeperf'), version: z.string() }),
  environment: z.object({
    node: z.string(),
    os: z.string(),
    arch: z.string(),
    cpus: z.number(),
    cpuModel: z.string(),
    totalMemoryBytes: z.number(),
  }),
  target: z.object({
    kind: z.enum(['embedded', 'kubeconfig', 'none']),
    server: z.string(),
    version: z.string(),
    context: z.string().optional(),
  }),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  interrupted: z.boolean(),
  /** The resolved study config, secrets redacted. */
  config: z.unknown(),
  verdict: VerdictSchema,
  /** Why the verdict is what it is (failed thresholds, invalid-run guards). */
  verdictReasons: z.array(z.string()),
  phases: z.array(PhaseResultSchema),
  thresholds: z.array(ThresholdResultSchema),
  /** Set on one worker's part of a distributed run. */
  worker: WorkerInfoSchema.optional(),
  /** Set on the merge of a distributed run's parts. */
  distributed: DistributedSchema.optional(),
  /**
   * The warm-up step before the first measured phase (JIT, connections, server caches): what it did,
   * reported here and excluded from every phase, threshold and comparison.
   */
  warmup: z
    .object({
      durationMs: z.number(),
      requests: z.number().int(),
      errors: z.number().int(),
      ops: z.record(
        z.string(),
        z.object({ count: z.number().int(), throughput: z.number(), p50: z.number() }),
      ),
      note: z.string().optional(),
    })
    .optional(),
  /** Filled by analysis: statistics, scaling fits, recommendations. */
  analysis: z.record(z.string(), z.unknown()).optional(),
  warnings: z.array(z.string()),
});
export type Results = z.infer<typeof ResultsSchema>;
