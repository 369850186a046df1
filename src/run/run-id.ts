import { randomBytes } from 'node:crypto';

/**
 * A run id that sorts by time and is a valid label value (≤ 63 chars, [a-z0-9-]), since every object
 * a run creates carries it in `kubeperf.io/run-id`.
 */
export function newRunId(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
