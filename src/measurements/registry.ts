/**
 * The measurement registry. Built-ins are listed explicitly in builtin.ts (no side-effect
 * registration); registering a name twice is a bug and throws.
 */
import { closest } from '../config/problems.js';
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
    return closest(type, [...this.byType.keys()]);
  }
}
