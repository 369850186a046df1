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

/** A run id given by hand (--run-id): a label value that also fits in Lease and ConfigMap names. */
export function runIdProblem(id: string): string | undefined {
  return /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/.test(id)
    ? undefined
    : `--run-id ${id}: must be 1-40 lower-case letters, digits and dashes (a label value, part of Lease and ConfigMap names)`;
}
