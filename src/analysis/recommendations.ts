/**
 * Recommendations are sentences generated from the measured numbers (fits, thresholds, errors,
 * CIs); each cites the numbers it rests on. Nothing here is canned: no data, no sentence.
 */
import { impossibleCores } from '../metrics/control-plane-usage.js';
import type { Results } from '../results/types.js';
import { costCauses } from './cel-insight.js';
import { growthClass } from './scaling.js';
import { celExpressions } from './select.js';
import { sloFor } from './slo.js';
import { intervalUnits } from './stats.js';
import { formatValue } from './thresholds.js';
import type { PhaseAnalysis, Recommendation, ScalingFit } from './types.js';

const n = (v: number, unit = '') => formatValue(v, unit);
const pct = (f: number) => `${(Math.round(f * 1000) / 10).toLocaleString('en-US')}%`;

const ERROR_ADVICE: [RegExp, string][] = [
  [
    /^429$|TooManyRequests/i,
    'API Priority and Fairness is throttling; lower qps/concurrency or give the client a higher priority level',
  ],
  [
    /^409$|Conflict|AlreadyExists/i,
    'conflicting writes; use patch or server-side apply, or re-read before update',
  ],
  [
    /^(500|502|503|504)$|Timeout|ServiceUnavailable|ServerTimeout/i,
    'the API server or etcd is overloaded or restarting',
  ],
  [/^(0)$|ECONN|EPIPE|socket/i, 'connections are dropped; check the API server and network'],
  [/^422$|Invalid/i, 'the objects are rejected as invalid; fix the template'],
  [/^40[13]$|Unauthorized|Forbidden/i, 'the credentials lack permission for this call'],
];

export function recommend(
  results: Results,
  phases: PhaseAnalysis[],
  fits: ScalingFit[],
  invalid: string[],
): Recommendation[] {
  const out: Recommendation[] = [];
  for (const r of invalid)
    out.push({
      area: 'validity',
      text: `Run is invalid: ${r}. Fix this before trusting any number in this report.`,
    });

  for (const t of results.thresholds.filter((x) => !x.pass && x.actual !== null)) {
    const over = t.limit !== 0 ? Math.abs(t.actual! - t.limit) / Math.abs(t.limit) : 0;
    out.push({
      area: 'thresholds',
      text: `${t.metric} is ${n(t.actual!, t.unit)}, ${pct(over)} ${t.actual! > t.limit ? 'over' : 'under'} its limit (${t.expression})${t.source === 'slo' ? ', a Kubernetes SLO' : ''}.`,
    });
  }

  for (const p of phases) {
    let worstSlo: { op: string; used: number; p99: number; limitMs: number } | undefined;
    const warm = new Map<string, string[]>();
    for (const [op, a] of Object.entries(p.ops)) {
      const label = `${p.name} ${op}`;
      if (a.errors > 0) {
        const stats = results.phases.find((x) => x.name === p.name)?.ops[op];
        const [reason, count] = Object.entries(stats?.errorsByReason ?? {}).sort(
          (x, y) => y[1] - x[1],
        )[0] ?? ['unknown', a.errors];
        const [code] = Object.entries(stats?.errorsByCode ?? {}).sort((x, y) => y[1] - x[1])[0] ?? [''];
        const advice = ERROR_ADVICE.find(([re]) => re.test(reason) || re.test(code))?.[1];
        out.push({
          area: 'errors',
          text: `${pct(a.errorRate)} of ${label} calls failed (${a.errors}/${a.count}), mostly ${reason}${code ? ` (HTTP ${code})` : ''} ×${count}${advice ? `: ${advice}` : ''}.`,
        });
      }
      const l = a.latencyMs;
      if (a.count - a.errors >= 100 && l.p50 > 0 && l.p99 / l.p50 >= 10) {
        out.push({
          area: 'api',
          text: `${label} has a heavy tail: p99 ${n(l.p99, 'ms')} is ${Math.round(l.p99 / l.p50)}× the p50 ${n(l.p50, 'ms')} (max ${n(l.max, 'ms')}); look for GC pauses, etcd compaction or APF queueing.`,
        });
      }
      if (a.steadyState.warmupWindows > 0 || (a.steadyState.warmupRounds ?? 0) > 0) {
        const key = a.steadyState.note;
        warm.set(key, [
          ...(warm.get(key) ?? []),
          `${op} (${n(a.steadyState.throughput ?? 0, '/s')} steady vs ${n(a.throughput, '/s')} overall)`,
        ]);
      }
      const ci = a.ci.throughput;
      if (ci && ci.estimate > 0 && (ci.high - ci.low) / 2 / ci.estimate > 0.1) {
        out.push({
          area: 'noise',
          text: `${label} throughput is noisy: ${n(ci.estimate, '/s')} with a 95% CI of ${n(ci.low, '/s')}–${n(ci.high, '/s')} (±${pct((ci.high - ci.low) / 2 / ci.estimate)}) over ${ci.n} ${intervalUnits(ci.method)}; run longer or on a quieter machine before comparing.`,
        });
      }
      const rule = sloFor(op);
      if (rule && a.count - a.errors > 0) {
        const used = l.p99 / rule.limitMs;
        if (!worstSlo || used > worstSlo.used) worstSlo = { op, used, p99: l.p99, limitMs: rule.limitMs };
      }
    }
    for (const [note, ops] of warm)
      out.push({
        area: 'api',
        text: `${p.name}: ${note}, for ${ops.join(', ')}; statistics and comparisons use the steady part only.`,
      });
    if (worstSlo && worstSlo.used <= 1) {
      out.push({
        area: 'api',
        text: `${p.name}: the closest call to its Kubernetes SLO is ${worstSlo.op} with p99 ${n(worstSlo.p99, 'ms')}, ${pct(worstSlo.used)} of the ${n(worstSlo.limitMs / 1000, 's')} budget.`,
      });
    }
  }

  out.push(...celRecommendations(results));
  // Sentences a phase derived from its own measurements (e.g. kro's limiting shaper per round).
  for (const p of results.phases) {
    const own = (p.data as { recommendations?: unknown } | undefined)?.recommendations;
    if (Array.isArray(own))
      for (const text of own) if (typeof text === 'string') out.push({ area: 'scaling', text });
  }
  for (const f of fits.filter((x) => isHeadlineMetric(x.metric))) {
    const text = fitSentence(f);
    if (text) out.push({ area: f.parameter === 'nodes' ? 'graph' : 'scaling', text });
  }

  out.push(...resourceRecommendations(results));
  return out;
}

