/**
 * `graph`: resource-graph processing cost by graph size (build, topological sort, traversal, path
 * finding, bytes per node) and the fitted scaling exponent. Pure CPU: no cluster.
 */
import { z } from 'zod';
import type { PhaseType } from '../types.js';
import { benchmarkGraph } from './benchmark.js';

export const GraphOptions = z.strictObject({
  /** Graph sizes in resources. */
  sizes: z.array(z.number().int().min(1).max(100_000)).min(1).default([5, 15, 30, 100, 1000]),
  /** Dependencies per resource (the reference study had ≈2 edges per node). */
  edgesPerNode: z.number().int().min(0).max(50).default(2),
  shape: z.enum(['chain', 'tree', 'layered', 'random']).default('random'),
  /** Complexity of the generated expressions (affects build time only). */
  complexity: z.enum(['simple', 'medium', 'complex', 'very-complex']).default('simple'),
  seed: z.number().int().default(1),
  /** Measurement time per operation and size, ms. */
  budgetMs: z.number().positive().max(10_000).default(100),
});
export type GraphOptions = z.infer<typeof GraphOptions>;

export const graphPhase: PhaseType<GraphOptions> = {
  type: 'graph',
  description:
    'Resource-graph processing by size: build ms, topological sort µs, traversal and path-finding ops/s, bytes per node, scaling exponent.',
  options: GraphOptions,
  plan: (o) => ({
    steps: [
      `generate ${o.shape} RGDs of ${o.sizes.join(', ')} resources (${o.edgesPerNode} deps each) and time build, sort, traversal, paths`,
    ],
    requests: 0,
    needsCluster: false,
  }),
  async run(o, ctx) {
    ctx.progress.start(o.sizes.length + 5, 'steps');
    const out = await benchmarkGraph({
      sizes: o.sizes,
      edgesPerNode: o.edgesPerNode,
      shape: o.shape,
      complexity: o.complexity,
      seed: o.seed,
      budgetMs: o.budgetMs,
      signal: ctx.signal,
      onProgress: (t) => {
        ctx.progress.status(t);
        ctx.progress.advance(1);
      },
    });
    ctx.progress.finish();
    const warnings: string[] = [];
    if (out.sizes.length < 3) warnings.push('fewer than 3 sizes: the scaling exponent is not meaningful');
    const inverted = out.sizes.flatMap((s) =>
      (s.unorderedWith ?? [])
        .filter((m) => m > s.nodes)
        .map(
          (m) =>
            `${s.nodes} resources (${s.topoSortUs} µs, IQR ±${s.topoSortSpreadPct / 2}%) sorted slower than ${m} (${out.sizes.find((x) => x.nodes === m)!.topoSortUs} µs)`,
        ),
    );
    if (inverted.length)
      warnings.push(
        `too noisy to order by size (the intervals of their medians overlap): ${inverted.join('; ')}; raise budgetMs or measure on a quieter machine`,
      );
    return {
      data: { ...out, shape: o.shape, edgesPerNode: o.edgesPerNode },
      sweeps: [
        {
          parameter: 'nodes',
          unit: 'resources',
          points: out.sizes.map((s) => ({
            x: s.nodes,
            metrics: {
              buildMs: s.buildMs,
              topoSortUs: s.topoSortUs,
              traversalOpsPerSec: s.traversalOpsPerSec,
              pathFindingOpsPerSec: s.pathFindingOpsPerSec,
              bytesPerNode: s.bytesPerNode,
            },
          })),
        },
      ],
      ...(warnings.length ? { warnings } : {}),
    };
  },
};
