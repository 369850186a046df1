/**
 * A worker's part of a `job` phase in a distributed run. Create jobs split by namespace group (with
 * namespacedIterations every iteration namespace belongs to exactly one worker, so a worker's gc never
 * removes another's objects), otherwise by iteration; list jobs split their iterations; read, patch,
 * update and delete jobs take the objects their worker owns (src/load/share.ts `ownedBy`).
 */
import { LABEL_WORKER, shareCount, shareRange, type WorkerShare } from '../../load/share.js';
import type { JobOptions } from './options.js';

/** Iterations of a create job this worker runs, ascending. */
export function ownedIterations(o: JobOptions, s: WorkerShare | undefined): number[] {
  const per = o.namespacedIterations ? o.iterationsPerNamespace : 1;
  const groups = Math.ceil(o.jobIterations / per);
  const { start, end } = shareRange(groups, s);
  const out: number[] = [];
  for (let i = start * per; i < Math.min(end * per, o.jobIterations); i++) out.push(i);
  return out;
}

/** Iterations of a list job this worker sends. */
export function listIterations(o: JobOptions, s: WorkerShare | undefined): number {
  return shareCount(o.jobIterations, s);
}

/** The worker label for objects this worker creates; undefined outside a distributed run. */
export function workerLabels(s: WorkerShare | undefined): Record<string, string> | undefined {
  return s && s.count > 1 ? { [LABEL_WORKER]: String(s.index) } : undefined;
}

/** Narrows a label selector to this worker's objects. */
export function workerSelector(selector: string, s: WorkerShare | undefined): string {
  return s && s.count > 1 ? `${selector},${LABEL_WORKER}=${s.index}` : selector;
}