/**
 * Control-plane CPU and memory per phase, from kept samples only: a sample above the machine's cores
 * (even in a results.json written before the sanity rule existed) is never a peak to recommend from.
 * Percentages of the machine are given only when the server ran on it (the embedded control plane).
 */
function resourceRecommendations(results: Results): Recommendation[] {
  const out: Recommendation[] = [];
  const local = results.target.kind === 'embedded';
  const cpus = local ? results.environment.cpus : 0;
  for (const p of results.phases) {
    if (!p.resources) continue;
    const { rssBytes, sampling } = p.resources;
    const samples = p.resources.samples.filter((s) => !cpus || !impossibleCores(s.cpuCores, cpus));
    const dropped = (p.resources.dropped?.length ?? 0) + p.resources.samples.length - samples.length;
    const cpu = samples.map((s) => s.cpuCores);
    const mean = cpu.length ? cpu.reduce((a, b) => a + b, 0) / cpu.length : undefined;
    const max = cpu.length ? Math.max(...cpu) : undefined;
    const cost =
      sampling?.method === 'metrics' && sampling.serverCpuMsPerScrape !== undefined
        ? `; sampling took ${sampling.scrapes} /metrics scrapes of ${n(sampling.bytesPerScrape ?? 0, 'B')}, ${n(sampling.serverCpuMsPerScrape, 'ms')} of server CPU each${sampling.shareOfServerCpu !== undefined ? ` (${pct(sampling.shareOfServerCpu)} of its CPU in the phase)` : ''}`
        : sampling?.method === 'procfs'
          ? '; read from /proc, at no cost to the server'
          : '';
    const skipped = dropped ? `; ${dropped} impossible or unreliable CPU sample(s) left out` : '';
    const cpuText =
      mean !== undefined && max !== undefined
        ? `used ${n(mean, 'cores')} on average (peak ${n(max, 'cores')}${cpus ? `, ${pct(max / cpus)} of ${cpus} CPUs` : ''}) and `
        : 'has no trustworthy CPU sample; it used ';
    out.push({
      area: 'resources',
      text: `${p.name}: control plane ${cpuText}up to ${n(rssBytes.max, 'B')} RSS${skipped}${cost}${cpus && max !== undefined && max / cpus > 0.8 ? '; the control plane is CPU-bound here, so latency reflects the machine more than the API' : ''}.`,
    });
  }
  return out;
}

function celRecommendations(results: Results): Recommendation[] {
  const out: Recommendation[] = [];
  const exprs = results.phases.flatMap(celExpressions);
  const simple = exprs.filter((e) => e.complexity === 'simple' && typeof e.evalNs === 'number');
  const simpleNs = simple.length ? Math.min(...simple.map((e) => e.evalNs!)) : undefined;
  for (const e of exprs) {
    const order = e.costOrder ?? '';
    const superLinear = /²|\^2|\^3|³|n\s*\*\s*n|2\^n/.test(order);
    if (!superLinear && e.complexity !== 'very-complex') continue;
    const causes = costCauses(e.expression);
    const cost = typeof e.evalNs === 'number' ? `${n(e.evalNs, 'ns')}/eval` : '';
    const ratio =
      simpleNs && e.evalNs ? `, ${Math.round(e.evalNs / simpleNs)}× the cheapest simple expression` : '';
    out.push({
      area: 'cel',
      text: `expression ${e.name} is ${order || e.complexity}${causes.length ? `: ${causes.join(', ')}` : ''}${cost ? ` (${cost}${ratio})` : ''}${superLinear ? '; bound the list sizes with maxItems so the CEL cost budget holds' : ''}.`,
    });
  }
  for (const e of exprs) {
    if (typeof e.compileUs === 'number' && typeof e.evalNs === 'number' && e.evalNs > 0) {
      const evals = (e.compileUs * 1000) / e.evalNs;
      if (evals >= 1000) {
        out.push({
          area: 'cel',
          text: `compiling ${e.name} costs ${n(e.compileUs, 'us')}, as much as ${Math.round(evals).toLocaleString('en-US')} evaluations (${n(e.evalNs, 'ns')} each): compile once and cache the program.`,
        });
      }
    }
  }
  return out;
}

