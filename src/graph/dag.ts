/**
 * Dependency DAG over resources, stored as two CSR adjacency arrays (dependencies and dependents) in
 * typed arrays so sorting and traversal allocate nothing per edge. Vertex i is the i-th resource in
 * `spec.resources` order; kro's tie-breaking uses that index.
 */
import { MinIndexSet } from './ready-set.js';

export class CycleError extends Error {
  constructor(readonly cycle: string[]) {
    super(`graph contains a cycle: ${cycle.join(' -> ')}`);
    this.name = 'CycleError';
  }
}

export class Dag {
  readonly size: number;
  readonly edgeCount: number;
  /** dependencies of i: depTargets[depOffsets[i] .. depOffsets[i+1]) */
  readonly depOffsets: Int32Array;
  readonly depTargets: Int32Array;
  /** dependents of i (reverse edges): revTargets[revOffsets[i] .. revOffsets[i+1]) */
  readonly revOffsets: Int32Array;
  readonly revTargets: Int32Array;
  private scratchRemaining?: Int32Array;
  private scratchHeap?: MinIndexSet;

  /**
   * @param ids vertex names in original order
   * @param dependencies dependencies[i] = indices vertex i depends on (duplicates are ignored)
   */
  constructor(
    readonly ids: readonly string[],
    dependencies: ReadonlyArray<ArrayLike<number>>,
  ) {
    const n = ids.length;
    this.size = n;
    const depOffsets = new Int32Array(n + 1);
    let total = 0;
    for (let i = 0; i < n; i++) {
      depOffsets[i] = total;
      total += dependencies[i]?.length ?? 0;
    }
    depOffsets[n] = total;
    const depTargets = new Int32Array(total);
    const revCount = new Int32Array(n + 1);
    let w = 0;
    for (let i = 0; i < n; i++) {
      const deps = dependencies[i];
      const start = w;
      if (deps) {
        for (let k = 0; k < deps.length; k++) {
          const d = deps[k]!;
          if (d < 0 || d >= n) throw new RangeError(`dependency index ${d} of ${ids[i]} is out of range`);
          // Duplicates are rare and lists short: a linear check keeps the arrays exact.
          let dup = false;
          for (let j = start; j < w; j++) if (depTargets[j] === d) dup = true;
          if (dup) continue;
          depTargets[w++] = d;
          revCount[d]!++;
        }
      }
      depOffsets[i] = start;
    }
    depOffsets[n] = w;
    this.depOffsets = depOffsets;
    this.depTargets = w === total ? depTargets : depTargets.slice(0, w);
    this.edgeCount = w;
    const revOffsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) revOffsets[i + 1] = revOffsets[i]! + revCount[i]!;
    const fill = revOffsets.slice(0, n);
    const revTargets = new Int32Array(w);
    for (let i = 0; i < n; i++) {
      for (let k = depOffsets[i]!; k < depOffsets[i + 1]!; k++) revTargets[fill[this.depTargets[k]!]!++] = i;
    }
    this.revOffsets = revOffsets;
    this.revTargets = revTargets;
  }

  /** Build from names: deps maps id → ids it depends on. Unknown names throw. */
  static fromNamed(ids: readonly string[], deps: Readonly<Record<string, readonly string[]>>): Dag {
    const index = new Map(ids.map((id, i) => [id, i]));
    return new Dag(
      ids,
      ids.map((id) =>
        (deps[id] ?? []).map((d) => {
          const j = index.get(d);
          if (j === undefined) throw new Error(`unknown vertex ${d} (dependency of ${id})`);
          return j;
        }),
      ),
    );
  }

  dependenciesOf(i: number): Int32Array {
    return this.depTargets.subarray(this.depOffsets[i]!, this.depOffsets[i + 1]!);
  }

  dependentsOf(i: number): Int32Array {
    return this.revTargets.subarray(this.revOffsets[i]!, this.revOffsets[i + 1]!);
  }

  /**
   * A cycle as names, `a -> b -> a` meaning a depends on b, or undefined. DFS from the lowest index,
   * iterative so deep chains cannot overflow the stack (kro's start vertex is map-order random).
   */
  findCycle(): string[] | undefined {
    const n = this.size;
    const color = new Uint8Array(n); // 0 new, 1 on stack, 2 done
    const stack = new Int32Array(n);
    const cursor = new Int32Array(n);
    for (let root = 0; root < n; root++) {
      if (color[root] !== 0) continue;
      let sp = 0;
      stack[sp++] = root;
      color[root] = 1;
      cursor[root] = this.depOffsets[root]!;
      while (sp > 0) {
        const v = stack[sp - 1]!;
        if (cursor[v]! < this.depOffsets[v + 1]!) {
          const u = this.depTargets[cursor[v]!++]!;
          if (color[u] === 1) {
            let from = sp - 1;
            while (stack[from] !== u) from--;
            const cycle: string[] = [];
            for (let k = from; k < sp; k++) cycle.push(this.ids[stack[k]!]!);
            cycle.push(this.ids[u]!);
            return cycle;
          }
          if (color[u] === 0) {
            color[u] = 1;
            cursor[u] = this.depOffsets[u]!;
            stack[sp++] = u;
          }
        } else {
          color[v] = 2;
          sp--;
        }
      }
    }
    return undefined;
  }

  /**
   * kro's order (PR #1122): Kahn's algorithm that always emits the ready vertex with the lowest
   * original index. Throws CycleError when not every vertex can be emitted.
   */
  topologicalOrder(): Int32Array {
    const n = this.size;
    // Scratch reused across calls: sorting is the hot path of graph benchmarks and reconcile loops.
    const remaining = (this.scratchRemaining ??= new Int32Array(n));
    const heap = (this.scratchHeap ??= new MinIndexSet(n));
    heap.clear();
    for (let i = 0; i < n; i++) {
      remaining[i] = this.depOffsets[i + 1]! - this.depOffsets[i]!;
      if (remaining[i] === 0) heap.push(i);
    }
    const out = new Int32Array(n);
    let k = 0;
    while (heap.length > 0) {
      const v = heap.pop();
      out[k++] = v;
      for (let e = this.revOffsets[v]!; e < this.revOffsets[v + 1]!; e++) {
        const d = this.revTargets[e]!;
        if (--remaining[d]! === 0) heap.push(d);
      }
    }
    if (k < n) throw new CycleError(this.findCycle() ?? []);
    return out;
  }

  topologicalIds(): string[] {
    return Array.from(this.topologicalOrder(), (i) => this.ids[i]!);
  }

  /**
   * kro's ReverseTopologicalLayers: layer 0 = vertices nothing depends on, then peel. Returns the
   * layer of every vertex and the layer count.
   */
  reverseLayers(): { layerOf: Int32Array; count: number } {
    const n = this.size;
    const remaining = new Int32Array(n);
    const layerOf = new Int32Array(n).fill(-1);
    let frontier: number[] = [];
    for (let i = 0; i < n; i++) {
      remaining[i] = this.revOffsets[i + 1]! - this.revOffsets[i]!;
      if (remaining[i] === 0) frontier.push(i);
    }
    let layer = 0;
    let placed = 0;
    while (frontier.length > 0) {
      const next: number[] = [];
      for (const v of frontier) {
        layerOf[v] = layer;
        placed++;
        for (let e = this.depOffsets[v]!; e < this.depOffsets[v + 1]!; e++) {
          const d = this.depTargets[e]!;
          if (--remaining[d]! === 0) next.push(d);
        }
      }
      frontier = next;
      layer++;
    }
    if (placed < n) throw new CycleError(this.findCycle() ?? []);
    return { layerOf, count: layer };
  }

  /** kro's apply-order wave per vertex: numLayers - reverseLayer (dependents get the highest). */
  applyOrders(): Record<string, number> {
    const { layerOf, count } = this.reverseLayers();
    const out: Record<string, number> = {};
    for (let i = 0; i < this.size; i++) out[this.ids[i]!] = count - layerOf[i]!;
    return out;
  }

  /** Deletion waves, first wave first (highest apply order first), each in original order. */
  deletionLayers(): string[][] {
    const { layerOf, count } = this.reverseLayers();
    const layers: string[][] = Array.from({ length: count }, () => []);
    for (let i = 0; i < this.size; i++) layers[layerOf[i]!]!.push(this.ids[i]!);
    return layers;
  }

  /**
   * Level of each vertex: 1 + max level of its dependencies (roots are 1). The maximum is the depth,
   * i.e. how many reconcile passes a kro-like controller needs to create the whole graph.
   */
  levels(order: Int32Array = this.topologicalOrder()): Int32Array {
    const level = new Int32Array(this.size);
    for (let k = 0; k < order.length; k++) {
      const v = order[k]!;
      let best = 0;
      for (let e = this.depOffsets[v]!; e < this.depOffsets[v + 1]!; e++) {
        const l = level[this.depTargets[e]!]!;
        if (l > best) best = l;
      }
      level[v] = best + 1;
    }
    return level;
  }

  depth(): number {
    let max = 0;
    for (const l of this.levels()) if (l > max) max = l;
    return max;
  }
}
