/**
 * Control-plane CPU and memory during a phase. Two sources:
 * - `procfs`: /proc/<pid>/stat and /status of a server process on this machine (the embedded control
 *   plane). Reading them costs the server nothing, so it is sampled every second.
 * - `metrics`: the API server's own /metrics (process_cpu_seconds_total, process_resident_memory_bytes),
 *   the same series on a real kube-apiserver. A real /metrics is megabytes and every scrape costs the
 *   server CPU during the measurement (observer effect), so it is scraped every 10 s by default, the
 *   cost of one scrape is measured once (scrapeCostMs), and results say what sampling cost.
 * CPU cores = Δcpu-seconds / Δwall-seconds between readings. A rate that cannot be true (more cores
 * than the machine has) or that spans a gap in sampling or an uncertain reading time is dropped with
 * its reason, never averaged in.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { parseDuration } from '../config/duration.js';
import type { ResourceUsage } from '../results/types.js';

export const ControlPlaneUsageSchema = z
  .union([
    z.boolean(),
    z.strictObject({
      interval: z
        .union([z.string(), z.number()])
        .refine((s) => (parseDuration(s) ?? 0) >= 100, 'must be a duration of at least 100ms, e.g. 10s')
        .optional()
        .describe(
          'Time between readings (default 1s from /proc for the embedded control plane, 10s from /metrics).',
        ),
    }),
  ])
  .default(true)
  .describe(
    "Sample the API server's CPU and memory during cluster phases: true (default), false, or {interval}. Scrapes of /metrics cost the server CPU; results say how much.",
  );
export type ControlPlaneUsageOption = z.output<typeof ControlPlaneUsageSchema>;

/** The sampling interval a study asked for (ms), false when sampling is off. */
export function usageIntervalMs(v: ControlPlaneUsageOption | undefined): number | undefined | false {
  if (v === false) return false;
  if (v === true || v === undefined || v.interval === undefined) return undefined;
  return parseDuration(v.interval);
}

export type MetricsFetcher = () => Promise<string>;

export interface UsageReading {
  cpuSeconds: number;
  rssBytes: number;
  /** Response size, for /metrics scrapes. */
  bytes?: number;
}

export interface UsageSource {
  readonly method: 'procfs' | 'metrics';
  /** Shown in results, e.g. "embedded API server process (/proc)". */
  readonly label: string;
  read(): Promise<UsageReading>;
  /** API server CPU one reading costs, ms (measured once per source); undefined when unknown. */
  readingCostMs(): Promise<number | undefined>;
  /** The latest reading and when it was taken (its middle, monotonic ms), for reuse by the next phase. */
  last?: { reading: UsageReading; atMs: number; readMs: number };
}

export function parseProcessMetrics(text: string): { cpuSeconds?: number; rssBytes?: number } {
  const out: { cpuSeconds?: number; rssBytes?: number } = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('process_cpu_seconds_total ')) out.cpuSeconds = Number(line.slice(26));
    else if (line.startsWith('process_resident_memory_bytes ')) out.rssBytes = Number(line.slice(30));
  }
  return out;
}

/** Clock ticks per second of /proc/<pid>/stat's utime/stime (USER_HZ: 100 on every Linux ABI Node runs on). */
const USER_HZ = 100;

/** Readings of a local process from /proc: free for the process being measured. */
export function procfsSource(pid: number, label = `process ${pid} (/proc)`): UsageSource {
  return {
    method: 'procfs',
    label,
    async read() {
      const [stat, status] = await Promise.all([
        readFile(`/proc/${pid}/stat`, 'latin1'),
        readFile(`/proc/${pid}/status`, 'latin1'),
      ]);
      // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(f[11]) + Number(f[12]);
      const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
      if (!Number.isFinite(ticks) || !Number.isFinite(rssKb)) throw new Error(`unreadable /proc/${pid}`);
      return { cpuSeconds: ticks / USER_HZ, rssBytes: rssKb * 1024 };
    },
    readingCostMs: async () => 0,
  };
}

/** Readings scraped from an API server's /metrics; the scrape cost is measured on first request. */
export function metricsSource(fetchMetrics: MetricsFetcher, label = 'API server /metrics'): UsageSource {
  let cost: Promise<number | undefined> | undefined;
  const parse = (text: string): UsageReading => {
    const m = parseProcessMetrics(text);
    if (m.cpuSeconds === undefined || m.rssBytes === undefined)
      throw new Error('/metrics has no process_cpu_seconds_total or process_resident_memory_bytes');
    return { cpuSeconds: m.cpuSeconds, rssBytes: m.rssBytes, bytes: Buffer.byteLength(text) };
  };
  const source: UsageSource = {
    method: 'metrics',
    label,
    async read() {
      const s = performance.now();
      const reading = parse(await fetchMetrics());
      const e = performance.now();
      source.last = { reading, atMs: (s + e) / 2, readMs: e - s };
      return reading;
    },
    readingCostMs: () => (cost ??= measureScrapeCostMs(() => source.read()).catch(() => undefined)),
  };
  return source;
}

