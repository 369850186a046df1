/**
 * The invalid-run guard: numbers from a run with too many errors, a failed phase, a phase that
 * declared its data untrustworthy, or an interruption before any data are not a performance result.
 */
import type { Results } from '../results/types.js';

export interface GuardOptions {
  /** Highest tolerated error rate per phase, as a fraction (0.05 = 5%); values above 1 are read as percent. */
  maxErrorRate: number;
}

export function invalidReasons(results: Results, guard: GuardOptions): string[] {
  const max = guard.maxErrorRate > 1 ? guard.maxErrorRate / 100 : guard.maxErrorRate;
  const reasons: string[] = [];
  let anyData = false;
  for (const p of results.phases) {
    let count = 0;
    let errors = 0;
    for (const s of Object.values(p.ops)) {
      count += s.count;
      errors += s.errors;
    }
    if (count > 0 || (p.data && Object.keys(p.data).length > 0) || (p.sweeps?.length ?? 0) > 0)
      anyData = true;
    if (p.status === 'failed') reasons.push(`phase ${p.name} failed${p.error ? `: ${p.error}` : ''}`);
    for (const r of p.invalidReasons ?? []) reasons.push(`phase ${p.name}: ${r}`);
    if (count > 0 && errors / count > max) {
      const top = Object.entries(
        Object.values(p.ops).reduce<Record<string, number>>((acc, s) => {
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
  if (results.interrupted && !anyData) reasons.push('run was interrupted before any phase recorded data');
  if (results.phases.length === 0) reasons.push('run has no phases');
  return reasons;
}

const pct = (f: number) => `${Math.round(f * 10000) / 100}%`;
