/**
 * The Prometheus text exposition format (what kube-apiserver, controller-runtime and prom-client serve):
 * parsing into samples, selection, scrape-to-scrape diffs and histogram quantiles from buckets. Shared by
 * every consumer of a /metrics endpoint (control-plane usage, measurements, controller metrics).
 * Hand-written: it is a line format of a few rules, and the parse runs on megabyte scrapes of a real
 * kube-apiserver, so it avoids regular expressions per line.
 */

export type Labels = Record<string, string>;

export interface Sample {
  name: string;
  labels: Labels;
  value: number;
}

export interface Scrape {
  samples: Sample[];
  /** `# TYPE` of each family (counter, gauge, histogram, summary, untyped). */
  types: Map<string, string>;
}

/**
 * Parses a scrape. With `only`, keeps just the samples whose name starts with one of the prefixes
 * (cheap filtering of a large kube-apiserver scrape). Malformed lines are skipped, never thrown on.
 */
export function parsePromText(text: string, only?: readonly string[]): Scrape {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(pos, end - 1) : text.slice(pos, end);
    pos = end + 1;
    if (!line) continue;
    if (line.charCodeAt(0) === 35 /* # */) {
      if (line.startsWith('# TYPE ')) {
        const [name, type] = line.slice(7).split(' ');
        if (name && type) types.set(name, type);
      }
      continue;
    }
    if (only && !only.some((p) => line.startsWith(p))) continue;
    const s = parseSampleLine(line);
    if (s) samples.push(s);
  }
  return { samples, types };
}

function parseSampleLine(line: string): Sample | undefined {
  let i = 0;
  while (i < line.length && line[i] !== '{' && line[i] !== ' ' && line[i] !== '\t') i++;
  const name = line.slice(0, i);
  if (!name) return undefined;
  const labels: Labels = {};
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ' || line[i] === ',') i++;
      if (line[i] === '}') {
        i++;
        break;
      }
      const eq = line.indexOf('=', i);
      if (eq < 0 || line[eq + 1] !== '"') return undefined;
      const key = line.slice(i, eq).trim();
      let j = eq + 2;
      let value = '';
      // Copy runs between escapes with one slice each (label values rarely hold escapes).
      for (;;) {
        let k = j;
        while (k < line.length) {
          const c = line.charCodeAt(k);
          if (c === 34 /* " */ || c === 92 /* \\ */) break;
          k++;
        }
        value += line.slice(j, k);
        if (k >= line.length) return undefined;
        if (line.charCodeAt(k) === 34) {
          j = k;
          break;
        }
        const c = line[k + 1];
        value += c === 'n' ? '\n' : (c ?? '');
        j = k + 2;
      }
      labels[key] = value;
      i = j + 1;
    }
  }
  const rest = line.slice(i).trim().split(/\s+/);
  const value = parseValue(rest[0] ?? '');
  return value === undefined ? undefined : { name, labels, value };
}

function parseValue(s: string): number | undefined {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  const v = Number(s);
  return s !== '' && !Number.isNaN(v) ? v : undefined;
}

/** Samples of one metric whose labels include every `match` pair. */
export function select(scrape: Scrape, name: string, match: Labels = {}): Sample[] {
  const m = Object.entries(match);
  return scrape.samples.filter((s) => s.name === name && m.every(([k, v]) => s.labels[k] === v));
}

/** Sum of a metric's samples (optionally label-matched); undefined when no sample exists. */
export function sumOf(scrape: Scrape, name: string, match: Labels = {}): number | undefined {
  const xs = select(scrape, name, match);
  return xs.length ? xs.reduce((a, s) => a + s.value, 0) : undefined;
}

/** Stable key of a label set, for grouping. */
export function labelKey(labels: Labels, keys?: readonly string[]): string {
  const ks = keys ?? Object.keys(labels).sort();
  return ks.map((k) => `${k}=${labels[k] ?? ''}`).join(',');
}

/**
 * labelKey(pick(labels, by), by) without a label object per sample: a kube-apiserver scrape has ~10k
 * bucket samples, and building one per sample made a phase's diff 6× slower.
 */
function groupKey(labels: Labels, by: readonly string[]): string {
  let key = '';
  for (let i = 0; i < by.length; i++) key += `${i ? ',' : ''}${by[i]}=${labels[by[i]!] ?? ''}`;
  return key;
}

