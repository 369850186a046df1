/** Terminal table for `bench graph` (numbers straight from the phase data). */
import type { GraphSizeResult } from './benchmark.js';
import { lpad } from '../../core/text.js';

type GraphRow = GraphSizeResult;

export function formatGraphTable(data: Record<string, unknown>): string {
  const rows = (data.sizes ?? []) as GraphRow[];
  const lines = [
    `${lpad('nodes', 7)}${lpad('edges', 8)}${lpad('depth', 7)}${lpad('build', 11)}${lpad('topo sort', 12)}${lpad('traversals/s', 14)}${lpad('paths/s', 12)}${lpad('B/node', 9)}`,
  ];
  for (const r of rows) {
    lines.push(
      `${lpad(String(r.nodes), 7)}${lpad(String(r.edges), 8)}${lpad(String(r.depth), 7)}${lpad(`${r.buildMs.toFixed(2)}ms`, 11)}` +
        `${lpad(`${r.topoSortUs.toFixed(2)}µs`, 12)}${lpad(r.traversalOpsPerSec.toLocaleString('en-US'), 14)}` +
        `${lpad(r.pathFindingOpsPerSec.toLocaleString('en-US'), 12)}${lpad(r.bytesPerNode.toFixed(0), 9)}`,
    );
  }
  lines.push(
    `scaling exponent of sort time vs nodes: ${String(data.exponent)} (R² ${String(data.exponentR2)})`,
  );
  return lines.join('\n');
}
