/**
 * A worker's part of a `crud` phase in a distributed run: a contiguous range of the objects (named by
 * their global index, so the union of shares is the single-process plan), its part of the lists and
 * of the rate, and its worker label on what it creates.
 */
import { LABEL_WORKER, shareCount, shareLoad, shareRange, type WorkerShare } from '../../load/share.js';
import type { CrudOptions } from './options.js';

export interface CrudShare {
  objects: number;
  offset: number;
  lists: number;
  pagedLists: number;
  extraLabels?: Record<string, string>;
  /** Rates split; concurrency left as configured (sweep points keep their x), see `concurrency`. */
  options: CrudOptions;
  /** This worker's part of a worker count (a sweep point or the configured concurrency). */
  concurrency(c: number | undefined, fallback: number): number | undefined;
}

export function crudShare(o: CrudOptions, s: WorkerShare | undefined): CrudShare {
  const r = shareRange(o.objects, s);
  const split = s && s.count > 1;
  return {
    objects: r.end - r.start,
    offset: r.start,
    lists: shareCount(o.lists, s),
    pagedLists: shareCount(1, s),
    ...(split ? { extraLabels: { [LABEL_WORKER]: String(s.index) } } : {}),
    options: split ? { ...shareLoad(o, s), concurrency: o.concurrency } : o,
    concurrency: (c, fallback) => (split ? Math.max(1, shareCount(c ?? fallback, s)) : c),
  };
}
