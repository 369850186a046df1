/**
 * Resource-graph processing cost by graph size, on generated RGDs (random shape, ≈2 edges per node as
 * in the reference study): build = JSON.parse of the RGD (what a controller receives from the API
 * server) + `${}` extraction + CEL compile (fresh, uncached) + DAG; topological sort; full traversal;
 * shortest-path query; retained bytes per DAG node; and the fitted scaling exponent of sort time.
 * Timings are medians (of batch means for sub-ms operations, of repeats for builds): on a shared
 * 2-core machine other processes inflate the mean 2-3x at random, which would make the fitted
 * exponent measure the neighbours rather than the algorithm.
 */
import { CelEngine } from '../../cel/engine.js';
import { bytesPerObject, timeBatched, timeRepeated } from '../../cel/measure.js';
import { round } from '../../cel/benchmark.js';
import type { Complexity } from '../../cel/complexity.js';
import { Dag } from '../../graph/dag.js';
import { GraphWalker } from '../../graph/traverse.js';
import { compileRgd } from '../../rgd/build.js';
import { generateEdges, generateRgd, type Shape } from '../../rgd/generate.js';

export interface GraphSizeResult {
  nodes: number;
  edges: number;
  buildMs: number;
  topoSortUs: number;
  traversalOpsPerSec: number;
  pathFindingOpsPerSec: number;
  bytesPerNode: number;
  /** Critical-path length (reconcile passes). */
  depth: number;
  /** CEL expressions compiled during one build. */
  expressions: number;
}

export interface GraphBenchOptions {
  sizes: number[];
  edgesPerNode: number;
  shape: Shape;
  complexity: Complexity;
  seed: number;
  /** Time budget per timed operation and size, ms. */
  budgetMs: number;
  /** Largest size for which the full RGD build is timed (above it: DAG only, buildMs from DAG). */
  onProgress?: (text: string) => void;
  signal?: AbortSignal;
}

export function benchmarkGraphSize(n: number, o: GraphBenchOptions): GraphSizeResult {
  const doc = generateRgd({
    resources: n,
    deps: o.edgesPerNode,
    shape: o.shape,
    complexity: o.complexity,
    seed: o.seed,
  });
  const json = JSON.stringify(doc);
  let expressions = 0;
  const buildOnce = () => {
    const compiled = compileRgd(JSON.parse(json), { engine: new CelEngine({ cache: false }) });
    expressions = compiled.resources.reduce((s, r) => s + r.expressions.length, 0);
    return compiled;
  };
  // Repeats shrink with size so a 10k-resource build (seconds) runs once.
  const repeats = n <= 30 ? 15 : n <= 100 ? 7 : n <= 1000 ? 3 : 1;
  const build = timeRepeated(buildOnce, repeats);

  const edges = generateEdges(n, o.shape, o.edgesPerNode, o.seed);
  const ids = Array.from({ length: n }, (_, i) => `r${i}`);
  const dag = new Dag(ids, edges);
  const batch = { budgetMs: o.budgetMs, batchTargetMs: 1, warmupMs: 10, minSamples: 10 };
  const sort = timeBatched(() => dag.topologicalOrder(), batch);
  const walker = new GraphWalker(dag);
  const traversal = timeBatched(() => walker.traverseAll(), batch);
  const last = n - 1;
  const path = timeBatched(() => walker.shortestPath(last, 0, 'dependencies'), batch);
  const copies = Math.max(1, Math.floor(200_000 / Math.max(1, n)));
  const bytes = bytesPerObject(() => new Dag(ids, edges), copies) / Math.max(1, n);
  return {
    nodes: n,
    edges: dag.edgeCount,
    buildMs: round(build.medianNs / 1e6, 3),
    topoSortUs: round(sort.p50Ns / 1000, 3),
    traversalOpsPerSec: Math.round(1e9 / traversal.p50Ns),
    pathFindingOpsPerSec: Math.round(1e9 / path.p50Ns),
    bytesPerNode: round(bytes, 1),
    depth: dag.depth(),
    expressions,
  };
}

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

export function benchmarkGraph(o: GraphBenchOptions): {
  sizes: GraphSizeResult[];
  exponent: number;
  exponentR2: number;
} {
  const sizes: GraphSizeResult[] = [];
  for (const n of o.sizes) {
    if (o.signal?.aborted) break;
    o.onProgress?.(`graph ${n} nodes`);
    sizes.push(benchmarkGraphSize(n, o));
  }
  const fit = fitPowerLaw(
    sizes.map((s) => s.nodes),
    sizes.map((s) => s.topoSortUs),
  );
  return { sizes, exponent: fit.exponent, exponentR2: fit.r2 };
}
