/**
 * The phase-type registry. Built-ins are listed explicitly in builtin.ts (no side-effect registration);
 * registering a name twice is a bug and throws.
 */
import type { PhaseType } from './types.js';

export class PhaseRegistry {
  private readonly types = new Map<string, PhaseType>();

  register(t: PhaseType): this {
    if (this.types.has(t.type)) throw new Error(`phase type "${t.type}" is registered twice`);
    this.types.set(t.type, t);
    return this;
  }

  get(name: string): PhaseType | undefined {
    return this.types.get(name);
  }

  names(): string[] {
    return [...this.types.keys()].sort();
  }

  /** "did you mean" for an unknown name: the closest registered name within a small edit distance. */
  suggest(name: string): string | undefined {
    let best: string | undefined;
    let bestD = Infinity;
    for (const candidate of this.types.keys()) {
      const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
      if (d < bestD) {
        bestD = d;
        best = candidate;
      }
    }
    return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
  }
}

export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
