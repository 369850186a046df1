/**
 * Runs a one-phase study on the embedded control plane through the normal run lifecycle (control
 * plane and simulated controllers each in their own process, JSON results in a temporary folder) and
 * returns its phase result with the wall time, this process's CPU and the machine load before and
 * after (the box is shared: read numbers beside it).
 */
import { loadavg } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../src/core/logger.js';
import { runStudyObject } from '../src/run/run-study.js';
import type { PhaseResult } from '../src/results/types.js';

export interface PhaseBenchRun {
  phase: PhaseResult;
  exitCode: number;
  /** The whole run: control plane start, phase (setup, measurement, cleanup), stop. */
  wallSeconds: number;
  loadBefore: number[];
  loadAfter: number[];
  /** The load generator (this process). */
  generatorCpuSeconds: number;
}

/**
 * `area` names the study (`<area>-bench`), its source (`bench/<area>`) and its temporary folder; the
 * phase is named after its type.
 */
export async function runOnePhase(
  area: string,
  type: string,
  phase: Record<string, unknown>,
  cluster?: Record<string, unknown>,
): Promise<PhaseBenchRun> {
  const out = mkdtempSync(join(tmpdir(), `kubeperf-${area}-bench-`));
  const loadBefore = loadavg();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const outcome = await runStudyObject(
      {
        name: `${area}-bench`,
        ...(cluster ? { cluster } : {}),
        phases: [{ type, name: type, ...phase }],
        output: { formats: ['json'] },
      },
      {
        source: `bench/${area}`,
        out,
        log: createLogger({ level: 'warn' }),
        progress: () => ({ start() {}, advance() {}, status() {}, finish() {} }) as never,
      },
    );
    const cpu = process.cpuUsage(cpu0);
    return {
      phase: outcome.results.phases[0]!,
      exitCode: outcome.exitCode,
      wallSeconds: (performance.now() - t0) / 1000,
      loadBefore,
      loadAfter: loadavg(),
      generatorCpuSeconds: (cpu.user + cpu.system) / 1e6,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export const loadNote = (r: { loadBefore: number[]; loadAfter: number[] }) =>
  `machine load (1/5/15 min) before ${r.loadBefore.map((x) => x.toFixed(2)).join('/')}, after ${r.loadAfter.map((x) => x.toFixed(2)).join('/')}`;
