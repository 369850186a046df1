/**
 * kube-burner configs run unchanged (sizes scaled with kube-burner's own --set): against the embedded
 * control plane they create what their config says (counted on the server), report indexers and
 * Prometheus endpoints they cannot use, and everything kubeperf cannot honour is exit 2 naming it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/test-support.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { connect } from '../kube/connect.js';
import { launchTestCluster, type TestCluster } from '../kube/testing.js';
import type { Results } from '../results/types.js';
import { translateKubeBurner } from './translate.js';

const fixtures = 'src/kubeburner/testdata';
let cluster: TestCluster;
let client: KubeClient;
let dir: string;

beforeAll(async () => {
  cluster = await launchTestCluster({ nodes: 3 });
  client = await connect(cluster.target);
  dir = mkdtempSync(join(tmpdir(), 'kubeperf-kb-'));
});
afterAll(async () => {
  await client?.close();
  await cluster?.stop();
});

async function count(apiVersion: string, kind: string, selector: string): Promise<KubeObject[]> {
  const m = await client.mapper.resolve(apiVersion, kind);
  return (await client.listAll(m, undefined, { labelSelector: selector })).items;
}

describe('kube-burner example workloads', () => {
  it('api-intensive runs unchanged and creates, patches and deletes what its config says', async () => {
    // kube-burner's --set: 10 iterations instead of 700, and faster rates, so the test takes seconds.
    const set = [
      'jobs.0.jobIterations=10',
      'jobs.0.qps=100',
      'jobs.0.burst=100',
      'jobs.1.qps=200',
      'jobs.1.burst=200',
    ];
    for (const j of [2, 3, 4, 5]) set.push(`jobs.${j}.qps=100`, `jobs.${j}.burst=100`);
    const r = await runCli(
      [
        'run',
        `${fixtures}/api-intensive/api-intensive.yml`,
        ...set.flatMap((s) => ['--set', s]),
        '--kubeconfig',
        cluster.target.kubeconfigPath!,
        '--run-id',
        'kb-api-1',
        '--keep',
        '--json',
      ],
      { timeoutMs: 240_000 },
    );
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    const res = JSON.parse(r.stdout) as Results;
    const phase = (name: string) => res.phases.find((p) => p.name === name)!;
    // Created: a Deployment, a ConfigMap, a Secret and a Service in each of 10 iteration namespaces.
    expect(phase('api-intensive').ops.create).toMatchObject({ count: 40, errors: 0 });
    expect(phase('api-intensive').data).toMatchObject({ job: { created: 40, failed: 0, iterations: 10 } });
    expect(phase('api-intensive').ops['podLatency.Ready']!.count).toBe(10);
    // 3 patches of each Deployment in each of 10 iterations; then everything deleted by its own jobs.
    expect(phase('api-intensive-patch').ops.patch).toMatchObject({ count: 300, errors: 0 });
    expect(phase('api-intensive-remove').ops.delete).toMatchObject({ count: 10, errors: 0 });
    expect(phase('remove-services').ops.delete).toMatchObject({ count: 10, errors: 0 });
    expect(phase('remove-configmaps-secrets').ops.delete).toMatchObject({ count: 20, errors: 0 });
    // On the server: the 10 namespaces remain (kube-burner's delete jobs leave them), empty of the job's objects.
    const ns = await count('v1', 'Namespace', 'kube-burner.io/job=api-intensive,kubeperf.io/run-id=kb-api-1');
    expect(ns.map((n) => n.metadata.name).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `api-intensive-${i}`).sort(),
    );
    for (const [v, k] of [
      ['apps/v1', 'Deployment'],
      ['v1', 'ConfigMap'],
      ['v1', 'Secret'],
      ['v1', 'Service'],
    ] as const)
      expect(await count(v, k, 'kube-burner-job=api-intensive'), k).toEqual([]);
    // Only what kubeperf cannot use is reported: the Elastic indexer, no Prometheus, no image pre-pull.
    expect(res.warnings.join('\n')).toMatch(
      /elastic indexer \(http:\/\/elastic\.example\.com:9200\) is not supported/,
    );
    expect(res.verdict).toBe('pass');
  }, 300_000);

  it('crd-scale creates its CustomResourceDefinitions', async () => {
    const r = await runCli(
      [
        'run',
        `${fixtures}/crd-scale/crd-scale.yml`,
        '--set',
        'jobs.0.jobIterations=10',
        '--kubeconfig',
        cluster.target.kubeconfigPath!,
        '--run-id',
        'kb-crd-1',
        '--keep',
        '--json',
      ],
      { timeoutMs: 240_000 },
    );
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    const crds = await count(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      'kube-burner.io/job=crd-scale',
    );
    expect(crds.map((c) => c.metadata.name).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `examples.crd-scale-${i}.kubeperf.test`).sort(),
    );
    const res = JSON.parse(r.stdout) as Results;
    expect(res.warnings.join('\n')).toMatch(/global\.gc: kubeperf always deletes what the run created/);
  }, 300_000);

  it('kubelet-density on simulated nodes: pod latency measured from watches, its threshold checked', async () => {
    const r = await runCli(
      [
        'run',
        `${fixtures}/kubelet-density/kubelet-density.yml`,
        '--set',
        'jobs.0.jobIterations=20',
        '--json',
      ],
      { timeoutMs: 240_000 },
    );
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    const res = JSON.parse(r.stdout) as Results;
    const ops = res.phases[0]!.ops;
    expect(ops.create).toMatchObject({ count: 20, errors: 0 });
    for (const c of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'])
      expect(ops[`podLatency.${c}`]!.count, c).toBe(20);
    expect(ops.readiness!.count).toBe(20);
    expect(res.thresholds).toMatchObject([{ expression: 'podLatency.Ready.mean < 4s', pass: true }]);
  }, 300_000);

  it('kubeperf import kube-burner prints a study that runs as the config does', async () => {
    const out = join(dir, 'study.yaml');
    const r = await runCli([
      'import',
      'kube-burner',
      `${fixtures}/api-intensive/api-intensive.yml`,
      '-o',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/# note: metricsEndpoints\[0\]\.indexer: elastic indexer/);
    expect(text).toMatch(/kubeBurnerLabels: true/);
    const dry = await runCli(['run', out, '--dry-run']);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/create 2800 objects \(700 iterations/);
  }, 120_000);

  it('what kubeperf cannot honour is exit 2, naming the field and its line', async () => {
    const bad = join(dir, 'bad.yml');
    writeFileSync(
      bad,
      [
        'global:',
        '  measurements:',
        '    - name: netpolLatency',
        'jobs:',
        '  - name: j1',
        '    jobIterations: 2',
        '    watchers:',
        '      - kind: Pod',
        '    jobIteratons: 3',
        '    objects:',
        '      - objectTemplate: t.yml',
        '        kubeVirtOp: start',
        '',
      ].join('\n'),
    );
    const r = await runCli(['run', bad, '--dry-run']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /bad\.yml:3:\d+: global\.measurements\[0\]\.name: measurement netpolLatency is not supported/,
    );
    expect(r.stderr).toMatch(
      /bad\.yml:8:\d+: jobs\[0\]\.watchers: not supported by kubeperf: informer load is not generated/,
    );
    expect(r.stderr).toMatch(/bad\.yml:9:\d+: jobs\[0\]\.jobIteratons: unknown job field "jobIteratons"/);
    expect(r.stderr).toMatch(/jobs\[0\]\.objects\[0\]\.kubeVirtOp: not supported by kubeperf/);
    writeFileSync(
      join(dir, 'tpl.yml'),
      'jobs:\n  - name: j\n    jobIterations: {{.ITERATIONS}}\n    objects: []\n',
    );
    const missing = await runCli(['run', join(dir, 'tpl.yml'), '--dry-run'], { env: { ITERATIONS: '' } });
    expect(missing.status).toBe(2);
    // --user-data supplies what the environment does not; the environment wins where both do.
    writeFileSync(join(dir, 'vars.yml'), 'KB_TEST_ITERATIONS: 3\n');
    writeFileSync(
      join(dir, 'ok.yml'),
      'jobs:\n  - name: j\n    jobIterations: {{.KB_TEST_ITERATIONS}}\n    objects:\n      - objectTemplate: |\n          apiVersion: v1\n          kind: ConfigMap\n          metadata: {name: c}\n',
    );
    const fromFile = await runCli([
      'run',
      join(dir, 'ok.yml'),
      '--dry-run',
      '--user-data',
      join(dir, 'vars.yml'),
    ]);
    expect(fromFile.status, fromFile.stderr).toBe(0);
    expect(fromFile.stdout).toMatch(/\(3 iterations/);
    const fromEnv = await runCli(
      ['run', join(dir, 'ok.yml'), '--dry-run', '--user-data', join(dir, 'vars.yml')],
      { env: { KB_TEST_ITERATIONS: '7' } },
    );
    expect(fromEnv.stdout).toMatch(/\(7 iterations/);
    const withVar = await runCli(['run', join(dir, 'tpl.yml'), '--dry-run'], { env: { ITERATIONS: '5' } });
    expect(withVar.status).toBe(2);
    expect(withVar.stderr).toMatch(/jobs\[0\]\.objects: a job needs at least one object/);
  }, 120_000);
});

describe('translation details', () => {
  const t = (raw: unknown) =>
    translateKubeBurner(raw, { name: 'x', baseDir: dir, measurementsSupported: true });

  it('customStatusPaths become a CEL check; forCondition a condition; legacy churn a churnConfig', () => {
    const r = t({
      jobs: [
        {
          name: 'a',
          churn: true,
          churnCycles: 2,
          churnPercent: 20,
          churnDuration: '10m',
          churnDelay: '5s',
          churnDeletionStrategy: 'gvr',
          objects: [
            {
              objectTemplate: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n',
              waitOptions: {
                customStatusPaths: [
                  { key: '(.conditions.[] | select(.type == "Available")).status', value: 'True' },
                  { key: '.readyReplicas', value: '1' },
                ],
              },
            },
          ],
        },
      ],
    });
    expect(r.problems).toEqual([]);
    const phase = (r.study.phases as Record<string, any>[])[0]!;
    expect(phase.churnConfig).toEqual({
      cycles: 2,
      percent: 20,
      duration: '10m',
      delay: '5s',
      mode: 'objects',
    });
    expect(phase.objects[0].waitOptions.cel).toBe(
      'self.status.conditions.exists(c, c.type == "Available" && c.status == "True") && string(self.status.readyReplicas) == "1"',
    );
    expect(phase.objects[0].wait).toBe(true);
  });

  it('a Prometheus endpoint with metric profiles becomes promQuery measurements; podLatency thresholds study thresholds', () => {
    const r = t({
      metricsEndpoints: [
        { endpoint: 'http://prom:9090', token: 'tok', metrics: ['metrics.yml'], alias: 'prom' },
      ],
      global: {
        measurements: [
          { name: 'podLatency', thresholds: [{ conditionType: 'Ready', metric: 'P99', threshold: '2s' }] },
        ],
      },
      jobs: [
        { name: 'a', objects: [{ objectTemplate: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n' }] },
      ],
    });
    expect(r.problems).toEqual([]);
    expect(r.study.measurements).toEqual([
      {
        type: 'promQuery',
        name: 'prom',
        url: 'http://prom:9090',
        bearerToken: 'tok',
        profile: 'metrics.yml',
      },
    ]);
    expect(r.study.thresholds).toEqual(['podLatency.Ready.p99 < 2s']);
    expect((r.study.phases as Record<string, unknown>[])[0]!.measure).toEqual(['podLatency']);
  });
});

describe('docs/kube-burner.md', () => {
  it('lists every kube-burner field the translator knows, with its status', async () => {
    const { readFileSync: read } = await import('node:fs');
    const { fieldSupport } = await import('./translate.js');
    const doc = read('docs/kube-burner.md', 'utf8');
    const label = { mapped: 'supported', note: 'no effect here', unsupported: 'error (exit 2)' };
    for (const [k, f] of Object.entries(fieldSupport)) {
      const name = k.replace(/^(job|object)\./, '');
      expect(doc, k).toContain(`| \`${name}\` | ${label[f.status]}`);
    }
  });
});
