/** Typed access to a phase's measurement results for the report sections (by measurement type). */
import type { MeasurementResult, PhaseResult } from '../../results/types.js';

/** Every instance of a measurement type under a phase: [instance name, result, data]. */
export function measurementsOf<T>(
  p: PhaseResult,
  type: string,
): [string, MeasurementResult, T | undefined][] {
  return Object.entries(p.measurements ?? {})
    .filter(([, m]) => m.type === type)
    .map(([name, m]) => [name, m, m.data as T | undefined]);
}

/** A heading suffix for the instance when it is not named after its type. */
export const instanceLabel = (name: string, type: string) => (name === type ? '' : ` (${name})`);

/** "missing: why" for a measurement without data, for HTML and Markdown alike. */
export function statusNote(m: MeasurementResult): string | undefined {
  if (m.status === 'ok') return undefined;
  return `${m.status}${m.message ? `: ${m.message}` : ''}`;
}
