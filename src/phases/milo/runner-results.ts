/**
 * The runner's results (milo-results.json, and results.json in the perf-results ConfigMap) and the
 * deltas of its report: per project (after_projects − baseline, after_secrets − after_projects,
 * divided by NUM_PROJECTS; memory in MB of 2^20 bytes as its report computes them), plus kubeperf's
 * per object (after_secrets − after_projects over every Secret and ConfigMap). A delta with a
 * missing side is null.
 */
import type { Deltas, MiloData, RunnerMetrics, RunnerResults, Snapshot } from './data.js';

/** Python's datetime.now(timezone.utc).isoformat(): microseconds and +00:00. */
export function pythonUtcIso(d = new Date()): string {
  return d.toISOString().replace(/Z$/, '000+00:00');
}

export function runnerResults(r: {
  testId: string;
  orgName: string;
  numProjects: number;
  numSecrets: number;
  numConfigmaps: number;
  projectsReadySeconds: number;
  baseline: Snapshot;
  afterProjects: Snapshot;
  afterSecrets: Snapshot | null;
  now?: Date;
}): RunnerResults {
  return {
    test_id: r.testId,
    timestamp: pythonUtcIso(r.now),
    org_name: r.orgName,
    num_projects: r.numProjects,
    num_secrets_per_project: r.numSecrets,
    num_configmaps_per_project: r.numConfigmaps,
    projects_ready_seconds: r.projectsReadySeconds,
    metrics: {
      baseline: r.baseline.values,
      after_projects: r.afterProjects.values,
      after_secrets: r.afterSecrets ? r.afterSecrets.values : null,
    },
  };
}

const MB = 1024 * 1024;

function diff(a: number | null, b: number | null, per: number, scale = 1): number | null {
  return a === null || b === null || per <= 0 ? null : (b - a) / scale / per;
}

function deltas(from: RunnerMetrics, to: RunnerMetrics, per: number): Deltas {
  return {
    apiserver_cpu_cores: diff(from.apiserver_cpu_cores, to.apiserver_cpu_cores, per),
    apiserver_mem_mb: diff(from.apiserver_mem_bytes, to.apiserver_mem_bytes, per, MB),
    etcd_cpu_cores: diff(from.etcd_cpu_cores, to.etcd_cpu_cores, per),
    etcd_mem_mb: diff(from.etcd_mem_bytes, to.etcd_mem_bytes, per, MB),
  };
}

export function snapshotDeltas(
  s: NonNullable<MiloData['snapshots']>,
  numProjects: number,
  objectsPerProject: number,
): NonNullable<MiloData['deltas']> {
  const out: NonNullable<MiloData['deltas']> = {};
  if (s.baseline && s.after_projects)
    out.afterProjects = { perProject: deltas(s.baseline.values, s.after_projects.values, numProjects) };
  if (s.after_projects && s.after_secrets) {
    out.afterObjects = {
      perProject: deltas(s.after_projects.values, s.after_secrets.values, numProjects),
      perObject: deltas(s.after_projects.values, s.after_secrets.values, numProjects * objectsPerProject),
    };
  }
  return out;
}