/**
 * Sums a metric by the given labels: `{ "verb=POST,resource=configmaps": 12, … }` plus the label values.
 * Counter diffs are `after - before` per group; a group that reset (after < before) counts from zero.
 */
export function sumBy(scrape: Scrape, name: string, by: readonly string[], match: Labels = {}) {
  const out = new Map<string, { labels: Labels; value: number }>();
  for (const s of select(scrape, name, match)) {
    const key = groupKey(s.labels, by);
    const cur = out.get(key);
    if (cur) cur.value += s.value;
    else out.set(key, { labels: Object.fromEntries(by.map((k) => [k, s.labels[k] ?? ''])), value: s.value });
  }
  return out;
}

export function counterDiff(
  before: Scrape,
  after: Scrape,
  name: string,
  by: readonly string[],
  match: Labels = {},
): Map<string, { labels: Labels; value: number }> {
  const b = sumBy(before, name, by, match);
  const a = sumBy(after, name, by, match);
  const out = new Map<string, { labels: Labels; value: number }>();
  for (const [key, x] of a) {
    const prev = b.get(key)?.value ?? 0;
    const d = x.value >= prev ? x.value - prev : x.value;
    if (d !== 0) out.set(key, { labels: x.labels, value: d });
  }
  return out;
}

/** Cumulative histogram buckets (upper bound `le` → count), sorted, +Inf last. */
export interface Buckets {
  bounds: number[];
  counts: number[];
}

/**
 * The `<name>_bucket` series grouped by `by`, summed over other labels; with `minus`, the diff
 * (buckets of the window between two scrapes).
 */
export function histogramBuckets(
  after: Scrape,
  name: string,
  by: readonly string[],
  match: Labels = {},
  minus?: Scrape,
): Map<string, { labels: Labels; buckets: Buckets }> {
  const collect = (scrape: Scrape) => {
    const groups = new Map<string, { labels: Labels; byLe: Map<number, number> }>();
    for (const s of select(scrape, `${name}_bucket`, match)) {
      const le = parseValue(s.labels.le ?? '');
      if (le === undefined) continue;
      const key = groupKey(s.labels, by);
      let g = groups.get(key);
      if (!g) {
        const labels = Object.fromEntries(by.map((k) => [k, s.labels[k] ?? '']));
        groups.set(key, (g = { labels, byLe: new Map() }));
      }
      g.byLe.set(le, (g.byLe.get(le) ?? 0) + s.value);
    }
    return groups;
  };
  const a = collect(after);
  const b = minus ? collect(minus) : undefined;
  const out = new Map<string, { labels: Labels; buckets: Buckets }>();
  for (const [key, g] of a) {
    const bounds = [...g.byLe.keys()].sort((x, y) => x - y);
    const prev = b?.get(key)?.byLe;
    const counts = bounds.map((le) => Math.max(0, g.byLe.get(le)! - (prev?.get(le) ?? 0)));
    out.set(key, { labels: g.labels, buckets: { bounds, counts } });
  }
  return out;
}

/**
 * Prometheus' histogram_quantile: linear interpolation inside the bucket holding rank q·total; the
 * lowest bucket starts at 0; a rank in +Inf returns the highest finite bound. undefined when empty.
 */
export function bucketQuantile(q: number, { bounds, counts }: Buckets): number | undefined {
  const total = counts[counts.length - 1];
  if (!total || bounds[bounds.length - 1] !== Infinity) return undefined;
  const rank = q * total;
  let i = counts.findIndex((c) => c >= rank);
  if (i < 0) i = counts.length - 1;
  if (bounds[i] === Infinity) return bounds[bounds.length - 2];
  const lower = i === 0 ? 0 : bounds[i - 1]!;
  const below = i === 0 ? 0 : counts[i - 1]!;
  const inBucket = counts[i]! - below;
  if (inBucket <= 0) return bounds[i];
  return lower + (bounds[i]! - lower) * ((rank - below) / inBucket);
}

/** The bucket that holds quantile q: [lower, upper] bounds (upper may be +Inf); undefined when empty. */
export function bucketRange(q: number, { bounds, counts }: Buckets): [number, number] | undefined {
  const total = counts[counts.length - 1];
  if (!total) return undefined;
  const i = counts.findIndex((c) => c >= q * total);
  const at = i < 0 ? counts.length - 1 : i;
  return [at === 0 ? 0 : bounds[at - 1]!, bounds[at]!];
}
