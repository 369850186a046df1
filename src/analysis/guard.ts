/**
 * The invalid-run guard: numbers from a run with too many errors, a failed phase, a phase that
 * declared its data untrustworthy, or an interrupted run are not a performance result.
 */
import type { Results } from '../results/types.js';
import { phaseOpStats, phaseRequests } from './select.js';

export interface GuardOptions {
  /** Highest tolerated error rate per phase, as a fraction (0.05 = 5%); values above 1 are read as percent. */
  maxErrorRate: number;
}

export function invalidReasons(results: Results, guard: GuardOptions): string[] {
  const max = guard.maxErrorRate > 1 ? guard.maxErrorRate / 100 : guard.maxErrorRate;
  const reasons: string[] = [];
  let anyData = false;
  for (const p of results.phases) {
    // A sweep's errors at every point count, not only at the point its op table shows.
    const { count, errors } = phaseRequests(p);
    if (count > 0 || (p.data && Object.keys(p.data).length > 0) || (p.sweeps?.length ?? 0) > 0)
      anyData = true;
    if (p.status === 'failed') reasons.push(`phase ${p.name} failed${p.error ? `: ${p.error}` : ''}`);
    for (const r of p.invalidReasons ?? []) reasons.push(`phase ${p.name}: ${r}`);
    if (count > 0 && errors / count > max) {
      const top = Object.entries(
        phaseOpStats(p).reduce<Record<string, number>>((acc, s) => {
          for (const [k, v] of Object.entries(s.errorsByReason)) acc[k] = (acc[k] ?? 0) + v;
          return acc;
        }, {}),
      )
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([k, v]) => `${k} ×${v}`)
        .join(', ');
      reasons.push(
        `phase ${p.name}: error rate ${pct(errors / count)} (${errors}/${count}) is above the guard's ${pct(max)}${top ? ` (${top})` : ''}`,
      );
    }
  }
  // An interrupted run measured only part of its plan: its numbers are kept, but they are no verdict.
  if (results.interrupted) {
    const cut = results.phases.filter((p) => p.status === 'interrupted').map((p) => p.name);
    const planned = Array.isArray((results.config as { phases?: unknown })?.phases)
      ? (results.config as { phases: unknown[] }).phases.length
      : undefined;
    const notRun = planned !== undefined ? planned - results.phases.length : 0;
    const what = [
      cut.length ? `phase ${cut.join(', ')} did not finish` : '',
      notRun > 0 ? `${notRun} phase(s) did not run` : '',
    ].filter(Boolean);
    reasons.push(
      anyData
        ? `run was interrupted${what.length ? `: ${what.join(', ')}` : ''}; the numbers cover only part of the plan`
        : 'run was interrupted before any phase recorded data',
    );
  }
  if (results.phases.length === 0) reasons.push('run has no phases');
  return reasons;
}

const pct = (f: number) => `${Math.round(f * 10000) / 100}%`;
