/**
 * k6-like thresholds: `[phase:]metric <op> value[unit]`, e.g. `create.p99 < 500ms`,
 * `crud:get.throughput > 1000/s`, `errors.rate < 1%`, `cel.very-complex.evalNs < 5us`.
 * Without a `phase:` prefix an op's metric is taken over every phase that recorded that op, with
 * histograms merged (a p99 over all creates, not an average of per-phase p99s).
 * Syntax and metric names are documented in docs/reports.md.
 */
import type { Results, ThresholdResult } from '../results/types.js';
import {
  celExpressions,
  graphNumber,
  graphSizes,
  mergeOp,
  phaseRequests,
  phasesInScope,
  type CelExpression,
  type GraphSize,
} from './select.js';

export type Comparator = '<' | '<=' | '>' | '>=' | '==' | '!=';
type Dimension = 'time' | 'rate' | 'fraction' | 'count' | 'bytes' | 'cores' | 'number';

export interface ParsedThreshold {
  expression: string;
  /** Phase name the metric is scoped to; undefined = all phases (merged). */
  scope?: string;
  /** Canonical metric name without the scope, e.g. "create.p99", "errors.rate". */
  metric: string;
  kind: 'op' | 'errors' | 'cel' | 'graph' | 'resource';
  comparator: Comparator;
  /** Limit in the metric's native unit. */
  limit: number;
  /** Native unit of actual and limit: ms, ns, us, /s, %, B, cores or "". */
  unit: string;
  /** Internal: how to read the value. */
  op?: string;
  stat: string;
  group?: string;
}

const TIME: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
const BYTES: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};
const PERCENTILE = /^p(\d+(?:\.\d+)?)$/;
const LATENCY_STATS = new Set(['min', 'max', 'mean', 'avg', 'med', 'stddev']);
const CEL_FIELDS: Record<string, { unit: string; dim: Dimension; worst: 'max' | 'min' }> = {
  evalNs: { unit: 'ns', dim: 'time', worst: 'max' },
  evalNsP95: { unit: 'ns', dim: 'time', worst: 'max' },
  compileUs: { unit: 'us', dim: 'time', worst: 'max' },
  evalsPerSec: { unit: '/s', dim: 'rate', worst: 'min' },
  bytesPerProgram: { unit: 'B', dim: 'bytes', worst: 'max' },
};
const GRAPH_FIELDS: Record<string, { unit: string; dim: Dimension }> = {
  buildMs: { unit: 'ms', dim: 'time' },
  topoSortUs: { unit: 'us', dim: 'time' },
  traversalOpsPerSec: { unit: '/s', dim: 'rate' },
  pathFindingOpsPerSec: { unit: '/s', dim: 'rate' },
  bytesPerNode: { unit: 'B', dim: 'bytes' },
  exponent: { unit: '', dim: 'number' },
  exponentR2: { unit: '', dim: 'number' },
};
const RESOURCE_FIELDS: Record<string, { unit: string; dim: Dimension }> = {
  'cpu.mean': { unit: 'cores', dim: 'cores' },
  'cpu.max': { unit: 'cores', dim: 'cores' },
  'memory.mean': { unit: 'B', dim: 'bytes' },
  'memory.max': { unit: 'B', dim: 'bytes' },
};

const SYNTAX =
  /^\s*(?:([A-Za-z0-9_.-]+)\s*:\s*)?([A-Za-z0-9_.*-]+)\s*(<=|>=|==|!=|<|>)\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*([A-Za-zµ%/]*(?:\/s)?)\s*$/i;

const HINT =
  'expected "[phase:]metric <|<=|>|>=|==|!= value[unit]", e.g. "create.p99 < 500ms", "errors.rate < 1%", "get.throughput > 1000/s", "cel.complex.evalNs < 5us"';

