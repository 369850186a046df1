/** Typed access to a phase's measurement results for the report sections (by measurement type). */
import type { MeasurementResult, PhaseResult } from '../../results/types.js';
import { escapeHtml as e } from '../format.js';

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
function statusNote(m: MeasurementResult): string | undefined {
  if (m.status === 'ok') return undefined;
  return `${m.status}${m.message ? `: ${m.message}` : ''}`;
}

/** An instance's HTML heading, then its status note when it has one. */
export function htmlHeading(title: string, name: string, m: MeasurementResult): string {
  const note = statusNote(m);
  return `<h3>${e(title)}${e(instanceLabel(name, m.type))}</h3>${note ? `<p class="muted">${e(note)}</p>` : ''}`;
}

/** An instance's Markdown heading (with its phase's name), then its status note when it has one. */
export function mdHeading(title: string, p: PhaseResult, name: string, m: MeasurementResult): string[] {
  const note = statusNote(m);
  return [`## ${title} (${p.name})${instanceLabel(name, m.type)}`, '', ...(note ? [`_${note}_`, ''] : [])];
}
