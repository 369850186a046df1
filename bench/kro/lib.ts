/**
 * Runs one `kro` phase on the embedded control plane through the normal run lifecycle (control plane
 * and controller each in their own process) and returns its measurements plus the CPU and memory of
 * every process involved, and the machine load (the box is shared: read numbers beside it).
 */
import { loadavg } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/core/logger.js';
import { runStudyObject } from '../../src/run/run-study.js';
import type { RoundResult } from '../../src/phases/kro/round.js';
import type { OpStats, PhaseResult } from '../../src/results/types.js';

export interface KroBenchRun {
  phase: PhaseResult;
  round: RoundResult;
  ops: Record<string, OpStats>;
  exitCode: number;
  loadBefore: number[];
  loadAfter: number[];
  /** The load generator (this process). */
  generator: { cpuSeconds: number; maxRssBytes: number };
  /** Highest controller RSS seen over the round (its /metrics, sampled every 500 ms). */
  controllerMaxRssBytes?: number;
  apiServerMaxRssBytes?: number;
}

export async function runKro(
  phase: Record<string, unknown>,
  cluster: Record<string, unknown> = {},
): Promise<KroBenchRun> {
  const out = mkdtempSync(join(tmpdir(), 'kubeperf-kro-bench-'));
  const loadBefore = loadavg();
  const cpu0 = process.cpuUsage();
  try {
    const outcome = await runStudyObject(
      {
        name: 'kro-bench',
        cluster,
        phases: [{ type: 'kro', name: 'kro', ...phase }],
        output: { formats: ['json'] },
      },
      {
        source: 'bench/kro',
        out,
        log: createLogger({ level: 'warn' }),
        progress: () => ({ start() {}, advance() {}, status() {}, finish() {} }) as never,
      },
    );
    const cpu = process.cpuUsage(cpu0);
    const p = outcome.results.phases[0]!;
    const round = (p.data as { kro: { rounds: RoundResult[] } }).kro.rounds[0]!;
    const rss = round.queue.map((q) => q.rssBytes ?? 0);
    return {
      phase: p,
      round,
      ops: p.ops,
      exitCode: outcome.exitCode,
      loadBefore,
      loadAfter: loadavg(),
      generator: {
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
      },
      controllerMaxRssBytes: rss.length
        ? Math.max(...rss, round.controller?.rssBytes ?? 0)
        : round.controller?.rssBytes,
      apiServerMaxRssBytes: p.resources?.rssBytes.max,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export const mb = (b: number | undefined) => (b === undefined ? -1 : Math.round(b / 1e5) / 10);
export const r2 = (x: number | undefined) => (x === undefined ? -1 : Math.round(x * 100) / 100);
export const loadNote = (r: KroBenchRun) =>
  `machine load (1/5/15 min) before ${r.loadBefore.map((x) => x.toFixed(2)).join('/')}, after ${r.loadAfter.map((x) => x.toFixed(2)).join('/')}`;