function fitSentence(f: ScalingFit): string | undefined {
  const unit = f.unit ?? f.parameter;
  const last = f.points[f.points.length - 1];
  const first = f.points[0];
  const yUnit = unitOfMetric(f.metric);
  const name = metricLabel(f.metric);
  if (f.knee) {
    const k = f.knee;
    return `${f.phase}: ${name} stops scaling beyond ${k.x} ${k.x === 1 ? singular(unit) : unit}: ${n(k.y, yUnit)} at ${k.x} vs ${n(k.nextY, yUnit)} at ${k.nextX} (${pct(Math.max(0, k.efficiency))} of linear gain).`;
  }
  if (f.parameter === 'concurrency' && /throughput/i.test(f.metric) && f.power) {
    return `${f.phase}: ${name} still rises at ${last.x} ${unit} (${n(first.y, yUnit)} → ${n(last.y, yUnit)}; +${Math.round((2 ** f.power.exponent - 1) * 100)}% per doubling, exponent ${f.power.exponent.toFixed(2)}, R² ${f.power.r2.toFixed(2)}).`;
  }
  if (f.power && f.power.r2 >= 0.8 && f.power.exponent < -0.3 && yUnit === '/s') {
    const k = -f.power.exponent;
    return `${f.phase}: ${name} falls as ${f.parameter}^${f.power.exponent.toFixed(2)} (log-log R² ${f.power.r2.toFixed(2)}): each operation costs ∝ n^${k.toFixed(2)} (${growthClass(k)}), ${n(last.y, yUnit)} at ${last.x} ${unit}.`;
  }
  if (f.power && f.power.exponent < -0.3) return undefined;
  const linearBetter = f.linear && f.power && f.linear.r2 > f.power.r2 && f.parameter !== 'nodes';
  if (
    f.power &&
    f.power.r2 >= 0.8 &&
    !linearBetter &&
    (f.parameter === 'nodes' || f.parameter === 'objects')
  ) {
    const lin =
      f.linear && f.linear.r2 >= 0.9 && f.linear.intercept >= 0
        ? `; ${name} ≈ ${affine(f.linear, yUnit, unit)} (R² ${f.linear.r2.toFixed(2)})`
        : '';
    return `${f.phase}: ${name} grows as ${f.parameter}^${f.power.exponent.toFixed(2)} (${growthClass(f.power.exponent)}, log-log R² ${f.power.r2.toFixed(2)}), ${n(last.y, yUnit)} at ${last.x} ${unit}${lin}.`;
  }
  if (f.linear && f.linear.r2 >= 0.8 && f.linear.slope !== 0) {
    return `${f.phase}: ${name} ≈ ${affine(f.linear, yUnit, unit)} (R² ${f.linear.r2.toFixed(2)}, ${first.x}–${last.x} ${unit}).`;
  }
  return undefined;
}

/** Fits worth a sentence: throughput, p99 and cost metrics; p50/p95/mean fits stay in the tables. */
export function isHeadlineMetric(metric: string): boolean {
  return !/\.(p50|p90|p95|mean|min|errors|count)$/.test(metric);
}

/** Readable names for resource metrics; op metrics (create.p99) already read well. */
function metricLabel(metric: string): string {
  if (/^(rss|memory)(Bytes)?$/i.test(metric)) return 'memory (RSS)';
  if (/^cpu(Cores)?$/i.test(metric)) return 'CPU';
  return metric;
}

function affine(l: { intercept: number; slope: number }, yUnit: string, unit: string): string {
  const sign = l.slope < 0 ? '−' : '+';
  return `${n(l.intercept, yUnit)} ${sign} ${n(Math.abs(l.slope), yUnit)} per ${singular(unit)}`;
}

function singular(unit: string): string {
  if (unit === 'payloadBytes' || unit === 'bytes') return 'byte';
  return unit.endsWith('s') ? unit.slice(0, -1) : unit;
}

/** Display unit of a sweep metric from its name: "create.p99" → ms, "rssBytes" → B. */
export function unitOfMetric(metric: string): string {
  if (/\.(p\d+|mean|max|min)$|Ms$/.test(metric)) return 'ms';
  if (/Us$/.test(metric)) return 'us';
  if (/Ns$/.test(metric)) return 'ns';
  if (/throughput|PerSec|rps/i.test(metric)) return '/s';
  if (/bytes|Bytes|memory|rss/i.test(metric)) return 'B';
  if (/cpu/i.test(metric)) return 'cores';
  return '';
}
