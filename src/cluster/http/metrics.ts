/**
 * /metrics in Prometheus text format with kube-apiserver's metric names, labels and buckets, plus
 * the process_* metrics the run lifecycle scrapes for control-plane CPU and memory.
 */
import type { Store } from '../store/store.js';

export interface RequestLabels {
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  component: string;
  dryRun?: string;
}

const durationBuckets = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60,
];
const watchSizeBuckets = [1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072];

interface Hist {
  counts: Float64Array;
  sum: number;
  count: number;
}

/** A label value in the Prometheus text format: backslash, double quote and newline escaped. */
export function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function fmtNum(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return String(n);
}

function fmtLe(b: number): string {
  return b >= 1e6
    ? b
        .toExponential()
        .replace('e+', 'e+0')
        .replace(/e\+0(\d\d)/, 'e+$1')
    : String(b);
}

function newHist(n: number): Hist {
  return { counts: new Float64Array(n), sum: 0, count: 0 };
}

function observeHist(h: Hist, buckets: number[], v: number): void {
  for (let i = 0; i < buckets.length; i++) if (v <= buckets[i]!) h.counts[i]!++;
  h.sum += v;
  h.count++;
}

export class Metrics {
  private requests = new Map<string, number>();
  private durations = new Map<string, Hist>();
  private terminations = new Map<string, number>();
  private long = new Map<string, number>();
  private watchEvents = new Map<string, number>();
  private watchSizes = new Map<string, Hist>();
  private readonly startCpu = process.cpuUsage();

  constructor(
    /** Stored objects per resource (the root store plus path-scoped stores). */
    private readonly store: Pick<Store, 'count'>,
    private readonly inflight?: () => { readOnly: number; mutating: number },
  ) {}

  private baseCache = new Map<string, string>();

  /** `component="…",dry_run="…",group=…` (alphabetical label order, without code/le). */
  private base(l: RequestLabels, withDry: boolean): string {
    const key = `${withDry ? 1 : 0}|${l.component}|${l.dryRun ?? ''}|${l.group}|${l.resource}|${l.scope}|${l.subresource}|${l.verb}|${l.version}`;
    let v = this.baseCache.get(key);
    if (v === undefined) {
      v = this.format(l, withDry);
      if (this.baseCache.size > 10_000) this.baseCache.clear();
      this.baseCache.set(key, v);
    }
    return v;
  }

  private format(l: RequestLabels, withDry: boolean): string {
    return (
      `component="${l.component}",` +
      (withDry ? `dry_run="${l.dryRun ?? ''}",` : '') +
      `group="${escapeLabel(l.group)}",resource="${escapeLabel(l.resource)}",scope="${l.scope}",subresource="${escapeLabel(l.subresource)}",verb="${l.verb}",version="${escapeLabel(l.version)}"`
    );
  }

  observe(l: RequestLabels, code: number, seconds: number): void {
    const b = this.base(l, true);
    const rk = `code="${code}",${b}`;
    this.requests.set(rk, (this.requests.get(rk) ?? 0) + 1);
    let h = this.durations.get(b);
    if (!h) this.durations.set(b, (h = newHist(durationBuckets.length)));
    observeHist(h, durationBuckets, seconds);
    if (code === 429) {
      const tk = `code="429",${this.base(l, false)}`;
      this.terminations.set(tk, (this.terminations.get(tk) ?? 0) + 1);
    }
  }

  longrunning(l: RequestLabels, delta: number): void {
    const k = this.base(l, false);
    this.long.set(k, (this.long.get(k) ?? 0) + delta);
  }

  /** key = `group|version|kind`. */
  watchEvent(key: string, bytes: number): void {
    this.watchEvents.set(key, (this.watchEvents.get(key) ?? 0) + 1);
    let h = this.watchSizes.get(key);
    if (!h) this.watchSizes.set(key, (h = newHist(watchSizeBuckets.length)));
    observeHist(h, watchSizeBuckets, bytes);
  }

