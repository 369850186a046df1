/**
 * Runs one `attached-routes` phase on the embedded control plane through the normal run lifecycle
 * (control plane and simulated controller each in their own process) and returns its data, the wall
 * time, this process's CPU, and the machine load (the box is shared: read numbers beside it).
 */
import { loadavg } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/core/logger.js';
import { runStudyObject } from '../../src/run/run-study.js';
import type { AttachedRoutesData } from '../../src/phases/attached-routes/run.js';
import type { OpStats, PhaseResult } from '../../src/results/types.js';

export interface GatewayBenchRun {
  phase: PhaseResult;
  data: AttachedRoutesData;
  ops: Record<string, OpStats>;
  exitCode: number;
  /** The whole run: control plane start, phase (setup, measurement, cleanup), stop. */
  wallSeconds: number;
  loadBefore: number[];
  loadAfter: number[];
  /** The load generator (this process). */
  generatorCpuSeconds: number;
}

export async function runAttachedRoutes(phase: Record<string, unknown>): Promise<GatewayBenchRun> {
  const out = mkdtempSync(join(tmpdir(), 'kubeperf-gateway-bench-'));
  const loadBefore = loadavg();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const outcome = await runStudyObject(
      {
        name: 'gateway-bench',
        phases: [{ type: 'attached-routes', name: 'attached-routes', ...phase }],
        output: { formats: ['json'] },
      },
      {
        source: 'bench/gateway',
        out,
        log: createLogger({ level: 'warn' }),
        progress: () => ({ start() {}, advance() {}, status() {}, finish() {} }) as never,
      },
    );
    const cpu = process.cpuUsage(cpu0);
    const p = outcome.results.phases[0]!;
    return {
      phase: p,
      data: (p.data as { attachedRoutes: AttachedRoutesData }).attachedRoutes,
      ops: p.ops,
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

export const r1 = (x: number | undefined) => (x === undefined ? -1 : Math.round(x * 10) / 10);
/** A duration (ms) that must stay under a limit (kgateway's for setup and teardown). */
export const msUnder = (name: string, ms: number | undefined, limitS: number) => ({
  name,
  value: r1(ms),
  unit: 'ms',
  target: `< ${limitS} s`,
  pass: ms !== undefined && ms < limitS * 1000,
});
/** The run's exit code, which must be 0. */
export const exitedZero = (name: string, r: GatewayBenchRun) => ({
  name,
  value: r.exitCode,
  unit: '',
  target: '0',
  pass: r.exitCode === 0,
});
export const loadNote = (r: GatewayBenchRun) =>
  `machine load (1/5/15 min) before ${r.loadBefore.map((x) => x.toFixed(2)).join('/')}, after ${r.loadAfter.map((x) => x.toFixed(2)).join('/')}`;

export function finish(
  bench: string,
  results: { name: string; value: number; unit: string; target?: string; pass?: boolean }[],
  notes: string,
): never {
  process.stdout.write(JSON.stringify({ bench, results, notes }) + '\n');
  process.exit(results.every((x) => x.pass !== false) ? 0 : 1);
}
