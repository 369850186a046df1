/**
 * The embedded control plane as a monitored cluster: a kubelet/cAdvisor-style endpoint with
 * `container_cpu_usage_seconds_total` and `container_memory_working_set_bytes` (labels namespace, pod,
 * container) for the real processes it runs, so the PromQL written for a real cluster works on it.
 * Served at `/metrics/cadvisor` (the kubelet's path) and `/api/v1/nodes/<node>/proxy/metrics/cadvisor`
 * (what the usual Prometheus scrape config uses through the API server).
 *
 * Nothing is invented: one series per registered process that still exists, values read from
 * /proc/<pid>/stat (utime+stime) and /proc/<pid>/status (VmRSS) at scrape time. A process has no cgroup
 * of its own here, so the working set is its resident set size. Off Linux (no /proc) there are no series.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { escapeLabel } from './metrics.js';

export const ApiserverContainerSchema = z
  .strictObject({
    node: z
      .string()
      .min(1)
      .default('kubeperf-control-plane')
      .describe('Node name of /api/v1/nodes/<node>/proxy/metrics/cadvisor.'),
    namespace: z
      .string()
      .min(1)
      .default('kube-system')
      .describe('`namespace` label of the API server process.'),
    pod: z
      .string()
      .min(1)
      .optional()
      .describe(
        '`pod` label of the API server process (default kube-apiserver-<node>; e.g. milo-apiserver-0).',
      ),
    container: z
      .string()
      .min(1)
      .default('kube-apiserver')
      .describe('`container` label of the API server process.'),
  })
  .describe('How the API server process appears in the cAdvisor-style container metrics.');
export type ApiserverContainerInput = z.input<typeof ApiserverContainerSchema>;

export interface ContainerProcess {
  pid: number;
  namespace: string;
  pod: string;
  container: string;
}

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat, 100 on every Linux architecture Node runs on. */
const USER_HZ = 100;

export function readProcStats(
  pid: number,
): { cpuSeconds: number; rssBytes: number; startTicks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces; fields after it are plain.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(f[11]);
    const stime = Number(f[12]);
    const startTicks = Number(f[19]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    if (!m || !Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
    return { cpuSeconds: (utime + stime) / USER_HZ, rssBytes: Number(m[1]) * 1024, startTicks };
  } catch {
    return undefined;
  }
}

/** The node's cAdvisor metrics through the API server (what the usual Prometheus scrape config reads). */
export const cadvisorProxyPath = (node: string): string => `/api/v1/nodes/${node}/proxy/metrics/cadvisor`;

export class ContainerMetrics {
  readonly node: string;
  private readonly proxyPath: string;
  private readonly procs = new Map<number, ContainerProcess>();

  constructor(opts: ApiserverContainerInput = {}) {
    const o = ApiserverContainerSchema.parse(opts);
    this.node = o.node;
    this.proxyPath = cadvisorProxyPath(o.node);
    this.register({
      pid: process.pid,
      namespace: o.namespace,
      pod: o.pod ?? `kube-apiserver-${o.node}`,
      container: o.container,
    });
  }

  /** Adds a process (a simulated controller started by a study); re-registering a pid replaces its labels. */
  register(p: ContainerProcess): void {
    if (!Number.isInteger(p.pid) || p.pid <= 0) throw new Error(`registerProcess: bad pid ${p.pid}`);
    for (const k of ['namespace', 'pod', 'container'] as const) {
      if (typeof p[k] !== 'string' || !p[k])
        throw new Error(`registerProcess: ${k} must be a non-empty string`);
    }
    this.procs.set(p.pid, { pid: p.pid, namespace: p.namespace, pod: p.pod, container: p.container });
  }

  unregister(pid: number): void {
    this.procs.delete(pid);
  }

  processes(): ContainerProcess[] {
    return [...this.procs.values()];
  }

  /** `/api/v1/nodes/<this node>/proxy/metrics/cadvisor` → true (asked of every request). */
  isNodeProxyPath(pathname: string): boolean {
    return pathname === this.proxyPath;
  }

  render(): string {
    const rows: { labels: string; cpu: number; rss: number; start: number }[] = [];
    let bootSec: number | undefined;
    for (const p of [...this.procs.values()]) {
      const s = readProcStats(p.pid);
      if (!s) {
        // Gone: its series end, like a deleted container's.
        if (p.pid !== process.pid) this.procs.delete(p.pid);
        continue;
      }
      bootSec ??= bootTimeSec();
      rows.push({
        labels: `container="${escapeLabel(p.container)}",id="/proc/${p.pid}",namespace="${escapeLabel(p.namespace)}",pod="${escapeLabel(p.pod)}"`,
        cpu: s.cpuSeconds,
        rss: s.rssBytes,
        start: bootSec === undefined ? NaN : bootSec + s.startTicks / USER_HZ,
      });
    }
    const out: string[] = [];
    const family = (
      name: string,
      help: string,
      type: string,
      value: (r: (typeof rows)[number]) => number,
    ) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const r of rows) if (Number.isFinite(value(r))) out.push(`${name}{${r.labels}} ${value(r)}`);
    };
    family(
      'container_cpu_usage_seconds_total',
      'Cumulative cpu time consumed in seconds.',
      'counter',
      (r) => r.cpu,
    );
    family(
      'container_memory_working_set_bytes',
      'Current working set in bytes (resident set size of the process).',
      'gauge',
      (r) => r.rss,
    );
    family('container_memory_rss', 'Size of RSS in bytes.', 'gauge', (r) => r.rss);
    family(
      'container_start_time_seconds',
      'Start time of the container since unix epoch in seconds.',
      'gauge',
      (r) => Math.floor(r.start),
    );
    return out.join('\n') + '\n';
  }
}

function bootTimeSec(): number | undefined {
  try {
    const m = /^btime (\d+)/m.exec(readFileSync('/proc/stat', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
