/**
 * What the `milo` phase records under `phases[].data.milo` (docs/milo.md#results), and the runner's
 * own results layout (milo-results.json, the ConfigMap's results.json), which existing tooling reads.
 */

/** The four numbers of one runner snapshot; null = missing (never a stand-in zero). */
export interface RunnerMetrics {
  apiserver_cpu_cores: number | null;
  apiserver_mem_bytes: number | null;
  etcd_cpu_cores: number | null;
  etcd_mem_bytes: number | null;
}

export const METRIC_KEYS = [
  'apiserver_cpu_cores',
  'apiserver_mem_bytes',
  'etcd_cpu_cores',
  'etcd_mem_bytes',
] as const;

/** milo-results.json: perf_run.py's results dict, key for key. */
export interface RunnerResults {
  test_id: string;
  timestamp: string;
  org_name: string;
  num_projects: number;
  num_secrets_per_project: number;
  num_configmaps_per_project: number;
  projects_ready_seconds: number;
  metrics: {
    baseline: RunnerMetrics;
    after_projects: RunnerMetrics;
    after_secrets: RunnerMetrics | null;
  };
}

export type SnapshotName = 'baseline' | 'after_projects' | 'after_secrets';

export interface Snapshot {
  /** Evaluation instant, unix seconds. */
  time: number;
  status: 'ok' | 'missing';
  /** Why it is missing (no endpoint, unreachable, no series). */
  reason?: string;
  /** The label variant whose set won: pod|pod_name, with or without the container filter. */
  variant?: string;
  values: RunnerMetrics;
  /** The PromQL of the winning variant, per metric. */
  queries?: Record<string, string>;
  /** The runner's pre-flight series counts (namespace, apiserver, etcd). */
  seriesCounts?: Record<string, number | null>;
}

export interface ProjectRecord {
  name: string;
  /** Create request latency, ms (from the first attempt to the final answer). */
  createMs?: number;
  /** Create sent → the watch event showing Ready=True, ms. */
  readyMs?: number;
  /** First project create sent → this project's Ready event, ms. */
  readyAtMs?: number;
}

export interface ObjectsRecord {
  secrets: { created: number; errors: number };
  configmaps: { created: number; errors: number };
  /** Per project: first create sent → last create answered, ms. */
  perProject: { name: string; ms: number; errors: number }[];
  /** Labelled objects found by listing each project's control plane afterwards. */
  listed?: { secrets: number; configmaps: number; projectsChecked: number };
}

export interface Deltas {
  apiserver_cpu_cores: number | null;
  apiserver_mem_mb: number | null;
  etcd_cpu_cores: number | null;
  etcd_mem_mb: number | null;
}

export interface CleanupReport {
  testId: string;
  orgName: string;
  /** Where test_id/org_name came from. */
  from: 'options' | 'configmap' | 'run';
  deleted: {
    secrets: number;
    configmaps: number;
    projects: number;
    organization: boolean;
    configMap: boolean;
  };
  /** Objects left alone because they do not carry this test's labels. */
  skipped: string[];
  /** Projects of the test still present when the wait for their finalizer ended. */
  remainingProjects: string[];
  errors: string[];
  ms: number;
}

export interface MiloData {
  mode: 'run' | 'cleanup';
  testId: string;
  orgName: string;
  /** The runner knobs as resolved for this run, by their runner names. */
  knobs: Record<string, string | number | boolean>;
  /** milo-results.json (run mode, when projects became Ready). */
  runner?: RunnerResults;
  metrics?: { source: string; url?: string; window: string; skipped?: string };
  snapshots?: Partial<Record<SnapshotName, Snapshot | null>>;
  projects?: {
    requested: number;
    created: number;
    ready: number;
    /** The runner's projects_ready_seconds (first create → last Ready seen by its 2 s poll in creation order, or by the watch without the poll). */
    readySeconds?: number;
    /** First create → last Ready event on the watch, s. */
    watchReadySeconds?: number;
    timedOut?: string[];
    list: ProjectRecord[];
  };
  objects?: ObjectsRecord;
  /** Differences between snapshots, per project (the runner's report cards) and per object (kubeperf's). */
  deltas?: {
    afterProjects?: { perProject: Deltas };
    afterObjects?: { perProject: Deltas; perObject: Deltas };
  };
  checkpoints: { phase: string; ok: boolean; error?: string }[];
  cleanup?: CleanupReport;
}