/**
 * API server CPU one scrape costs, by difference, so the server's background CPU cancels out: two
 * windows of equal length between readings, the first quiet, the second with `k` more scrapes spread
 * over it (so work a scrape defers, such as garbage collection, still lands inside it):
 * S = (busy − quiet) / k. Both are read from the server's own CPU counter.
 */
export async function measureScrapeCostMs(
  read: () => Promise<UsageReading>,
  o: { k?: number; windowMs?: number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<number> {
  const k = o.k ?? 5;
  const now = o.now ?? (() => performance.now());
  const sleep = o.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  const t = now();
  const r0 = await read();
  // Long enough for the scrapes and what they leave behind: 1 s, or 20 scrapes' time.
  const windowMs = o.windowMs ?? Math.max(1000, 20 * (now() - t));
  const until = async (at: number) => {
    const left = at - now();
    if (left > 0) await sleep(left);
  };
  let at = now() + windowMs;
  await until(at);
  const r1 = await read();
  const quiet = r1.cpuSeconds - r0.cpuSeconds;
  const start = now();
  for (let i = 1; i <= k; i++) {
    await until(start + (i * windowMs) / (k + 1));
    await read();
  }
  at = start + windowMs;
  await until(at);
  const r2 = await read();
  const busy = r2.cpuSeconds - r1.cpuSeconds;
  return Math.max(0, ((busy - quiet) / k) * 1000);
}

export interface UsageSamplerOptions {
  /** Time between readings, ms (default: 1 s for procfs, 10 s for /metrics). */
  intervalMs?: number;
  /** Cores of the machine the server runs on, for the sanity rule (undefined: unknown, not checked). */
  maxCores?: number;
}

export interface RawUsageSample {
  /** Seconds since sampling started: the middle of the reading. */
  t: number;
  cpuSeconds: number;
  rssBytes: number;
  /** How long the reading took (its time is uncertain by this much), ms. */
  readMs: number;
}

/** A reading younger than this at a phase's start is reused as its first (no new scrape). */
const REUSE_WITHIN_MS = 1000;

/** A rate spanning more than this many intervals follows a gap in sampling. */
const GAP_INTERVALS = 2.5;

/** The sanity rule's bound: more cores than a `maxCores` machine has (beyond 5% + 0.05 of slack) cannot be true. */
export const impossibleCores = (cores: number, maxCores: number) => cores > maxCores * 1.05 + 0.05;

/**
 * The sanity rule: rates between consecutive readings, each kept or dropped with a reason. Dropped:
 * more cores than the machine has, a gap in sampling (more than 2.5 intervals between readings), or
 * readings so slow that their time is uncertain by over a quarter of the span.
 */
export function usageRates(
  raw: RawUsageSample[],
  o: { intervalMs: number; maxCores?: number },
): {
  kept: ResourceUsage['samples'];
  dropped: NonNullable<ResourceUsage['dropped']>;
} {
  const kept: ResourceUsage['samples'] = [];
  const dropped: NonNullable<ResourceUsage['dropped']> = [];
  for (let i = 1; i < raw.length; i++) {
    const a = raw[i - 1]!;
    const b = raw[i]!;
    const dt = b.t - a.t;
    if (dt <= 0) continue;
    const cores = round(Math.max(0, b.cpuSeconds - a.cpuSeconds) / dt, 3);
    const t = round(b.t, 2);
    let reason: string | undefined;
    if (o.maxCores !== undefined && impossibleCores(cores, o.maxCores))
      reason = `${cores} cores on a ${o.maxCores}-core machine`;
    else if (dt * 1000 > GAP_INTERVALS * o.intervalMs)
      reason = `after a ${dt.toFixed(1)} s gap in sampling (interval ${o.intervalMs / 1000} s)`;
    else if ((a.readMs + b.readMs) / 2 > 250 * dt)
      reason = `readings took ${Math.round(Math.max(a.readMs, b.readMs))} ms, so their time is uncertain`;
    if (reason) dropped.push({ t, cpuCores: cores, reason });
    else kept.push({ t, cpuCores: cores, rssBytes: b.rssBytes });
  }
  return { kept, dropped };
}

export class UsageSampler {
  private readonly raw: RawUsageSample[] = [];
  private readonly bytes: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> | undefined;
  private t0 = 0;
  private reused = false;
  readonly intervalMs: number;

  constructor(
    private readonly source: UsageSource,
    private readonly options: UsageSamplerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? (source.method === 'procfs' ? 1000 : 10_000);
  }

  private sample(): Promise<void> {
    if (this.inflight) return this.inflight;
    const s = performance.now();
    this.inflight = this.source
      .read()
      .then((r) => {
        const e = performance.now();
        this.raw.push({
          t: ((s + e) / 2 - this.t0) / 1000,
          cpuSeconds: r.cpuSeconds,
          rssBytes: r.rssBytes,
          readMs: e - s,
        });
        if (r.bytes !== undefined) this.bytes.push(r.bytes);
      })
      // A missed reading only thins the series; a gap it leaves is caught by the sanity rule.
      .catch(() => {})
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  start(): void {
    this.t0 = performance.now();
    // The previous phase's last scrape, taken moments ago, is this phase's first: one scrape fewer.
    const last = this.source.last;
    if (last && this.t0 - last.atMs < REUSE_WITHIN_MS) {
      this.raw.push({
        t: (last.atMs - this.t0) / 1000,
        cpuSeconds: last.reading.cpuSeconds,
        rssBytes: last.reading.rssBytes,
        readMs: last.readMs,
      });
      this.reused = true;
    } else void this.sample();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  /**
   * Stops sampling after a final reading, so even a sub-second phase has a start and an end reading;
   * undefined when fewer than two readings succeeded (no rate can be measured).
   */
  async stop(): Promise<ResourceUsage | undefined> {
    clearInterval(this.timer);
    await this.inflight;
    await this.sample();
    const readings = this.raw.length;
    if (readings < 2) return undefined;
    const { kept, dropped } = usageRates(this.raw, {
      intervalMs: this.intervalMs,
      maxCores: this.options.maxCores,
    });
    const costMs = await this.source.readingCostMs();
    const serverCpuS = this.raw[readings - 1]!.cpuSeconds - this.raw[0]!.cpuSeconds;
    const sampling: NonNullable<ResourceUsage['sampling']> = {
      method: this.source.method,
      intervalMs: this.intervalMs,
      scrapes: this.source.method === 'metrics' ? readings - (this.reused ? 1 : 0) : 0,
      ...(this.bytes.length
        ? { bytesPerScrape: Math.round(this.bytes.reduce((a, b) => a + b, 0) / this.bytes.length) }
        : {}),
      ...(costMs !== undefined && this.source.method === 'metrics'
        ? {
            serverCpuMsPerScrape: round(costMs, 2),
            ...(serverCpuS > 0
              ? {
                  shareOfServerCpu: round(
                    ((readings - (this.reused ? 1 : 0)) * costMs) / 1000 / serverCpuS,
                    4,
                  ),
                }
              : {}),
          }
        : {}),
    };
    const rss = this.raw.slice(1).map((r) => r.rssBytes);
    const cpu = kept.map((s) => s.cpuCores);
    return {
      source: this.source.label,
      samples: kept,
      cpuCores: cpu.length
        ? { mean: round(cpu.reduce((a, b) => a + b, 0) / cpu.length, 3), max: Math.max(...cpu) }
        : { mean: 0, max: 0 },
      rssBytes: { mean: Math.round(rss.reduce((a, b) => a + b, 0) / rss.length), max: Math.max(...rss) },
      ...(dropped.length ? { dropped } : {}),
      sampling,
    };
  }
}

/** Warnings a phase carries about its control-plane usage: dropped samples, a costly observer. */
export function usageWarnings(u: ResourceUsage | undefined): string[] {
  if (!u) return [];
  const out: string[] = [];
  if (u.dropped?.length) {
    const first = u.dropped[0]!;
    out.push(
      `control-plane CPU: ${u.dropped.length} sample(s) dropped as impossible or unreliable (e.g. ${first.cpuCores} cores at ${first.t} s: ${first.reason}); mean and max use the ${u.samples.length} kept sample(s)${u.samples.length ? '' : ', so there is no CPU figure for this phase'}`,
    );
  }
  const share = u.sampling?.shareOfServerCpu;
  if (share !== undefined && share > 0.02)
    out.push(
      `sampling /metrics cost the API server ${(share * 100).toFixed(1)}% of its CPU in this phase (${u.sampling!.scrapes} scrapes × ${u.sampling!.serverCpuMsPerScrape} ms): raise the sampling interval or turn sampling off for short phases`,
    );
  return out;
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
