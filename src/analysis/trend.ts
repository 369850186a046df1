/** Metric values across many runs in time order (historical tracking in CI). */
import { deltaPct, runRef, type LabeledResults, type RunRef } from './compare.js';
import { celExpressions } from './select.js';

const byTime = (a: LabeledResults, b: LabeledResults) =>
  a.results.startedAt.localeCompare(b.results.startedAt);

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
  const sorted = [...runs].sort(byTime);
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

/** A run loaded for `kubeperf compare`: named on the command line, or found by listing a folder. */
export interface FoundRun extends LabeledResults {
  fromFolder: boolean;
}

export interface RunSelection {
  baseline: LabeledResults;
  /** The newest run other than the baseline. */
  candidate: LabeledResults;
  /** Every run, baseline included, in time order, when there are more than two. */
  series?: LabeledResults[];
  /** What was dropped or is doubtful, said once each (they become comparison warnings). */
  notes: string[];
}

/**
 * Which runs `kubeperf compare` compares. The baseline is the first argument (a folder: its oldest
 * run); every other run is a candidate and the newest is compared against the baseline. A run given
 * twice (the baseline's file also inside a folder of runs) counts once. A run of another study found in
 * a folder is left out of the trend, with a note; one named explicitly is kept, with a note.
 */
export function selectRuns(baseArg: FoundRun[], candidateArgs: FoundRun[]): RunSelection | undefined {
  const [baseline, ...olderBaseRest] = [...baseArg].sort(byTime);
  if (!baseline) return undefined;
  const seen = new Set([baseline.results.runId]);
  const notes: string[] = [];
  const others: FoundRun[] = [];
  for (const r of [...olderBaseRest, ...candidateArgs]) {
    if (seen.has(r.results.runId)) continue;
    seen.add(r.results.runId);
    if (r.results.name !== baseline.results.name) {
      const what = `${r.label} is a run of study "${r.results.name}", not "${baseline.results.name}" like the baseline`;
      if (r.fromFolder) {
        notes.push(`${what}: left out`);
        continue;
      }
      notes.push(`${what}: compared as asked, but the numbers may not be comparable`);
    }
    others.push(r);
  }
  others.sort(byTime);
  const candidate = others[others.length - 1];
  if (!candidate) return undefined;
  return {
    baseline,
    candidate,
    series: others.length > 1 ? [baseline, ...others].sort(byTime) : undefined,
    notes,
  };
}
