/**
 * Resource-graph processing cost by graph size, on generated RGDs (random shape, ≈2 edges per node as
 * in the reference study): build = JSON.parse of the RGD (what a controller receives from the API
 * server) + `${}` extraction + CEL compile (fresh, uncached) + DAG; topological sort; full traversal;
 * shortest-path query; retained bytes per DAG node; and the fitted scaling exponent of sort time.
 * Timings are medians (of batch means for sub-ms operations, of repeats for builds), with their
 * spread: on a shared 2-core machine other processes inflate the mean 2-3x at random, which would
 * make the fitted exponent measure the neighbours rather than the algorithm. Sizes are measured in
 * interleaved rounds so a burst of load hits them alike; two sizes whose order is inverted within
 * overlapping intervals are flagged as too noisy to order.
 */
import { CelEngine } from '../../cel/engine.js';
import { bytesPerObject, Samples, summarize, unorderedPairs, type BatchOptions } from '../../cel/measure.js';
import { round } from '../../cel/benchmark.js';
import type { Complexity } from '../../cel/complexity.js';
import { Dag } from '../../graph/dag.js';
import { GraphWalker } from '../../graph/traverse.js';
import { compileRgd } from '../../rgd/build.js';
import { generateEdges, generateRgd, type Shape } from '../../rgd/generate.js';

export interface GraphSizeResult {
  nodes: number;
  edges: number;
  /** Median of the builds. */
  buildMs: number;
  /** Interquartile range of the builds as a percentage of their median. */
  buildSpreadPct: number;
  /** Median of the sort batch means. */
  topoSortUs: number;
  /** Interquartile range of the sort batch means as a percentage of their median; 95% interval of the median. */
  topoSortSpreadPct: number;
  topoSortLowUs: number;
  topoSortHighUs: number;
  traversalOpsPerSec: number;
  pathFindingOpsPerSec: number;
  bytesPerNode: number;
  /** Critical-path length (reconcile passes). */
  depth: number;
  /** CEL expressions compiled during one build. */
  expressions: number;
  /** Sizes whose sort time it cannot be ordered against (inverted within overlapping intervals). */
  unorderedWith?: number[];
}

export interface GraphBenchOptions {
  sizes: number[];
  edgesPerNode: number;
  shape: Shape;
  complexity: Complexity;
  seed: number;
  /** Time budget per timed operation and size, ms. */
  budgetMs: number;
  /** Interleaved rounds over the sizes (default 5). */
  rounds?: number;
  /** Largest size for which the full RGD build is timed (above it: DAG only, buildMs from DAG). */
  onProgress?: (text: string) => void;
  signal?: AbortSignal;
}

/** One size, prepared: its generated RGD, its DAG, and calibrated samplers of each timed operation. */
class SizeBench {
  readonly n: number;
  readonly dag: Dag;
  readonly sort: Samples;
  readonly traversal: Samples;
  readonly path: Samples;
  readonly builds: number[] = [];
  expressions = 0;
  private readonly json: string;
  readonly ids: string[];
  readonly edges: number[][];

  constructor(n: number, o: GraphBenchOptions, batch: BatchOptions) {
    this.n = n;
    this.json = JSON.stringify(
      generateRgd({
        resources: n,
        deps: o.edgesPerNode,
        shape: o.shape,
        complexity: o.complexity,
        seed: o.seed,
      }),
    );
    this.edges = generateEdges(n, o.shape, o.edgesPerNode, o.seed);
    this.ids = Array.from({ length: n }, (_, i) => `r${i}`);
    this.dag = new Dag(this.ids, this.edges);
    const walker = new GraphWalker(this.dag);
    this.sort = Samples.calibrated(() => this.dag.topologicalOrder(), batch);
    this.traversal = Samples.calibrated(() => walker.traverseAll(), batch);
    this.path = Samples.calibrated(() => walker.shortestPath(n - 1, 0, 'dependencies'), batch);
  }

