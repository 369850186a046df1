/**
 * The resolved plan of a study: what --dry-run prints and what the run executes. Descriptions come
 * from each phase type's plan(), so the text always matches what will run.
 */
import type { PhasePlan } from '../phases/types.js';
import type { LoadedStudy } from './load.js';

export interface StudyPlan {
  name: string;
  source: string;
  target: {
    kind: 'embedded' | 'kubeconfig' | 'none';
    kubeconfig?: string;
    context?: string;
    /** The API server URL, once the kubeconfig was checked (--dry-run does, without a request). */
    server?: string;
  };
  phases: { name: string; type: string; tags: string[]; repeat: number; plan: PhasePlan }[];
  totals: { phases: number; requests: number | null; objects: number | null };
  thresholds: string[];
  slo: boolean;
  /** Measurements around phases; `phases` lists where each runs. */
  measurements: { name: string; type: string; phases: string[]; default?: boolean }[];
  /** `metrics.local` backend or `metrics.url`, when set. */
  metrics?: string;
}

export function buildPlan(
  loaded: LoadedStudy,
  ctx: { runId: string; kubeconfig?: string; context?: string },
): StudyPlan {
  const phases = loaded.phases.map((p) => ({
    name: p.name,
    type: p.type,
    tags: p.tags,
    repeat: p.repeat,
    plan: p.phaseType.plan(p.options, { baseDir: loaded.baseDir, runId: ctx.runId }),
  }));
  const needsCluster = phases.some((p) => p.plan.needsCluster);
  const kubeconfig = ctx.kubeconfig ?? loaded.study.target?.kubeconfig;
  const context = ctx.context ?? loaded.study.target?.context;
  const kind = kubeconfig || context ? 'kubeconfig' : needsCluster ? 'embedded' : 'none';
  // A phase that needs no cluster sends no request and creates nothing, whether or not it says so.
  const value = (p: PhasePlan, f: (p: PhasePlan) => number | undefined) =>
    p.needsCluster ? f(p) : (f(p) ?? 0);
  const sum = (f: (p: PhasePlan) => number | undefined) =>
    phases.every((p) => value(p.plan, f) !== undefined)
      ? phases.reduce((acc, p) => acc + (value(p.plan, f) ?? 0) * p.repeat, 0)
      : null;
  return {
    name: loaded.study.name,
    source: loaded.source,
    target: { kind, kubeconfig, context },
    phases,
    totals: { phases: phases.length, requests: sum((p) => p.requests), objects: sum((p) => p.objects) },
    thresholds: loaded.study.thresholds,
    slo: loaded.study.slo,
    measurements: loaded.measurements.map((m) => ({
      name: m.name,
      type: m.type,
      phases: m.phases ?? phases.filter((p) => p.plan.needsCluster).map((p) => p.name),
      ...(m.implicit ? { default: true } : {}),
    })),
    ...(loaded.study.metrics?.local
      ? {
          metrics: `local ${loaded.study.metrics.local} (scrape every ${loaded.study.metrics.scrapeInterval})`,
        }
      : loaded.study.metrics?.url
        ? { metrics: loaded.study.metrics.url }
        : {}),
  };
}

export function formatPlan(plan: StudyPlan): string {
  const lines: string[] = [];
  const target =
    plan.target.kind === 'embedded'
      ? 'embedded control plane (started for the run, stopped after)'
      : plan.target.kind === 'kubeconfig'
        ? `kubeconfig ${plan.target.kubeconfig ?? '(KUBECONFIG)'}${plan.target.context ? ` context ${plan.target.context}` : ''}` +
          (plan.target.server ? `, server ${plan.target.server} (kubeconfig checked; no request sent)` : '')
        : 'none (no phase needs a cluster)';
  lines.push(`study ${plan.name} (${plan.source})`, `target: ${target}`, `phases: ${plan.totals.phases}`);
  plan.phases.forEach((p, i) => {
    const tags = p.tags.length ? ` [${p.tags.join(', ')}]` : '';
    const rep = p.repeat > 1 ? ` ×${p.repeat}` : '';
    lines.push(`  ${i + 1}. ${p.name} (${p.type})${rep}${tags}`);
    for (const s of p.plan.steps) lines.push(`       ${s}`);
  });
  const fmt = (n: number | null) => (n === null ? 'unknown up front' : n.toLocaleString('en-US'));
  lines.push(`totals: requests ${fmt(plan.totals.requests)}, objects created ${fmt(plan.totals.objects)}`);
  const measured = plan.measurements.filter((m) => m.phases.length);
  if (measured.length) {
    lines.push(
      `measurements: ${measured
        .map(
          (m) =>
            `${m.name}${m.name === m.type ? '' : ` (${m.type})`}${m.default ? ' [default]' : ''} around ${m.phases.join(', ')}`,
        )
        .join('; ')}`,
    );
  }
  if (plan.metrics) lines.push(`metrics: ${plan.metrics}`);
  if (plan.thresholds.length) lines.push(`thresholds: ${plan.thresholds.join('; ')}`);
  if (plan.slo) lines.push('SLO checks: on (mutating/read p99 ≤ 1 s, list p99 ≤ 30 s)');
  return lines.join('\n');
}
