/**
 * Runs one `attached-routes` phase on the embedded control plane (bench/run-phase.ts) and returns its
 * data with the wall time, this process's CPU and the machine load.
 */
import type { AttachedRoutesData } from '../../src/phases/attached-routes/run.js';
import type { OpStats } from '../../src/results/types.js';
import { runOnePhase, type PhaseBenchRun } from '../run-phase.js';

export { loadNote } from '../run-phase.js';
export { finish } from '../client/util.js';

export interface GatewayBenchRun extends PhaseBenchRun {
  data: AttachedRoutesData;
  ops: Record<string, OpStats>;
}

export async function runAttachedRoutes(phase: Record<string, unknown>): Promise<GatewayBenchRun> {
  const run = await runOnePhase('gateway', 'attached-routes', phase);
  const p = run.phase;
  return { ...run, data: (p.data as { attachedRoutes: AttachedRoutesData }).attachedRoutes, ops: p.ops };
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
