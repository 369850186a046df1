/**
 * Built-in Kubernetes API call latency SLOs (kubernetes/community sig-scalability/slos):
 * single-object mutating calls p99 ≤ 1 s, single-object reads p99 ≤ 1 s, LIST p99 ≤ 30 s
 * (namespace/cluster scope). Checked per phase and op over the whole phase; the official SLI is a p99
 * over 5-minute windows, which a phase shorter than 5 minutes approximates with all its requests.
 */
import type { Results, ThresholdResult } from '../results/types.js';
import { evaluateThreshold, type ParsedThreshold } from './thresholds.js';

const MUTATING = new Set(['create', 'update', 'patch', 'delete', 'apply', 'replace', 'post', 'put']);
const READ = new Set(['get', 'read']);
const LIST = new Set(['list']);

interface SloRule {
  limitMs: number;
  label: string;
}

/** The SLO an op falls under, by its verb (the op name up to the first non-letter), if any. */
export function sloFor(op: string): SloRule | undefined {
  const verb = /^[a-z]+/i.exec(op)?.[0]?.toLowerCase() ?? '';
  if (MUTATING.has(verb)) return { limitMs: 1000, label: 'single-object mutating API call p99 ≤ 1 s' };
  if (READ.has(verb)) return { limitMs: 1000, label: 'single-object read API call p99 ≤ 1 s' };
  if (LIST.has(verb)) return { limitMs: 30000, label: 'LIST call p99 ≤ 30 s' };
  return undefined;
}

export function evaluateSlos(results: Results): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  for (const phase of results.phases) {
    for (const op of Object.keys(phase.ops)) {
      const rule = sloFor(op);
      if (!rule) continue;
      const t: ParsedThreshold = {
        expression: `${phase.name}:${op}.p99 <= ${rule.limitMs / 1000}s`,
        scope: phase.name,
        metric: `${op}.p99`,
        kind: 'op',
        comparator: '<=',
        limit: rule.limitMs,
        unit: 'ms',
        op,
        stat: 'p99',
      };
      const r = evaluateThreshold(results, t, 'slo');
      // A phase whose every call of this op failed has no latency to judge; the error guard covers it.
      if (r.actual === null) continue;
      out.push({ ...r, message: `Kubernetes SLO (${rule.label}): ${r.message}` });
    }
  }
  return out;
}
