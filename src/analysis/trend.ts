/** Metric values across many runs in time order (historical tracking in CI). */
import { deltaPct, runRef, type LabeledResults, type RunRef } from './compare.js';
import { celExpressions } from './select.js';

export interface Trend {
  runs: RunRef[];
  metrics: {
    key: string;
    unit: string;
    better: 'lower' | 'higher';
    values: (number | null)[];
    changePct: number | null;
  }[];
}

/** Metric values of every run in time order, keyed like MetricDelta.key. */
export function trend(runs: LabeledResults[]): Trend {
  const sorted = [...runs].sort((a, b) => a.results.startedAt.localeCompare(b.results.startedAt));
  const keys = new Map<string, { unit: string; better: 'lower' | 'higher' }>();
  const perRun = sorted.map((r) => {
    const m = new Map<string, number>();
    for (const p of r.results.phases) {
      for (const [op, s] of Object.entries(p.ops)) {
        for (const stat of ['p50', 'p99'] as const) {
          m.set(`${p.name}/${op}.${stat}`, s.latencyMs[stat]);
          keys.set(`${p.name}/${op}.${stat}`, { unit: 'ms', better: 'lower' });
        }
        m.set(`${p.name}/${op}.throughput`, s.throughput);
        keys.set(`${p.name}/${op}.throughput`, { unit: '/s', better: 'higher' });
      }
      for (const e of celExpressions(p))
        if (typeof e.evalNs === 'number') {
          m.set(`${p.name}/cel.${e.name}.evalNs`, e.evalNs);
          keys.set(`${p.name}/cel.${e.name}.evalNs`, { unit: 'ns', better: 'lower' });
        }
    }
    return m;
  });
  return {
    runs: sorted.map(runRef),
    metrics: [...keys].map(([key, k]) => {
      const values = perRun.map((m) => m.get(key) ?? null);
      const present = values.filter((v): v is number => v !== null);
      const changePct = present.length >= 2 ? deltaPct(present[0], present[present.length - 1]) : null;
      return { key, ...k, values, changePct };
    }),
  };
}