  render(storageKeys: Iterable<string>): string {
    const out: string[] = [];
    const family = (name: string, help: string, type: string) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    };
    family(
      'apiserver_current_inflight_requests',
      '[STABLE] Maximal number of currently used inflight request limit of this apiserver per request kind in last second.',
      'gauge',
    );
    const inf = this.inflight?.() ?? { readOnly: 0, mutating: 0 };
    out.push(`apiserver_current_inflight_requests{request_kind="mutating"} ${inf.mutating}`);
    out.push(`apiserver_current_inflight_requests{request_kind="readOnly"} ${inf.readOnly}`);
    family(
      'apiserver_longrunning_requests',
      '[STABLE] Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component. Not all requests are tracked this way.',
      'gauge',
    );
    for (const [k, v] of [...this.long].sort()) out.push(`apiserver_longrunning_requests{${k}} ${v}`);
    family(
      'apiserver_request_duration_seconds',
      '[STABLE] Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
      'histogram',
    );
    for (const [k, h] of [...this.durations].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      for (let i = 0; i < durationBuckets.length; i++) {
        out.push(`apiserver_request_duration_seconds_bucket{${k},le="${durationBuckets[i]}"} ${h.counts[i]}`);
      }
      out.push(`apiserver_request_duration_seconds_bucket{${k},le="+Inf"} ${h.count}`);
      out.push(`apiserver_request_duration_seconds_sum{${k}} ${fmtNum(h.sum)}`);
      out.push(`apiserver_request_duration_seconds_count{${k}} ${h.count}`);
    }
    family(
      'apiserver_request_terminations_total',
      '[ALPHA] Number of requests which apiserver terminated in self-defense.',
      'counter',
    );
    for (const [k, v] of [...this.terminations].sort())
      out.push(`apiserver_request_terminations_total{${k}} ${v}`);
    family(
      'apiserver_request_total',
      '[STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
      'counter',
    );
    for (const [k, v] of [...this.requests].sort()) out.push(`apiserver_request_total{${k}} ${v}`);
    family(
      'apiserver_storage_objects',
      '[STABLE] Number of stored objects at the time of last check split by kind.',
      'gauge',
    );
    for (const key of [...storageKeys].sort())
      out.push(`apiserver_storage_objects{resource="${escapeLabel(key)}"} ${this.store.count(key)}`);
    family('apiserver_watch_events_sizes', '[ALPHA] Watch event size distribution in bytes', 'histogram');
    for (const [key, h] of [...this.watchSizes].sort()) {
      const [g, v, kind] = key.split('|');
      const l = `group="${g}",kind="${kind}",version="${v}"`;
      for (let i = 0; i < watchSizeBuckets.length; i++)
        out.push(
          `apiserver_watch_events_sizes_bucket{${l},le="${fmtLe(watchSizeBuckets[i]!)}"} ${h.counts[i]}`,
        );
      out.push(`apiserver_watch_events_sizes_bucket{${l},le="+Inf"} ${h.count}`);
      out.push(`apiserver_watch_events_sizes_sum{${l}} ${h.sum}`);
      out.push(`apiserver_watch_events_sizes_count{${l}} ${h.count}`);
    }
    family('apiserver_watch_events_total', '[ALPHA] Number of events sent in watch clients', 'counter');
    for (const [key, n] of [...this.watchEvents].sort()) {
      const [g, v, kind] = key.split('|');
      out.push(`apiserver_watch_events_total{group="${g}",kind="${kind}",version="${v}"} ${n}`);
    }
    const cpu = process.cpuUsage();
    family('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', 'counter');
    out.push(`process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`);
    const mem = process.memoryUsage();
    family('process_resident_memory_bytes', 'Resident memory size in bytes.', 'gauge');
    out.push(`process_resident_memory_bytes ${mem.rss}`);
    family('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', 'gauge');
    out.push(`process_start_time_seconds ${Math.floor(Date.now() / 1000 - process.uptime())}`);
    family(
      'go_memstats_heap_alloc_bytes',
      'Number of heap bytes allocated and still in use (V8 heap for kubeperf).',
      'gauge',
    );
    out.push(`go_memstats_heap_alloc_bytes ${mem.heapUsed}`);
    void this.startCpu;
    return out.join('\n') + '\n';
  }
}
