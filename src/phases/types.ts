/**
 * A phase type is a named unit registered once (clusterloader2's measurement registry): it validates
 * its own options up front with field paths, describes itself for --dry-run, and runs with a context.
 */
import type { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { ProgressReporter } from '../core/progress.js';
import type { Recorder } from '../metrics/recorder.js';
import type { PromEndpoint } from '../metrics/promql-client.js';
import type { PhaseResult } from '../results/types.js';
import type { WorkerShare } from '../load/share.js';
import type { ApiAccess } from '../kube/access.js';

/** Where the study runs. Phases build their own clients from it (src/kube). */
export interface Target {
  kind: 'embedded' | 'kubeconfig' | 'none';
  /** API server URL. */
  server: string;
  /** Path of a kubeconfig for this target (the embedded control plane writes one). */
  kubeconfigPath?: string;
  /** Context in that kubeconfig; undefined = its current-context (only ever an explicit file). */
  context?: string;
  /** Server version (gitVersion), filled once connected. */
  version: string;
}

/** What a phase says about itself for --dry-run and the plan summary. */
export interface PhasePlan {
  /** One line per job / step, e.g. "create 120 configmaps (20 iterations × 3 replicas × 2 objects) at 50 qps". */
  steps: string[];
  /** Requests it will send, when knowable up front. */
  requests?: number;
  /** Objects it will create, when knowable up front. */
  objects?: number;
  /** Whether it needs a Kubernetes API (false for pure CPU benchmarks like cel/graph). */
  needsCluster: boolean;
}

export interface PlanContext {
  /** Directory of the study file, for resolving relative paths (templates, RGD files). */
  baseDir: string;
  runId: string;
  /** The phase's name in the study, when known (what it creates may be named for it, e.g. generated kinds). */
  phaseName?: string;
}

export interface PhaseContext extends PlanContext {
  phaseName: string;
  phaseIndex: number;
  tags: string[];
  target: Target;
  clock: Clock;
  /** Per-op HDR recording; its snapshot becomes the phase's `ops`. */
  recorder: Recorder;
  /** Aborted on SIGINT: stop issuing load, let in-flight requests finish (bounded). */
  signal: AbortSignal;
  progress: ProgressReporter;
  log: Logger;
  /** The run's output directory (for artifacts a phase wants to keep beside results.json). */
  outDir: string;
  /** Registers an async cleanup to run at the end of the run unless --keep (e.g. GC of owned objects). */
  onCleanup(fn: () => Promise<void>): void;
  /**
   * Set when this process is one worker of a distributed run (src/load/share.ts): the phase does
   * its share only (items, iterations, rate), labels what it creates with its worker index, and
   * touches only what its share owns.
   */
  share?: WorkerShare;
  /** The run's metrics plumbing, for phases that start processes or query metrics (docs/metrics.md). */
  observe?: PhaseObserve;
  /**
   * Where the run publishes results in a cluster when that is not the target (a run inside one
   * cluster measuring another, e.g. Milo through its kubeconfig); default the target.
   */
  resultsTarget?: Target;
}

export interface PhaseObserve {
  /** The run's Prometheus-compatible query endpoint: `metrics.url` or the local stack; undefined without one. */
  prometheus?: PromEndpoint;
  /**
   * Adds a process this phase started (a simulated controller) to the embedded control plane's
   * cAdvisor container metrics; undefined on other targets.
   */
  registerProcess?(p: { pid: number; namespace: string; pod: string; container: string }): Promise<void>;
  /** Adds a /metrics URL (the controller's) to the local stack's scrape targets; undefined without one. */
  addScrapeTarget?(t: { url: string; job?: string; labels?: Record<string, string> }): Promise<void>;
}

/** What a phase returns besides the recorder's ops. */
export type PhaseOutput = Pick<
  PhaseResult,
  'sweeps' | 'data' | 'warnings' | 'resources' | 'invalidReasons' | 'thresholds'
> & {
  /** Ops to report instead of the recorder's snapshot (e.g. when the phase ran sub-runs itself). */
  ops?: PhaseResult['ops'];
};

export interface PhaseType<Options = any> {
  /** Name used in study files: `phases[].type`. */
  readonly type: string;
  /** One sentence for `kubeperf run --help` and docs. */
  readonly description: string;
  /**
   * Schema of the phase's own options (everything in the phase entry except name, type, tags, repeat).
   * Must be strict so unknown fields are reported with their path.
   */
  readonly options: z.ZodType<Options>;
  plan(options: Options, ctx: PlanContext): PhasePlan;
  /**
   * The API access the phase needs (verbs on resources), for the least-privilege RBAC of
   * `kubeperf deploy`. Phase types that use a cluster should declare it; kinds are resolved later.
   */
  access?(options: Options, ctx: PlanContext): ApiAccess[];
  /**
   * The phase does a worker's share when `ctx.share` is set (crud, job). In a distributed run a type
   * without it runs on worker 0 only.
   */
  readonly splitsWork?: boolean;
  run(options: Options, ctx: PhaseContext): Promise<PhaseOutput>;
}
