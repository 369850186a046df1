/**
 * Control-plane CPU and memory during a phase, from the API server's own /metrics
 * (process_cpu_seconds_total, process_resident_memory_bytes): the same series on the embedded control
 * plane and a real kube-apiserver, so numbers are comparable. CPU cores = Δcpu-seconds / Δwall-seconds.
 */
import type { ResourceUsage } from '../results/types.js';

export type MetricsFetcher = () => Promise<string>;

export function parseProcessMetrics(text: string): { cpuSeconds?: number; rssBytes?: number } {
  const out: { cpuSeconds?: number; rssBytes?: number } = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('process_cpu_seconds_total ')) out.cpuSeconds = Number(line.slice(26));
    else if (line.startsWith('process_resident_memory_bytes ')) out.rssBytes = Number(line.slice(30));
  }
  return out;
}

export class UsageSampler {
  private readonly samples: { t: number; cpuSeconds: number; rssBytes: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly fetchMetrics: MetricsFetcher,
    private readonly source: string,
    private readonly intervalMs = 1000,
  ) {}

  private t0 = 0;

  private sample(): Promise<void> {
    if (this.inflight) return this.inflight;
    const t = (performance.now() - this.t0) / 1000;
    this.inflight = this.fetchMetrics()
      .then((text) => {
        const m = parseProcessMetrics(text);
        if (m.cpuSeconds !== undefined && m.rssBytes !== undefined) {
          this.samples.push({ t, cpuSeconds: m.cpuSeconds, rssBytes: m.rssBytes });
        }
      })
      // A missed scrape only thins the series; rates use the real time between samples.
      .catch(() => {})
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  start(): void {
    this.t0 = performance.now();
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  /**
   * Stops sampling after a final scrape, so even a sub-second phase has a start and an end sample;
   * undefined when fewer than two scrapes succeeded (no rate can be measured).
   */
  async stop(): Promise<ResourceUsage | undefined> {
    clearInterval(this.timer);
    await this.inflight;
    await this.sample();
    if (this.samples.length < 2) return undefined;
    const out: ResourceUsage['samples'] = [];
    for (let i = 1; i < this.samples.length; i++) {
      const a = this.samples[i - 1]!;
      const b = this.samples[i]!;
      const dt = b.t - a.t;
      if (dt <= 0) continue;
      out.push({
        t: round(b.t, 2),
        cpuCores: round(Math.max(0, b.cpuSeconds - a.cpuSeconds) / dt, 3),
        rssBytes: b.rssBytes,
      });
    }
    if (!out.length) return undefined;
    const mean = (f: (s: (typeof out)[number]) => number) => out.reduce((x, s) => x + f(s), 0) / out.length;
    const max = (f: (s: (typeof out)[number]) => number) => Math.max(...out.map(f));
    return {
      source: this.source,
      samples: out,
      cpuCores: {
        mean: round(
          mean((s) => s.cpuCores),
          3,
        ),
        max: round(
          max((s) => s.cpuCores),
          3,
        ),
      },
      rssBytes: { mean: Math.round(mean((s) => s.rssBytes)), max: max((s) => s.rssBytes) },
    };
  }
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
