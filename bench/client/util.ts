// Shared bits of the client benches: a child-process embedded control plane (never on the load
// generator's event loop), a closed-loop GET driver, and the one-JSON-document output.
import { launchEmbeddedCluster, type EmbeddedCluster } from '../../src/cluster/launch.js';
import { connect } from '../../src/kube/connect.js';
import type { KubeClient } from '../../src/kube/client.js';
import type { ResourceMapping } from '../../src/kube/discovery.js';
import { Recorder } from '../../src/metrics/recorder.js';
import type { Target } from '../../src/phases/types.js';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  target?: number;
  pass?: boolean;
}

export function emit(bench: string, results: BenchResult[], notes?: string): void {
  process.stdout.write(JSON.stringify({ bench, results, notes }) + '\n');
}

export const log = (msg: string) => process.stderr.write(msg + '\n');

/** Prints the one JSON document and exits, non-zero when a result missed its target (`pass: false`). */
export function finish(
  bench: string,
  results: { name: string; value: number; unit: string; target?: string | number; pass?: boolean }[],
  notes: string,
): never {
  process.stdout.write(JSON.stringify({ bench, results, notes }) + '\n');
  process.exit(results.every((x) => x.pass !== false) ? 0 : 1);
}

export async function startCluster(): Promise<{ cluster: EmbeddedCluster; target: Target }> {
  const cluster = await launchEmbeddedCluster({});
  return {
    cluster,
    target: {
      kind: 'embedded',
      server: cluster.server,
      kubeconfigPath: cluster.kubeconfigPath,
      version: cluster.version,
    },
  };
}

export async function seedConfigMap(client: KubeClient, name: string): Promise<ResourceMapping> {
  const m = await client.mapper.resolve('v1', 'ConfigMap');
  await client.create(
    m,
    'default',
    JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v'.repeat(200) } }),
  );
  return m;
}

/** `workers` loops each sending `fn` back to back for `ms`; returns requests done and CPU µs spent. */
export async function closedLoop(
  workers: number,
  ms: number,
  fn: () => Promise<unknown>,
): Promise<{ requests: number; seconds: number; cpuUs: number }> {
  let requests = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + ms;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < end) {
        await fn();
        requests++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { requests, seconds, cpuUs: cpu.user + cpu.system };
}

const SYNTHETIC_OPS = ['create', 'get', 'update', 'patch', 'list', 'delete'];

/**
 * `n` synthetic records: six ops spread over 10 minutes of windows, 2% errors (429s), latencies
 * 0.5–500 ms: a long, realistic run for the recorder and exporter benches.
 */
export function recordSynthetic(rec: Recorder, n: number): void {
  for (let i = 0; i < n; i++) {
    const start = (i / n) * 600_000;
    const lat = 0.5 + ((i * 7919) % 5000) / 10;
    rec.record(
      SYNTHETIC_OPS[i % SYNTHETIC_OPS.length]!,
      start,
      start + lat,
      i % 50 === 0 ? { reason: 'TooManyRequests', code: 429 } : undefined,
    );
  }
}

export { connect, Recorder };