/** Parses one threshold expression; never throws. */
export function parseThreshold(expr: string): ParsedThreshold | { error: string } {
  if (typeof expr !== 'string') return { error: `a threshold must be a string; ${HINT}` };
  const m = SYNTAX.exec(expr);
  if (!m) return { error: `cannot parse threshold "${expr}": ${HINT}` };
  const [, scope, rawMetric, comparator, rawValue, rawUnit] = m;
  const value = Number(rawValue);
  const metric = rawMetric.replace(/\.p99\.9$/, '.p999');
  const base = { expression: expr.trim(), scope, comparator: comparator as Comparator };
  const parts = metric.split('.');

  const withUnit = (
    rest: Omit<ParsedThreshold, 'expression' | 'scope' | 'comparator' | 'limit'>,
    dim: Dimension,
  ): ParsedThreshold | { error: string } => {
    const limit = convert(value, rawUnit, dim, rest.unit);
    if (typeof limit === 'string') return { error: `threshold "${expr}": ${limit}` };
    return { ...base, ...rest, limit };
  };

  if (metric === 'errors.rate' || metric === 'errors.count') {
    const isRate = parts[1] === 'rate';
    return withUnit(
      { metric, kind: 'errors', unit: isRate ? '%' : '', stat: parts[1] },
      isRate ? 'fraction' : 'count',
    );
  }
  if (RESOURCE_FIELDS[metric]) {
    const f = RESOURCE_FIELDS[metric];
    return withUnit({ metric, kind: 'resource', unit: f.unit, stat: metric }, f.dim);
  }
  if (parts[0] === 'cel') {
    if (parts.length !== 3 || !CEL_FIELDS[parts[2]])
      return {
        error: `threshold "${expr}": CEL metrics are cel.<complexity|expression name|*>.<${Object.keys(CEL_FIELDS).join('|')}>`,
      };
    const f = CEL_FIELDS[parts[2]];
    return withUnit({ metric, kind: 'cel', unit: f.unit, stat: parts[2], group: parts[1] }, f.dim);
  }
  if (parts[0] === 'graph') {
    if (parts.length !== 2 || !GRAPH_FIELDS[parts[1]])
      return {
        error: `threshold "${expr}": graph metrics are graph.<${Object.keys(GRAPH_FIELDS).join('|')}>`,
      };
    const f = GRAPH_FIELDS[parts[1]];
    return withUnit({ metric, kind: 'graph', unit: f.unit, stat: parts[1] }, f.dim);
  }
  // <op>.<stat>, where op may itself contain dots only if the stat is unambiguous at the end.
  const statIdx =
    parts.length >= 3 && parts[parts.length - 2] === 'errors' && parts[parts.length - 1] === 'rate' ? 2 : 1;
  const op = parts.slice(0, parts.length - statIdx).join('.');
  const stat = parts.slice(parts.length - statIdx).join('.');
  if (!op) return { error: `cannot parse threshold "${expr}": ${HINT}` };
  const pm = PERCENTILE.exec(stat);
  if (pm) {
    const pct = stat === 'p999' ? 99.9 : Number(pm[1]);
    if (!(pct > 0 && pct <= 100))
      return { error: `threshold "${expr}": percentile must be between 0 and 100` };
    return withUnit({ metric, kind: 'op', unit: 'ms', op, stat }, 'time');
  }
  if (LATENCY_STATS.has(stat)) return withUnit({ metric, kind: 'op', unit: 'ms', op, stat }, 'time');
  if (stat === 'throughput' || stat === 'rps')
    return withUnit({ metric, kind: 'op', unit: '/s', op, stat: 'throughput' }, 'rate');
  if (stat === 'count' || stat === 'errors')
    return withUnit({ metric, kind: 'op', unit: '', op, stat }, 'count');
  if (stat === 'errors.rate' || stat === 'error_rate')
    return withUnit({ metric, kind: 'op', unit: '%', op, stat: 'errors.rate' }, 'fraction');
  return {
    error: `threshold "${expr}": unknown statistic "${stat}" of op "${op}"; use p50, p90, p95, p99, p999, min, mean, max, stddev, throughput, count, errors or errors.rate`,
  };
}

