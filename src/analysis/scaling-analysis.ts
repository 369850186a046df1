/** Fits every metric of every sweep (and graph size tables) so reports and recommendations cite them. */
import type { PhaseResult } from '../results/types.js';
import { findKnee, linearFit, powerFit } from './scaling.js';
import { graphSizes } from './select.js';
import type { ScalingFit } from './types.js';

const WORKER_PARAMS = new Set(['concurrency', 'workers', 'clients', 'parallelism']);

export function fitSweeps(p: PhaseResult): ScalingFit[] {
  const fits: ScalingFit[] = [];
  const sweeps = [...(p.sweeps ?? [])];
  const sizes = graphSizes(p);
  if (sizes.length >= 2 && !sweeps.some((s) => s.parameter === 'nodes')) {
    sweeps.push({
      parameter: 'nodes',
      unit: 'nodes',
      points: sizes.map((s) => ({
        x: s.nodes,
        metrics: Object.fromEntries(
          Object.entries(s).filter(([k, v]) => k !== 'nodes' && k !== 'edges' && typeof v === 'number'),
        ) as Record<string, number>,
      })),
    });
  }
  for (const sweep of sweeps) {
    const keys = new Set<string>();
    for (const pt of sweep.points) for (const k of Object.keys(pt.metrics)) keys.add(k);
    for (const metric of keys) {
      const points = sweep.points
        .filter((pt) => typeof pt.metrics[metric] === 'number' && Number.isFinite(pt.metrics[metric]))
        .map((pt) => ({ x: pt.x, y: pt.metrics[metric] }))
        .sort((a, b) => a.x - b.x);
      // A constant metric (e.g. zero errors at every point) has nothing to fit.
      if (points.length < 2 || points.every((q) => q.y === points[0].y)) continue;
      const xs = points.map((q) => q.x);
      const ys = points.map((q) => q.y);
      const fit: ScalingFit = { phase: p.name, parameter: sweep.parameter, metric, points };
      if (sweep.unit) fit.unit = sweep.unit;
      const linear = linearFit(xs, ys);
      const power = powerFit(xs, ys);
      if (linear) fit.linear = linear;
      if (power) fit.power = power;
      if (WORKER_PARAMS.has(sweep.parameter) && /throughput|PerSec|rps/i.test(metric)) {
        const knee = findKnee(xs, ys);
        if (knee) fit.knee = knee;
      }
      fits.push(fit);
    }
  }
  return fits;
}
