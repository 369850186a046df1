/**
 * Scaling fits over a sweep: least-squares line (base + per-unit cost), power law on log-log
 * (y ≈ a·x^k, with R² of the log-log fit) and the knee where throughput stops scaling.
 */
export interface LinearFit {
  intercept: number;
  slope: number;
  r2: number;
}

export interface PowerFit {
  coefficient: number;
  exponent: number;
  r2: number;
}

export function linearFit(xs: number[], ys: number[]): LinearFit | undefined {
  const n = xs.length;
  if (n < 2 || ys.length !== n) return undefined;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { intercept, slope, r2 };
}

/** Power law from a linear fit of ln y on ln x; points with x ≤ 0 or y ≤ 0 are left out. */
export function powerFit(xs: number[], ys: number[]): PowerFit | undefined {
  const lx: number[] = [];
  const ly: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] > 0 && ys[i] > 0) {
      lx.push(Math.log(xs[i]));
      ly.push(Math.log(ys[i]));
    }
  }
  const f = linearFit(lx, ly);
  if (!f) return undefined;
  return { coefficient: Math.exp(f.intercept), exponent: f.slope, r2: f.r2 };
}

export interface Knee {
  /** Last x at which adding load still paid off. */
  x: number;
  y: number;
  /** The next x and its y, to cite. */
  nextX: number;
  nextY: number;
  /** Gain from x to nextX as a fraction of linear scaling (1 = perfect, 0 = flat). */
  efficiency: number;
}

/**
 * The knee of a throughput-vs-workers curve: the point after the last step that still gained at least
 * `minEfficiency` of what linear scaling would give. A dip followed by a good step is noise, not a knee,
 * so the knee is where scaling stops for good. Undefined when the last step still scales.
 */
export function findKnee(xs: number[], ys: number[], minEfficiency = 0.25): Knee | undefined {
  const pts = xs.map((x, i) => ({ x, y: ys[i] })).sort((a, b) => a.x - b.x);
  if (pts.length < 3) return undefined;
  const efficiency = (i: number) => {
    const a = pts[i];
    const b = pts[i + 1];
    if (a.x <= 0 || a.y <= 0) return 1;
    const ideal = a.y * (b.x / a.x) - a.y;
    return ideal > 0 ? (b.y - a.y) / ideal : 0;
  };
  let lastGood = -1;
  for (let i = 0; i + 1 < pts.length; i++) if (efficiency(i) >= minEfficiency) lastGood = i;
  const k = lastGood + 1;
  if (k >= pts.length - 1) return undefined;
  return { x: pts[k].x, y: pts[k].y, nextX: pts[k + 1].x, nextY: pts[k + 1].y, efficiency: efficiency(k) };
}

/** Big-O words for a fitted exponent. */
export function growthClass(exponent: number): string {
  if (exponent < 0.3) return 'roughly constant';
  if (exponent < 0.8) return 'sub-linear';
  if (exponent < 1.25) return 'linear';
  if (exponent < 1.75) return 'super-linear (≈ n log n to n^1.5)';
  if (exponent < 2.5) return 'quadratic';
  return 'worse than quadratic';
}