/** Converts a limit into the metric's native unit, or returns a message saying what units fit. */
function convert(value: number, rawUnit: string, dim: Dimension, native: string): number | string {
  const unit = rawUnit.trim();
  const u = unit.toLowerCase();
  switch (dim) {
    case 'time': {
      if (!unit) return value;
      const f = TIME[unit] ?? TIME[u];
      if (f === undefined) return `"${unit}" is not a time unit (use ns, us, ms, s, m, h)`;
      // toPrecision: 5 × 1e-6 / 1e-9 is 4999.999… in floating point; a limit should read as written.
      return Number(((value * f) / TIME[native]).toPrecision(12));
    }
    case 'fraction':
      if (u === '%') return value / 100;
      if (!unit) return value;
      return `"${unit}" is not a rate unit (use a percentage like 1% or a fraction like 0.01)`;
    case 'rate':
      if (!unit || u === '/s' || u === 'ops/s' || u === 'rps') return value;
      return `"${unit}" is not a throughput unit (use a number or a number with /s, e.g. 1000/s)`;
    case 'bytes': {
      if (!unit) return value;
      const f = BYTES[u];
      if (f === undefined) return `"${unit}" is not a size unit (use B, KB, MB, GB, KiB, MiB, GiB)`;
      return value * f;
    }
    case 'cores':
      if (!unit || u === 'cores') return value;
      if (unit === 'm') return value / 1000;
      return `"${unit}" is not a CPU unit (use cores, e.g. 1.5, or millicores, e.g. 500m)`;
    default:
      if (!unit) return value;
      return `"${unit}" makes no sense for this metric; give a plain number`;
  }
}

interface Actual {
  value: number | null;
  /** Where the value came from, for the message. */
  from: string;
}

function actualOf(results: Results, t: ParsedThreshold): Actual {
  const phases = phasesInScope(results, t.scope);
  const where = t.scope ? `phase ${t.scope}` : 'all phases';
  if (t.scope && phases.length === 0) return { value: null, from: `no phase named "${t.scope}"` };
  switch (t.kind) {
    case 'errors': {
      let count = 0;
      let errors = 0;
      // Every request of a sweep, not only the point its op table shows.
      for (const p of phases) {
        const r = phaseRequests(p);
        count += r.count;
        errors += r.errors;
      }
      if (count === 0) return { value: null, from: `no requests recorded in ${where}` };
      return {
        value: t.stat === 'rate' ? errors / count : errors,
        from: `${errors}/${count} requests, ${where}`,
      };
    }
    case 'op': {
      const op = t.op!;
      const m = mergeOp(phases, op);
      if (!m) return { value: null, from: `no op "${op}" recorded in ${where}` };
      const from = m.phases.length > 1 ? `${m.phases.length} phases merged` : `phase ${m.phases[0]}`;
      const ok = m.count - m.errors;
      const h = m.histogram;
      switch (t.stat) {
        case 'throughput':
          return { value: m.throughput, from };
        case 'count':
          return { value: m.count, from };
        case 'errors':
          return { value: m.errors, from };
        case 'errors.rate':
          return { value: m.count ? m.errors / m.count : null, from };
      }
      if (ok === 0 || h.totalCount === 0) return { value: null, from: `no successful "${op}" in ${where}` };
      const ms = (us: number) => us / 1000;
      switch (t.stat) {
        case 'min':
          return { value: ms(h.minNonZeroValue), from };
        case 'max':
          return { value: ms(h.maxValue), from };
        case 'mean':
        case 'avg':
          return { value: ms(h.mean), from };
        case 'stddev':
          return { value: ms(h.stdDeviation), from };
        case 'med':
          return { value: ms(h.getValueAtPercentile(50)), from };
      }
      const pct = t.stat === 'p999' ? 99.9 : Number(t.stat.slice(1));
      return { value: ms(h.getValueAtPercentile(pct)), from };
    }
    case 'cel': {
      const exprs: CelExpression[] = phases.flatMap(celExpressions);
      const g = t.group!;
      const chosen =
        g === '*' || g === 'all' ? exprs : exprs.filter((e) => e.complexity === g || e.name === g);
      const field = CEL_FIELDS[t.stat];
      const vals = chosen
        .map((e) => e[t.stat as keyof CelExpression])
        .filter((v): v is number => typeof v === 'number');
      if (vals.length === 0)
        return { value: null, from: `no CEL expression "${g}" with ${t.stat} in ${where}` };
      const v = field.worst === 'max' ? Math.max(...vals) : Math.min(...vals);
      return { value: v, from: `worst of ${vals.length} expression(s)` };
    }
    case 'graph': {
      for (const p of [...phases].reverse()) {
        if (t.stat === 'exponent' || t.stat === 'exponentR2') {
          const v = graphNumber(p, t.stat);
          if (v !== undefined) return { value: v, from: `phase ${p.name}` };
          continue;
        }
        const sizes: GraphSize[] = graphSizes(p);
        const largest = sizes[sizes.length - 1];
        const v = largest?.[t.stat as keyof GraphSize];
        if (typeof v === 'number')
          return { value: v, from: `phase ${p.name}, largest graph (${largest.nodes} nodes)` };
      }
      return { value: null, from: `no graph ${t.stat} in ${where}` };
    }
    case 'resource': {
      const [what, agg] = t.stat.split('.') as ['cpu' | 'memory', 'mean' | 'max'];
      const vals = phases
        .filter((p) => p.resources)
        .map((p) => (what === 'cpu' ? p.resources!.cpuCores : p.resources!.rssBytes)[agg]);
      if (vals.length === 0) return { value: null, from: `no control-plane resource samples in ${where}` };
      return { value: Math.max(...vals), from: `highest of ${vals.length} phase(s)` };
    }
  }
}

