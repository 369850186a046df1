/**
 * Traversal and path finding over a Dag. `direction` 'dependencies' follows "depends on" edges (what
 * must exist first); 'dependents' follows the reverse (what a change affects). Scratch buffers are
 * reused between calls so a hot loop of queries allocates only its result.
 */
import type { Dag } from './dag.js';

export type Direction = 'dependencies' | 'dependents';

export class GraphWalker {
  private readonly queue: Int32Array;
  private readonly prev: Int32Array;
  private readonly seen: Uint32Array;
  private stamp = 0;

  constructor(readonly dag: Dag) {
    this.queue = new Int32Array(Math.max(1, dag.size));
    this.prev = new Int32Array(Math.max(1, dag.size));
    this.seen = new Uint32Array(Math.max(1, dag.size));
  }

  private edges(direction: Direction): [Int32Array, Int32Array] {
    return direction === 'dependencies'
      ? [this.dag.depOffsets, this.dag.depTargets]
      : [this.dag.revOffsets, this.dag.revTargets];
  }

  private nextStamp(): number {
    if (++this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  /** Breadth-first visit from `start`; returns how many vertices were reached (start included). */
  bfs(start: number, direction: Direction = 'dependents', visit?: (v: number) => void): number {
    const [off, tgt] = this.edges(direction);
    const s = this.nextStamp();
    const q = this.queue;
    let head = 0;
    let tail = 0;
    q[tail++] = start;
    this.seen[start] = s;
    while (head < tail) {
      const v = q[head++]!;
      visit?.(v);
      for (let e = off[v]!; e < off[v + 1]!; e++) {
        const u = tgt[e]!;
        if (this.seen[u] !== s) {
          this.seen[u] = s;
          q[tail++] = u;
        }
      }
    }
    return tail;
  }

  /** Depth-first (pre-order) visit from `start`; returns how many vertices were reached. */
  dfs(start: number, direction: Direction = 'dependents', visit?: (v: number) => void): number {
    const [off, tgt] = this.edges(direction);
    const s = this.nextStamp();
    const stack = this.queue;
    let sp = 0;
    let count = 0;
    stack[sp++] = start;
    this.seen[start] = s;
    while (sp > 0) {
      const v = stack[--sp]!;
      count++;
      visit?.(v);
      for (let e = off[v + 1]! - 1; e >= off[v]!; e--) {
        const u = tgt[e]!;
        if (this.seen[u] !== s) {
          this.seen[u] = s;
          stack[sp++] = u;
        }
      }
    }
    return count;
  }

  /**
   * One full traversal: BFS from every root (no dependencies) along dependents, visiting every vertex
   * and edge once. Returns vertices visited.
   */
  traverseAll(): number {
    const { depOffsets, revOffsets, revTargets, size } = this.dag;
    const s = this.nextStamp();
    const q = this.queue;
    let head = 0;
    let tail = 0;
    for (let i = 0; i < size; i++) {
      if (depOffsets[i] === depOffsets[i + 1]) {
        this.seen[i] = s;
        q[tail++] = i;
      }
    }
    while (head < tail) {
      const v = q[head++]!;
      for (let e = revOffsets[v]!; e < revOffsets[v + 1]!; e++) {
        const u = revTargets[e]!;
        if (this.seen[u] !== s) {
          this.seen[u] = s;
          q[tail++] = u;
        }
      }
    }
    return tail;
  }

  /** Fewest-edges path from → to (inclusive), or undefined when `to` is unreachable. */
  shortestPath(from: number, to: number, direction: Direction = 'dependencies'): number[] | undefined {
    const [off, tgt] = this.edges(direction);
    const s = this.nextStamp();
    const q = this.queue;
    let head = 0;
    let tail = 0;
    q[tail++] = from;
    this.seen[from] = s;
    this.prev[from] = -1;
    while (head < tail) {
      const v = q[head++]!;
      if (v === to) {
        const path: number[] = [];
        for (let x = to; x !== -1; x = this.prev[x]!) path.push(x);
        return path.reverse();
      }
      for (let e = off[v]!; e < off[v + 1]!; e++) {
        const u = tgt[e]!;
        if (this.seen[u] !== s) {
          this.seen[u] = s;
          this.prev[u] = v;
          q[tail++] = u;
        }
      }
    }
    return undefined;
  }

  /** Every simple path from → to, up to `limit` paths (the count can be exponential). */
  allPaths(from: number, to: number, direction: Direction = 'dependencies', limit = 1000): number[][] {
    const [off, tgt] = this.edges(direction);
    const out: number[][] = [];
    const path: number[] = [from];
    const walk = (v: number): void => {
      if (out.length >= limit) return;
      if (v === to) {
        out.push(path.slice());
        return;
      }
      for (let e = off[v]!; e < off[v + 1]!; e++) {
        path.push(tgt[e]!);
        walk(tgt[e]!);
        path.pop();
      }
    };
    walk(from);
    return out;
  }
}

/**
 * Longest dependency chain (root first): the sequence of reconcile passes that bounds how fast the
 * whole graph can become ready.
 */
export function criticalPath(dag: Dag): string[] {
  if (dag.size === 0) return [];
  const order = dag.topologicalOrder();
  const level = dag.levels(order);
  let end = 0;
  for (let i = 1; i < dag.size; i++) if (level[i]! > level[end]!) end = i;
  const path = [end];
  let v = end;
  while (level[v]! > 1) {
    const deps = dag.dependenciesOf(v);
    let best = deps[0]!;
    for (const d of deps) if (level[d]! > level[best]! || (level[d] === level[best] && d < best)) best = d;
    path.push(best);
    v = best;
  }
  return path.reverse().map((i) => dag.ids[i]!);
}
