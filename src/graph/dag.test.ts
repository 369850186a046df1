import { describe, expect, it } from 'vitest';
import { CycleError, Dag } from './dag.js';
import { GraphWalker, criticalPath } from './traverse.js';

describe('Dag topological order (kro: Kahn + min-heap on original index)', () => {
  it('orders [x→z, y, z, w] as y, z, x, w', () => {
    const dag = Dag.fromNamed(['x', 'y', 'z', 'w'], { x: ['z'] });
    expect(dag.topologicalIds()).toEqual(['y', 'z', 'x', 'w']);
  });

  it('keeps index order for independent resources', () => {
    expect(Dag.fromNamed(['tenantEnvironment', 'tenantApplication'], {}).topologicalIds()).toEqual([
      'tenantEnvironment',
      'tenantApplication',
    ]);
  });

  it('orders the webapp example deployment, service, ingress', () => {
    const dag = Dag.fromNamed(['ingress', 'service', 'deployment'], {
      service: ['deployment'],
      ingress: ['deployment', 'service'],
    });
    expect(dag.topologicalIds()).toEqual(['deployment', 'service', 'ingress']);
  });

  it('ignores duplicate edges', () => {
    const dag = Dag.fromNamed(['a', 'b'], { b: ['a', 'a'] });
    expect(dag.edgeCount).toBe(1);
  });
});

describe('cycles', () => {
  it('reports kro message a -> b -> a', () => {
    const dag = Dag.fromNamed(['a', 'b'], { a: ['b'], b: ['a'] });
    expect(dag.findCycle()).toEqual(['a', 'b', 'a']);
    expect(() => dag.topologicalOrder()).toThrow(new CycleError(['a', 'b', 'a']));
    expect(() => dag.topologicalOrder()).toThrow('graph contains a cycle: a -> b -> a');
  });

  it('finds a longer cycle behind an acyclic prefix', () => {
    const dag = Dag.fromNamed(['root', 'a', 'b', 'c'], { a: ['root', 'b'], b: ['c'], c: ['a'] });
    expect(dag.findCycle()).toEqual(['a', 'b', 'c', 'a']);
  });

  it('reports self loops', () => {
    expect(Dag.fromNamed(['a'], { a: ['a'] }).findCycle()).toEqual(['a', 'a']);
  });

  it('has no cycle in a DAG', () => {
    expect(Dag.fromNamed(['a', 'b', 'c'], { b: ['a'], c: ['a', 'b'] }).findCycle()).toBeUndefined();
  });
});

describe('deletion layers and apply orders', () => {
  it('chain a ← b ← c plus d gives c=3, d=3, b=2, a=1', () => {
    const dag = Dag.fromNamed(['a', 'b', 'c', 'd'], { b: ['a'], c: ['b'] });
    expect(dag.applyOrders()).toEqual({ a: 1, b: 2, c: 3, d: 3 });
    expect(dag.deletionLayers()).toEqual([['c', 'd'], ['b'], ['a']]);
  });

  it('webapp: ingress=3, service=2, deployment=1', () => {
    const dag = Dag.fromNamed(['deployment', 'service', 'ingress'], {
      service: ['deployment'],
      ingress: ['deployment', 'service'],
    });
    expect(dag.applyOrders()).toEqual({ deployment: 1, service: 2, ingress: 3 });
    expect(dag.depth()).toBe(3);
  });
});

describe('traversal and paths', () => {
  const dag = Dag.fromNamed(['a', 'b', 'c', 'd', 'e'], { b: ['a'], c: ['a'], d: ['b', 'c'], e: ['d'] });
  const walker = new GraphWalker(dag);

  it('bfs/dfs reach everything downstream of the root', () => {
    const bfs: string[] = [];
    expect(walker.bfs(0, 'dependents', (v) => bfs.push(dag.ids[v]!))).toBe(5);
    expect(bfs).toEqual(['a', 'b', 'c', 'd', 'e']);
    const dfs: string[] = [];
    walker.dfs(0, 'dependents', (v) => dfs.push(dag.ids[v]!));
    expect(dfs).toEqual(['a', 'b', 'd', 'e', 'c']);
    expect(walker.bfs(4, 'dependencies')).toBe(5);
  });

  it('finds shortest and all paths', () => {
    expect(walker.shortestPath(4, 0)?.map((i) => dag.ids[i])).toEqual(['e', 'd', 'b', 'a']);
    expect(walker.allPaths(4, 0).map((p) => p.map((i) => dag.ids[i]).join(''))).toEqual(['edba', 'edca']);
    expect(walker.shortestPath(0, 4)).toBeUndefined();
  });

  it('computes the critical path', () => {
    expect(criticalPath(dag)).toEqual(['a', 'b', 'd', 'e']);
    expect(dag.depth()).toBe(4);
  });

  it('sorts 10,000 nodes / 20,000 edges correctly', () => {
    const n = 10_000;
    const deps = Array.from({ length: n }, (_, i) => (i === 0 ? [] : [(i * 7) % i, i - 1]));
    const big = new Dag(
      Array.from({ length: n }, (_, i) => `r${i}`),
      deps,
    );
    const order = big.topologicalOrder();
    const pos = new Int32Array(n);
    order.forEach((v, k) => (pos[v] = k));
    let violations = 0;
    for (let i = 0; i < n; i++) for (const d of big.dependenciesOf(i)) if (pos[d]! >= pos[i]!) violations++;
    expect(violations).toBe(0);
    expect(big.edgeCount).toBe(2 * n - 3);
  });
});
