import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { launchEmbeddedCluster } from '../cluster/launch.js';
import {
  measureScrapeCostMs,
  metricsSource,
  parseProcessMetrics,
  procfsSource,
  UsageSampler,
  usageRates,
  usageWarnings,
  type RawUsageSample,
} from './control-plane-usage.js';

describe('control-plane usage', () => {
  it('parses the two process series kube-apiserver exposes', () => {
    const text =
      '# HELP x\nprocess_cpu_seconds_total 12.5\nprocess_resident_memory_bytes 1.048576e+08\nother 1\n';
    expect(parseProcessMetrics(text)).toEqual({ cpuSeconds: 12.5, rssBytes: 104857600 });
  });

  it('drops a rate above the machine’s cores, one after a gap, and one whose readings took too long', () => {
    const r = (t: number, cpuSeconds: number, readMs = 2): RawUsageSample => ({
      t,
      cpuSeconds,
      rssBytes: 1e8,
      readMs,
    });
    const raw = [
      r(0, 10),
      r(1, 10.8), // 0.8 cores: kept
      r(2, 11.9), // 1.1 cores: kept
      r(3, 23.0), // 11.1 cores on a 2-core machine: dropped
      r(16, 30.0), // 13 s gap: dropped (its rate, 0.54 cores, is not trustworthy)
      r(17, 31.0), // kept
      r(18, 32.0, 900), // the reading took 0.9 s of a 1 s span: its time is uncertain
    ];
    const { kept, dropped } = usageRates(raw, { intervalMs: 1000, maxCores: 2 });
    expect(kept.map((s) => s.cpuCores)).toEqual([0.8, 1.1, 1]);
    expect(dropped.map((d) => [d.t, d.reason])).toEqual([
      [3, '11.1 cores on a 2-core machine'],
      [16, 'after a 13.0 s gap in sampling (interval 1 s)'],
      [18, 'readings took 900 ms, so their time is uncertain'],
    ]);
    // Without a known core count only the gap and timing rules apply.
    expect(usageRates(raw, { intervalMs: 1000 }).kept.map((s) => s.cpuCores)).toContain(11.1);
  });

  it('says which samples were dropped and when sampling cost the server more than 2%', () => {
    const w = usageWarnings({
      source: 'x',
      samples: [{ t: 1, cpuCores: 0.5, rssBytes: 1 }],
      cpuCores: { mean: 0.5, max: 0.5 },
      rssBytes: { mean: 1, max: 1 },
      dropped: [{ t: 3, cpuCores: 11.1, reason: '11.1 cores on a 2-core machine' }],
      sampling: {
        method: 'metrics',
        intervalMs: 10_000,
        scrapes: 3,
        serverCpuMsPerScrape: 40,
        shareOfServerCpu: 0.05,
      },
    });
    expect(w[0]).toMatch(
      /1 sample\(s\) dropped .*11\.1 cores at 3 s: 11\.1 cores on a 2-core machine.*1 kept/,
    );
    expect(w[1]).toMatch(/cost the API server 5\.0% of its CPU.*3 scrapes × 40 ms/);
  });

  it('measures one scrape’s server CPU by difference, so background CPU cancels out', async () => {
    // A fake server: 30 ms of CPU per scrape, 0.4 cores of background work, on a fake clock.
    let clock = 0;
    let scrapes = 0;
    const read = async () => {
      clock += 12; // each scrape takes 12 ms of wall time
      scrapes++;
      return { cpuSeconds: scrapes * 0.03 + (clock / 1000) * 0.4, rssBytes: 1 };
    };
    const ms = await measureScrapeCostMs(read, {
      now: () => clock,
      sleep: async (d) => {
        clock += d;
      },
    });
    expect(ms).toBeCloseTo(30, 6);
  });

  it('reads a local process from /proc: CPU seconds and RSS', async () => {
    const r = await procfsSource(process.pid).read();
    expect(r.cpuSeconds).toBeGreaterThan(0);
    expect(r.rssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(await procfsSource(process.pid).readingCostMs()).toBe(0);
  });

  it('samples the embedded control plane from /proc and from /metrics, even over a phase shorter than one interval', async () => {
    const cluster = await launchEmbeddedCluster({});
    try {
      const headers = { authorization: `Bearer ${cluster.token}` };
      const fetchMetrics = async () => (await fetch(`${cluster.server}/metrics`, { headers })).text();
      const scraped = metricsSource(fetchMetrics);
      const samplers = [
        new UsageSampler(procfsSource(cluster.pid), { maxCores: availableParallelism() }),
        new UsageSampler(scraped, { maxCores: availableParallelism() }),
      ];
      for (const s of samplers) s.start();
      // Make the server work a little so CPU moves.
      await Promise.all(
        Array.from({ length: 200 }, () => fetch(`${cluster.server}/api/v1/namespaces`, { headers })),
      );
      const [proc, metrics] = await Promise.all(samplers.map((s) => s.stop()));
      for (const u of [proc, metrics]) {
        expect(u).toBeDefined();
        expect(u!.rssBytes.max).toBeGreaterThan(10 * 2 ** 20);
        expect(u!.cpuCores.max).toBeGreaterThanOrEqual(0);
      }
      expect(proc!.sampling).toMatchObject({ method: 'procfs', intervalMs: 1000, scrapes: 0 });
      expect(metrics!.sampling).toMatchObject({ method: 'metrics', intervalMs: 10_000, scrapes: 2 });
      expect(metrics!.sampling!.bytesPerScrape).toBeGreaterThan(1000);
      expect(metrics!.sampling!.serverCpuMsPerScrape).toBeGreaterThanOrEqual(0);
      // The next phase starts from the reading this one ended with: one scrape, not two.
      const next = new UsageSampler(scraped);
      next.start();
      expect((await next.stop())!.sampling!.scrapes).toBe(1);
    } finally {
      await cluster.stop();
    }
  });
});
