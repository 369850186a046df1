import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import { runStudyObject } from '../run/run-study.js';
import type { ContainerUsageData } from './container-usage.js';

const out = mkdtempSync(join(tmpdir(), 'kubeperf-container-usage-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** utime+stime of a process, seconds, from /proc (the reference the measurement must match). */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds at wall time t (ms), linearly interpolated between the test's own samples. */
function cpuAt(samples: { t: number; cpu: number }[], t: number): number {
  const i = samples.findIndex((s) => s.t >= t);
  if (i <= 0) return samples[Math.max(0, i)]!.cpu;
  const a = samples[i - 1]!;
  const b = samples[i]!;
  return a.cpu + ((b.cpu - a.cpu) * (t - a.t)) / (b.t - a.t);
}

describe('containerUsage', () => {
  it('from VictoriaMetrics: non-zero CPU and memory of the embedded API server at each boundary, CPU within 20% of /proc over the same window', async () => {
    const lines: string[] = [];
    const samples: { t: number; cpu: number }[] = [];
    let pid: number | undefined;
    const log = createLogger({
      write: (l) => {
        lines.push(l);
        const m = /embedded control plane .* \(pid (\d+),/.exec(l);
        if (m) pid = Number(m[1]);
      },
    });
    const timer = setInterval(() => {
      if (!pid) return;
      const cpu = cpuSeconds(pid);
      if (cpu !== undefined) samples.push({ t: Date.now(), cpu });
    }, 50);
    const crud = (name: string) => ({
      type: 'crud',
      name,
      namespace: name,
      ops: ['create'],
      // Creates then deletes at a steady 1,200/s (8 s): enough API server CPU that /proc's 10 ms
      // ticks and a late scrape on a busy machine are a small part of each window.
      objects: 4800,
      arrivalRate: 1200,
    });
    try {
      const outcome = await runStudyObject(
        {
          name: 'container-usage',
          metrics: { local: 'victoriametrics', scrapeInterval: '250ms' },
          phases: [crud('warm'), crud('one'), crud('two')],
          measurements: [
            {
              type: 'containerUsage',
              phases: ['one', 'two'],
              window: '6s',
              targets: [{ name: 'apiserver', namespace: 'kube-system', pod: 'kube-apiserver-.*' }],
            },
          ],
        },
        { source: 'test', out, log },
      );
      expect(outcome.results.phases.map((p) => p.status)).toEqual(['ok', 'ok', 'ok']);
      expect(pid).toBeGreaterThan(0);
      for (const p of outcome.results.phases.slice(1)) {
        const m = p.measurements!.containerUsage!;
        expect(m.status, m.message).toBe('ok');
        const d = m.data as unknown as ContainerUsageData;
        expect(d.snapshots.map((s) => s.at)).toEqual(['start', 'end']);
        for (const s of d.snapshots) {
          const v = s.targets.apiserver!;
          expect(v.cpuCores!.value).toBeGreaterThan(0);
          expect(v.memoryBytes!.value).toBeGreaterThan(10 * 1024 * 1024);
          expect(v.cpuCores!.variant).toBe('pod,container');
          const tMs = s.time * 1000;
          const expected =
            (cpuAt(samples, tMs) - cpuAt(samples, tMs - s.windowSeconds * 1000)) / s.windowSeconds;
          expect(expected).toBeGreaterThan(0);
          const ratio = v.cpuCores!.value / expected;
          expect(
            ratio,
            `${p.name} ${s.at}: measured ${v.cpuCores!.value}, /proc ${expected}`,
          ).toBeGreaterThan(0.8);
          expect(ratio, `${p.name} ${s.at}: measured ${v.cpuCores!.value}, /proc ${expected}`).toBeLessThan(
            1.2,
          );
        }
      }
    } finally {
      clearInterval(timer);
    }
  }, 120_000);
});