export function compare(actual: number, cmp: Comparator, limit: number): boolean {
  switch (cmp) {
    case '<':
      return actual < limit;
    case '<=':
      return actual <= limit;
    case '>':
      return actual > limit;
    case '>=':
      return actual >= limit;
    case '==':
      return actual === limit;
    case '!=':
      return actual !== limit;
  }
}

/** A value in a unit, readable: 612 ms, 1.2 µs, 0.35%, 1,024 /s, 119 MB. */
export function formatValue(v: number, unit: string): string {
  if (unit === '%') return `${round(v * 100)}%`;
  if (unit === 'B') {
    const abs = Math.abs(v);
    if (abs >= 1e9) return `${round(v / 1e9)} GB`;
    if (abs >= 1e6) return `${round(v / 1e6)} MB`;
    if (abs >= 1e3) return `${round(v / 1e3)} KB`;
    return `${round(v)} B`;
  }
  // Sub-ms units move up a unit at 1,000: 48 µs reads better than 48,000 ns.
  if (unit === 'ns' && Math.abs(v) >= 1e3) return formatValue(v / 1000, 'us');
  if (unit === 'us' && Math.abs(v) >= 1e6) return `${round(v / 1e6)} s`;
  if (unit === 'us' && Math.abs(v) >= 1e3) return `${round(v / 1000)} ms`;
  if (unit === 'us') return `${round(v)} µs`;
  return unit ? `${round(v)} ${unit}` : `${round(v)}`;
}

function round(v: number): string {
  const abs = Math.abs(v);
  if (abs > 0 && abs < 1) return String(Number(v.toPrecision(3)));
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return v.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function evaluateThreshold(
  results: Results,
  t: ParsedThreshold,
  source: 'threshold' | 'slo' = 'threshold',
): ThresholdResult {
  const { value, from } = actualOf(results, t);
  const metric = `${t.scope ?? 'all'}/${t.metric}`;
  const limitText = `${t.comparator} ${formatValue(t.limit, t.unit)}`;
  if (value === null) {
    return {
      expression: t.expression,
      metric,
      actual: null,
      limit: t.limit,
      unit: t.unit,
      pass: false,
      message: `${t.metric}: no data (${from}); a threshold on missing data fails`,
      source,
    };
  }
  const pass = compare(value, t.comparator, t.limit);
  return {
    expression: t.expression,
    metric,
    actual: value,
    limit: t.limit,
    unit: t.unit,
    pass,
    message: `${t.metric} = ${formatValue(value, t.unit)} (${from}); limit ${limitText}: ${pass ? 'pass' : 'FAIL'}`,
    source,
  };
}

/** Evaluates every threshold string; an unparsable one is a failed result saying why. */
export function evaluateThresholds(results: Results, expressions: string[]): ThresholdResult[] {
  return expressions.map((expr) => {
    const t = parseThreshold(expr);
    if ('error' in t)
      return {
        expression: String(expr),
        metric: '',
        actual: null,
        limit: 0,
        unit: '',
        pass: false,
        message: t.error,
        source: 'threshold' as const,
      };
    return evaluateThreshold(results, t);
  });
}