  build(): void {
    const t0 = process.hrtime.bigint();
    const compiled = compileRgd(JSON.parse(this.json), { engine: new CelEngine({ cache: false }) });
    this.builds.push(Number(process.hrtime.bigint() - t0));
    this.expressions = compiled.resources.reduce((s, r) => s + r.expressions.length, 0);
  }
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
const spreadPct = (xs: number[]) => {
  const s = sorted(xs);
  const q = (f: number) => s[Math.min(s.length - 1, Math.floor(s.length * f))]!;
  return q(0.5) > 0 ? ((q(0.75) - q(0.25)) / q(0.5)) * 100 : 0;
};

/** Least-squares slope of log(y) on log(x) and its R². */
export function fitPowerLaw(xs: number[], ys: number[]): { exponent: number; r2: number } {
  const pts = xs
    .map((x, i) => [Math.log(x), Math.log(ys[i]!)] as const)
    .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  const n = pts.length;
  if (n < 2) return { exponent: 0, r2: 0 };
  const mx = pts.reduce((s, p) => s + p[0], 0) / n;
  const my = pts.reduce((s, p) => s + p[1], 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pts) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  const exponent = sxx === 0 ? 0 : sxy / sxx;
  const r2 = sxx === 0 || syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { exponent: round(exponent, 3), r2: round(r2, 3) };
}

export async function benchmarkGraph(o: GraphBenchOptions): Promise<{
  sizes: GraphSizeResult[];
  exponent: number;
  exponentR2: number;
}> {
  const batch = { budgetMs: o.budgetMs, batchTargetMs: 1, warmupMs: 10, minSamples: 10 };
  const rounds = o.rounds ?? 5;
  const benches: SizeBench[] = [];
  for (const n of o.sizes) {
    if (o.signal?.aborted) break;
    o.onProgress?.(`graph ${n} nodes: prepare`);
    benches.push(new SizeBench(n, o, batch));
    await yieldToLoop();
  }
  const sliceNs = BigInt(Math.round((o.budgetMs * 1e6) / rounds));
  const minPerRound = Math.ceil(batch.minSamples / rounds);
  for (let r = 0; r < rounds && !o.signal?.aborted; r++) {
    for (const b of benches) {
      // Builds: 15 of a small graph, fewer of big ones; a 10k-resource build (seconds) runs once.
      const repeats = b.n <= 30 ? 15 : b.n <= 100 ? 7 : b.n <= 1000 ? 5 : 1;
      const perRound = Math.ceil(repeats / rounds);
      for (let k = 0; k < perRound && b.builds.length < repeats; k++) b.build();
      b.sort.takeFor(sliceNs, minPerRound);
      b.traversal.takeFor(sliceNs, minPerRound);
      b.path.takeFor(sliceNs, minPerRound);
      await yieldToLoop();
    }
    o.onProgress?.(`graph: round ${r + 1}/${rounds}`);
  }
  const sizes: GraphSizeResult[] = benches.map((b) => {
    const sort = summarize(b.sort);
    const copies = Math.max(1, Math.floor(200_000 / Math.max(1, b.n)));
    const bytes = bytesPerObject(() => new Dag(b.ids, b.edges), copies) / Math.max(1, b.n);
    return {
      nodes: b.n,
      edges: b.dag.edgeCount,
      buildMs: round(median(b.builds) / 1e6, 3),
      buildSpreadPct: round(spreadPct(b.builds), 1),
      topoSortUs: round(sort.p50Ns / 1000, 3),
      topoSortSpreadPct: round(sort.spreadPct, 1),
      topoSortLowUs: round(sort.ciLowNs / 1000, 3),
      topoSortHighUs: round(sort.ciHighNs / 1000, 3),
      traversalOpsPerSec: Math.round(summarize(b.traversal).opsPerSec),
      pathFindingOpsPerSec: Math.round(summarize(b.path).opsPerSec),
      bytesPerNode: round(bytes, 1),
      depth: b.dag.depth(),
      expressions: b.expressions,
    };
  });
  for (const [a, c] of unorderedPairs(
    sizes.map((s) => ({
      name: String(s.nodes),
      rank: s.nodes,
      value: s.topoSortUs,
      low: s.topoSortLowUs,
      high: s.topoSortHighUs,
    })),
  )) {
    const sa = sizes.find((s) => String(s.nodes) === a)!;
    const sc = sizes.find((s) => String(s.nodes) === c)!;
    sa.unorderedWith = [...(sa.unorderedWith ?? []), sc.nodes];
    sc.unorderedWith = [...(sc.unorderedWith ?? []), sa.nodes];
  }
  const fit = fitPowerLaw(
    sizes.map((s) => s.nodes),
    sizes.map((s) => s.topoSortUs),
  );
  return { sizes, exponent: fit.exponent, exponentR2: fit.r2 };
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));
