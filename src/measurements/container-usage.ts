/**
 * `containerUsage`: CPU cores and working-set memory of pods selected by namespace and pod regex, as
 * snapshots at the phase's boundaries, from a Prometheus-compatible backend with cAdvisor's series
 * (a real cluster's kubelets, or the embedded control plane's /metrics/cadvisor through the local stack).
 *
 * The queries are Milo's performance runner's:
 *   sum(rate(container_cpu_usage_seconds_total{namespace="NS",pod=~"RE",container!="",container!="POD"}[W]))
 *   sum(avg_over_time(container_memory_working_set_bytes{…}[W]))
 * with its fallback for older cAdvisor label sets: `pod` then `pod_name`, each with and then without
 * the container filter; the first variant with a non-zero value wins, and which one is recorded.
 * `usageQueries` is exported so the Milo phase queries the same label variants.
 */
import { z } from 'zod';
import { DurationString, parseDuration } from '../config/duration.js';
import { instantQuery, promDuration, type PromEndpoint } from '../metrics/promql-client.js';
import { chooseEndpoint, describeQueryError, endpointShape, NO_ENDPOINT, settle } from './prom-endpoint.js';
import { missing, type Measurement } from './types.js';

export const ContainerTargetSchema = z.strictObject({
  name: z.string().min(1).describe('Name of the component in results and reports (apiserver, etcd…).'),
  namespace: z.string().min(1),
  pod: z.string().min(1).describe('Regular expression (RE2, anchored) on the pod name.'),
});
export type ContainerTarget = z.infer<typeof ContainerTargetSchema>;

const Options = z.strictObject({
  ...endpointShape,
  targets: z
    .array(ContainerTargetSchema)
    .min(1)
    .default([{ name: 'apiserver', namespace: 'kube-system', pod: 'kube-apiserver.*' }])
    .describe('Pods to measure; default the API server (kube-system/kube-apiserver.*).'),
  window: DurationString.default('30s').describe(
    'Window of rate() and avg_over_time() in each snapshot (Milo’s MEASURE_WINDOW).',
  ),
  at: z
    .array(z.enum(['start', 'end']))
    .min(1)
    .default(['start', 'end'])
    .describe('Which phase boundaries to snapshot.'),
});
type Options = z.output<typeof Options>;

export interface UsageValue {
  value: number;
  /** Which label variant matched: pod|pod_name, with or without the container filter. */
  variant: string;
  query: string;
}

export interface ContainerSnapshot {
  at: 'start' | 'end';
  /** Evaluation instant, unix seconds. */
  time: number;
  windowSeconds: number;
  /** Per target name; null where no variant returned a non-zero value (recorded as missing, not zero). */
  targets: Record<string, { cpuCores: UsageValue | null; memoryBytes: UsageValue | null }>;
}

export interface ContainerUsageData {
  url: string;
  snapshots: ContainerSnapshot[];
}

const quote = (s: string) => JSON.stringify(s);

/** The query variants, in fallback order; a window given as text is used as written (`2m`). */
export function usageQueries(t: ContainerTarget, window: number | string) {
  const w = typeof window === 'string' ? window : promDuration(window);
  const variants = [
    { variant: 'pod,container', label: 'pod', filter: true },
    { variant: 'pod', label: 'pod', filter: false },
    { variant: 'pod_name,container', label: 'pod_name', filter: true },
    { variant: 'pod_name', label: 'pod_name', filter: false },
  ];
  return variants.map(({ variant, label, filter }) => {
    const sel = `namespace=${quote(t.namespace)},${label}=~${quote(t.pod)}${filter ? ',container!="",container!="POD"' : ''}`;
    return {
      variant,
      cpu: `sum(rate(container_cpu_usage_seconds_total{${sel}}[${w}]))`,
      memory: `sum(avg_over_time(container_memory_working_set_bytes{${sel}}[${w}]))`,
    };
  });
}

async function firstNonZero(
  ep: PromEndpoint,
  candidates: { variant: string; query: string }[],
  timeSec: number,
): Promise<UsageValue | null> {
  for (const c of candidates) {
    const r = await instantQuery(ep, c.query, timeSec);
    const v = r[0]?.value;
    if (v !== undefined && Number.isFinite(v) && v > 0)
      return { value: v, variant: c.variant, query: c.query };
  }
  return null;
}

/** One snapshot of every target at `timeSec` (unix seconds). Throws PromQueryError. */
async function snapshotContainerUsage(
  ep: PromEndpoint,
  targets: readonly ContainerTarget[],
  timeSec: number,
  windowMs: number,
): Promise<ContainerSnapshot['targets']> {
  const out: ContainerSnapshot['targets'] = {};
  for (const t of targets) {
    const qs = usageQueries(t, windowMs);
    out[t.name] = {
      cpuCores: await firstNonZero(
        ep,
        qs.map((q) => ({ variant: q.variant, query: q.cpu })),
        timeSec,
      ),
      memoryBytes: await firstNonZero(
        ep,
        qs.map((q) => ({ variant: q.variant, query: q.memory })),
        timeSec,
      ),
    };
  }
  return out;
}

export const containerUsage: Measurement<Options> = {
  type: 'containerUsage',
  description:
    'CPU cores and working-set memory of pods (namespace + pod regex) from cAdvisor series in Prometheus/VictoriaMetrics, snapshotted at the phase boundaries.',
  options: Options,
  async start(o, ctx) {
    return {
      async gather(endedAtMs) {
        const ep = chooseEndpoint(o, ctx);
        if (!ep) return missing(NO_ENDPOINT);
        const windowMs = parseDuration(o.window)!;
        const endMs = await settle(endedAtMs, o, ep, ctx.signal);
        const snapshots: ContainerSnapshot[] = [];
        const boundaries = { start: ctx.startedAtMs, end: endMs };
        for (const at of o.at) {
          const time = boundaries[at] / 1000;
          try {
            snapshots.push({
              at,
              time,
              windowSeconds: windowMs / 1000,
              targets: await snapshotContainerUsage(ep, o.targets, time, windowMs),
            });
          } catch (e) {
            const data = { url: ep.url, snapshots };
            const why = describeQueryError(e, `${at} snapshot`);
            if (!snapshots.length) return missing(why, { data: { ...data } });
            return { status: 'partial', message: why, data: { ...data } };
          }
        }
        const empty = snapshots.flatMap((s) =>
          Object.entries(s.targets)
            .filter(([, v]) => !v.cpuCores || !v.memoryBytes)
            .map(([name]) => `${name} at ${s.at}`),
        );
        const data: ContainerUsageData = { url: ep.url, snapshots };
        if (empty.length === snapshots.length * o.targets.length) {
          return missing(`no container series matched (${empty.join(', ')}); check namespace and pod regex`, {
            data: { ...data },
          });
        }
        return empty.length
          ? { status: 'partial', message: `no series for ${empty.join(', ')}`, data: { ...data } }
          : { status: 'ok', data: { ...data } };
      },
    };
  },
};
