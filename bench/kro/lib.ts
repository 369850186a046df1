/**
 * Runs one `kro` phase on the embedded control plane (bench/run-phase.ts) and returns its
 * measurements plus the CPU and memory of every process involved, and the machine load.
 */
import type { RoundResult } from '../../src/phases/kro/round.js';
import type { OpStats } from '../../src/results/types.js';
import { runOnePhase, type PhaseBenchRun } from '../run-phase.js';

export { loadNote } from '../run-phase.js';

export interface KroBenchRun extends PhaseBenchRun {
  round: RoundResult;
  ops: Record<string, OpStats>;
  /** The load generator's (this process's) highest RSS. */
  generatorMaxRssBytes: number;
  /** Highest controller RSS seen over the round (its /metrics, sampled every 500 ms). */
  controllerMaxRssBytes?: number;
  apiServerMaxRssBytes?: number;
}

export async function runKro(
  phase: Record<string, unknown>,
  cluster: Record<string, unknown> = {},
): Promise<KroBenchRun> {
  const run = await runOnePhase('kro', 'kro', phase, cluster);
  const p = run.phase;
  const round = (p.data as { kro: { rounds: RoundResult[] } }).kro.rounds[0]!;
  const rss = round.queue.map((q) => q.rssBytes ?? 0);
  return {
    ...run,
    round,
    ops: p.ops,
    generatorMaxRssBytes: process.resourceUsage().maxRSS * 1024,
    controllerMaxRssBytes: rss.length
      ? Math.max(...rss, round.controller?.rssBytes ?? 0)
      : round.controller?.rssBytes,
    apiServerMaxRssBytes: p.resources?.rssBytes.max,
  };
}

export const mb = (b: number | undefined) => (b === undefined ? -1 : Math.round(b / 1e5) / 10);
export const r2 = (x: number | undefined) => (x === undefined ? -1 : Math.round(x * 100) / 100);
