/**
 * A distributed run without a cluster of our own: four `kubeperf run --worker I/4` processes against
 * one embedded control plane create exactly the planned objects (no name collides, none is missing),
 * patch only their own, and `kubeperf merge` sums their counts; a single-process run of the same
 * plan creates as many.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../kube/connect.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import { launchTestCluster, type TestCluster } from '../../kube/testing.js';
import { runCli, spawnCli } from '../../cli/test-support.js';
import type { Results } from '../../results/types.js';

let cluster: TestCluster;
let client: KubeClient;
let dir: string;
const study = `
name: distributed
phases:
  - type: job
    name: create
    jobName: dist
    jobIterations: 12
    namespace: dist
    iterationsPerNamespace: 2
    qps: 200
    objects:
      - objectTemplate: |
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: cm-{{.Iteration}}-{{.Replica}}
          data: {k: v}
        replicas: 5
  - type: job
    name: patch
    jobType: patch
    jobIterations: 2
    objects:
      - { kind: ConfigMap, apiVersion: v1 }
  - type: pause
    duration: 10ms
thresholds:
  - errors.rate < 1%
`;

beforeAll(async () => {
  cluster = await launchTestCluster();
  client = await connect(cluster.target);
  dir = mkdtempSync(join(tmpdir(), 'kubeperf-dist-'));
  writeFileSync(join(dir, 'study.yaml'), study);
});
afterAll(async () => {
  await client?.close();
  await cluster?.stop();
});

async function configMaps(selector: string): Promise<KubeObject[]> {
  const m = await client.mapper.resolve('v1', 'ConfigMap');
  return (await client.listAll(m, undefined, { labelSelector: selector })).items;
}

const exit = (p: ReturnType<typeof spawnCli>) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    let stderr = '';
    p.stderr!.on('data', (d) => (stderr += d));
    p.stdout!.resume();
    p.on('exit', (code) => resolve({ code, stderr }));
  });

describe('distributed run: 4 local workers against one embedded control plane', () => {
  it('creates exactly the planned objects, patches each once per iteration, and merges exactly', async () => {
    const kc = cluster.target.kubeconfigPath!;
    const workers = [0, 1, 2, 3].map((i) =>
      spawnCli([
        'run',
        join(dir, 'study.yaml'),
        '--kubeconfig',
        kc,
        '--run-id',
        'dist-1',
        '--worker',
        `${i}/4`,
        '--out',
        join(dir, `w${i}`),
        '--keep',
      ]),
    );
    const done = await Promise.all(workers.map(exit));
    done.forEach((d, i) => expect(d.code, `worker ${i}: ${d.stderr.slice(-2000)}`).toBe(0));

    const objs = await configMaps('kubeperf.io/run-id=dist-1,kubeperf.io/job=dist');
    const names = objs.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(new Set(names).size).toBe(60);
    const planned = new Set<string>();
    for (let i = 0; i < 12; i++)
      for (let r = 1; r <= 5; r++) planned.add(`dist-${Math.floor(i / 2)}/cm-${i}-${r}`);
    expect(new Set(names)).toEqual(planned);
    // Each worker removed its barrier Leases once past the end barrier.
    const leases = await client.mapper.resolve('coordination.k8s.io/v1', 'Lease');
    expect(
      (await client.listAll(leases, undefined, { labelSelector: 'kubeperf.io/run-id=dist-1' })).items,
    ).toEqual([]);
    // Every object was patched, and the workers' selections are disjoint and cover all 60.
    expect(
      objs.every(
        (o) => (o.metadata.annotations as Record<string, string> | undefined)?.['kubeperf.io/patched'],
      ),
    ).toBe(true);
    // Namespace groups belong to one worker each: 6 groups over 4 workers → 1, 2, 1, 2.
    const parts = [0, 1, 2, 3].map(
      (i) => JSON.parse(readFileSync(join(dir, `w${i}`, 'results.json'), 'utf8')) as Results,
    );
    expect(parts.map((p) => p.phases[0]!.ops.create!.count)).toEqual([5, 10, 5, 10].map((x) => x * 2));
    expect(parts.map((p) => p.worker?.index)).toEqual([0, 1, 2, 3]);
    // A phase type that does not split its work runs on worker 0 only.
    expect(parts.map((p) => p.phases[2]!.status)).toEqual(['ok', 'skipped', 'skipped', 'skipped']);
    const selected = parts.map((p) => (p.phases[1]!.data as { job: { selected: number } }).job.selected);
    expect(selected.reduce((a, b) => a + b, 0)).toBe(60);

    const merged = await runCli([
      'merge',
      ...[0, 1, 2, 3].map((i) => join(dir, `w${i}`)),
      '--out',
      join(dir, 'merged'),
      '--json',
    ]);
    expect(merged.status, merged.stderr).toBe(0);
    const m = JSON.parse(merged.stdout) as Results;
    expect(m.phases[0]!.ops.create!.count).toBe(60);
    expect(m.phases[0]!.ops.create!.errors).toBe(0);
    expect(m.phases[1]!.ops.patch!.count).toBe(120);
    expect(m.distributed?.merged).toEqual([0, 1, 2, 3]);
    expect(m.phases[2]!.status).toBe('ok');
    expect(m.distributed?.parts.map((p) => p.phases[0]!.ops.create!.count)).toEqual([10, 20, 10, 20]);
    expect((m.phases[0]!.data as { job: { created: number } }).job.created).toBe(60);
    // Throughput over the union of the workers' active spans: longer than any one span, shorter
    // than all of them end to end.
    const spans = parts.map((p) => p.phases[0]!.ops.create!.durationMs);
    const create = m.phases[0]!.ops.create!;
    expect(create.durationMs).toBeGreaterThanOrEqual(Math.max(...spans) - 0.01);
    expect(create.durationMs).toBeLessThanOrEqual(spans.reduce((a, b) => a + b, 0) + 0.01);
    expect(create.throughput).toBeCloseTo((60 * 1000) / create.durationMs, 0);
    expect(m.verdict).toBe('pass');
  }, 300_000);

  it('a single-process run of the same plan creates the same objects', async () => {
    const r = await runCli(
      [
        'run',
        join(dir, 'study.yaml'),
        '--kubeconfig',
        cluster.target.kubeconfigPath!,
        '--run-id',
        'single-1',
        '--set',
        'phases.0.namespace=single',
        '--out',
        join(dir, 'single'),
        '--keep',
      ],
      { timeoutMs: 240_000 },
    );
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    expect((await configMaps('kubeperf.io/run-id=single-1,kubeperf.io/job=dist')).length).toBe(60);
  }, 300_000);

  it('bad --worker input is exit 2 with the reason', async () => {
    const s = join(dir, 'study.yaml');
    let r = await runCli([
      'run',
      s,
      '--kubeconfig',
      cluster.target.kubeconfigPath!,
      '--run-id',
      'x',
      '--worker',
      '4/4',
      '--dry-run',
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--worker 4\/4: the worker index must be below the count/);
    r = await runCli([
      'run',
      s,
      '--kubeconfig',
      cluster.target.kubeconfigPath!,
      '--worker',
      '0/4',
      '--dry-run',
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/need the same --run-id/);
    r = await runCli(['run', s, '--run-id', 'x', '--worker', '0/4', '--dry-run']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/must share one cluster/);
  }, 120_000);
});
