/**
 * Checks of study values whose grammar belongs to another capability (threshold expressions), so they
 * too fail at load time with positions instead of after a long run.
 */
import { parseThreshold } from '../analysis/thresholds.js';
import type { Locator } from './problems.js';

export function validateExtensions(study: unknown, locate: Locator): string[] {
  const problems: string[] = [];
  const thresholds = (study as { thresholds?: unknown })?.thresholds;
  if (!Array.isArray(thresholds)) return problems;
  thresholds.forEach((expr, i) => {
    if (typeof expr !== 'string') return;
    const r = parseThreshold(expr);
    if ('error' in r) problems.push(`${locate(['thresholds', i])}: thresholds[${i}]: ${r.error}`);
  });
  return problems;
}
