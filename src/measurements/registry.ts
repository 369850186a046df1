/**
 * The measurement registry. Built-ins are listed explicitly in builtin.ts (no side-effect
 * registration); registering a name twice is a bug and throws.
 */
import { editDistance } from '../phases/registry.js';
import type { Measurement } from './types.js';

export class MeasurementRegistry {
  private readonly byType = new Map<string, Measurement>();

  register(m: Measurement): this {
    if (this.byType.has(m.type)) throw new Error(`measurement "${m.type}" is registered twice`);
    this.byType.set(m.type, m);
    return this;
  }

  get(type: string): Measurement | undefined {
    return this.byType.get(type);
  }

  names(): string[] {
    return [...this.byType.keys()].sort();
  }

  /** "did you mean" for an unknown type. */
  suggest(type: string): string | undefined {
    let best: string | undefined;
    let bestD = Infinity;
    for (const c of this.byType.keys()) {
      const d = editDistance(type.toLowerCase(), c.toLowerCase());
      if (d < bestD) [best, bestD] = [c, d];
    }
    return best !== undefined && bestD <= Math.max(2, Math.floor(type.length / 3)) ? best : undefined;
  }
}
