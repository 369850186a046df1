/**
 * Durations as people write them in study files and flags: 250us, 20ms, 1.5s, 2m, 1h, or combined
 * Go-style (1m30s). A bare number is milliseconds.
 */
import { z } from 'zod';
const unitMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const part = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;

/** Milliseconds, or undefined when `text` is not a duration. */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  if (s === '') return undefined;
  part.lastIndex = 0;
  let total = 0;
  let pos = 0;
  for (let m = part.exec(s); m; m = part.exec(s)) {
    total += Number(m[1]) * unitMs[m[2]!]!;
    pos = part.lastIndex;
  }
  return pos === s.length ? total : undefined;
}

export function formatDurationMs(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${Math.round(ms * 10) / 10}ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${Math.round((ms - m * 60_000) / 1000)}s`;
}

/** A duration option in a study or measurement schema (validated, kept as written). */
export const DurationString = z
  .string()
  .refine((s) => parseDuration(s) !== undefined, 'must be a duration such as 500ms, 10s or 2m');
