/**
 * The acceptance of issue 13 against the embedded control plane (Milo's API and path scopes, the
 * simulated project controller) with Debian's victoria-metrics: the runner's study end to end through
 * the CLI, the runner's layout, snapshots read from VictoriaMetrics, cleanup, and bad input.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/test-support.js';
import {
  configmaps,
  MILO_API_VERSION,
  projects,
  projectScope,
  secrets,
} from '../../controllers/project/api.js';
import { launchController, type ControllerProcess } from '../../controllers/runtime/launch.js';
import { KubeClient } from '../../kube/client.js';
import { connect } from '../../kube/connect.js';
import { launchTestCluster, type TestCluster } from '../../kube/testing.js';
import type { Results } from '../../results/types.js';
import type { MiloData, RunnerResults } from './data.js';

const small = [
  '--set',
  'NUM_PROJECTS=20',
  '--set',
  'NUM_SECRETS_PER_PROJECT=5',
  '--set',
  'NUM_CONFIGMAPS_PER_PROJECT=5',
  '--set',
  'STABILIZE_SECONDS=2',
  '--set',
  'MEASURE_WINDOW=30s',
];

const dirs: string[] = [];
function outDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kubeperf-milo-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function resultsOf(dir: string): { results: Results; milo: MiloData } {
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
  return { results, milo: (results.phases[0]!.data as { milo: MiloData }).milo };
}

const RUNNER_KEYS = [
  'test_id',
  'timestamp',
  'org_name',
  'num_projects',
  'num_secrets_per_project',
  'num_configmaps_per_project',
  'projects_ready_seconds',
  'metrics',
];
const METRIC_KEYS = ['apiserver_cpu_cores', 'apiserver_mem_bytes', 'etcd_cpu_cores', 'etcd_mem_bytes'];

function expectRunnerLayout(r: RunnerResults, objects: boolean) {
  expect(Object.keys(r)).toEqual(RUNNER_KEYS);
  expect(Object.keys(r.metrics)).toEqual(['baseline', 'after_projects', 'after_secrets']);
  expect(r.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
  expect(r.test_id).toMatch(/^[0-9a-f]{8}$/);
  expect(r.org_name).toBe(`perf-${r.test_id}`);
  for (const s of [
    r.metrics.baseline,
    r.metrics.after_projects,
    ...(objects ? [r.metrics.after_secrets!] : []),
  ]) {
    expect(Object.keys(s)).toEqual(METRIC_KEYS);
    // Read from VictoriaMetrics: the embedded API server process is milo-system/milo-apiserver-0.
    expect(s.apiserver_cpu_cores).toBeGreaterThan(0);
    expect(s.apiserver_mem_bytes).toBeGreaterThan(0);
    // No etcd process on the embedded control plane: missing, not zero.
    expect(s.etcd_cpu_cores).toBeNull();
  }
  if (!objects) expect(r.metrics.after_secrets).toBeNull();
}

describe('kubeperf run milo on the embedded control plane', () => {
  it('runs the runner’s steps: 20 projects Ready, 200 objects, three snapshots from VictoriaMetrics, cleanup', async () => {
    const dir = outDir();
    const r = await runCli(['run', 'milo', ...small, '--out', dir], { timeoutMs: 240_000 });
    expect(r.status, r.stderr).toBe(0);
    const { results, milo } = resultsOf(dir);
    expect(results.verdict).toBe('pass');
    const runner = JSON.parse(readFileSync(join(dir, 'milo-results.json'), 'utf8')) as RunnerResults;
    expectRunnerLayout(runner, true);
    expect(runner).toMatchObject({
      num_projects: 20,
      num_secrets_per_project: 5,
      num_configmaps_per_project: 5,
    });
    expect(runner.projects_ready_seconds).toBeGreaterThan(0);
    expect(milo.runner).toEqual(runner);
    expect(milo.metrics?.source).toContain('victoria-metrics');
    for (const s of ['baseline', 'after_projects', 'after_secrets'] as const) {
      expect(milo.snapshots?.[s]).toMatchObject({ status: 'ok', variant: 'pod,container' });
    }
    // Created, then found by listing each project's own control plane.
    expect(milo.projects).toMatchObject({ requested: 20, created: 20, ready: 20 });
    expect(milo.projects!.list.every((p) => p.readyMs! > 0 && p.name.startsWith(`${milo.orgName}-p-0`))).toBe(
      true,
    );
    expect(milo.objects).toMatchObject({
      secrets: { created: 100, errors: 0 },
      configmaps: { created: 100, errors: 0 },
      listed: { secrets: 100, configmaps: 100, projectsChecked: 20 },
    });
    const ops = results.phases[0]!.ops;
    expect(ops['create-project']!.count).toBe(20);
    expect(ops['project-ready']).toMatchObject({ count: 20, errors: 0 });
    expect(ops['create-secret']!.count + ops['create-configmap']!.count).toBe(200);
    expect(milo.checkpoints.map((c) => [c.phase, c.ok])).toEqual([
      ['init', true],
      ['org-created', true],
      ['projects-ready', true],
      ['complete', true],
    ]);
    // The end of the run cleans up like the runner's cleanup mode, and finds nothing left.
    expect(milo.cleanup).toMatchObject({
      deleted: { secrets: 100, configmaps: 100, projects: 20, organization: true, configMap: true },
      remainingProjects: [],
      errors: [],
    });
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('After-projects (per-project deltas)');
  });

  it('with RUN_OBJECTS_PHASE=false has after_secrets null and creates no objects', async () => {
    const dir = outDir();
    const r = await runCli(['run', 'milo', ...small, '--set', 'RUN_OBJECTS_PHASE=false', '--out', dir], {
      timeoutMs: 180_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const { results, milo } = resultsOf(dir);
    const runner = JSON.parse(readFileSync(join(dir, 'milo-results.json'), 'utf8')) as RunnerResults;
    expectRunnerLayout(runner, false);
    expect(milo.snapshots?.after_secrets).toBeNull();
    expect(milo.objects).toBeUndefined();
    expect(results.phases[0]!.ops['create-secret']).toBeUndefined();
    expect(results.phases[0]!.ops['create-configmap']).toBeUndefined();
    expect(milo.cleanup?.deleted).toMatchObject({ secrets: 0, configmaps: 0, projects: 20 });
  });
});

describe('kubeperf run milo against a kubeconfig target, then kubeperf cleanup --milo', () => {
  let cluster: TestCluster;
  let controller: ControllerProcess;
  let client: KubeClient;
  beforeAll(async () => {
    cluster = await launchTestCluster({
      milo: true,
      apiserverContainer: { namespace: 'milo-system', pod: 'milo-apiserver-0', container: 'apiserver' },
    });
    controller = await launchController('project', { kubeconfig: cluster.target.kubeconfigPath! });
    client = await connect(cluster.target);
  });
  afterAll(async () => {
    await client?.close();
    await controller?.stop();
    await cluster?.stop();
  });

  it('leaves what it made with --keep (checked by listing each project scope), and cleanup --milo removes exactly that', async () => {
    const dir = outDir();
    const kc = cluster.target.kubeconfigPath!;
    const r = await runCli(['run', 'milo', '--kubeconfig', kc, '--keep', ...small, '--out', dir], {
      timeoutMs: 240_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const { milo } = resultsOf(dir);
    const selector = `app=milo-perf,test-id=${milo.testId}`;
    const listed = (await client.listAll(projects, undefined, { labelSelector: selector })).items;
    expect(listed.map((p) => p.metadata.name).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `${milo.orgName}-p-${String(i + 1).padStart(3, '0')}`),
    );
    let objects = 0;
    for (const p of listed) {
      const scoped = new KubeClient(client.rest.withPathPrefix(projectScope(p.metadata.name!)), 'v1.28');
      const s = await scoped.listAll(secrets, 'default', { labelSelector: selector });
      const c = await scoped.listAll(configmaps, 'default', { labelSelector: selector });
      expect([s.items.length, c.items.length]).toEqual([5, 5]);
      expect(s.items[0]!.metadata.labels).toMatchObject({
        app: 'milo-perf',
        'test-id': milo.testId,
        'kubeperf.io/run-id': expect.any(String),
      });
      objects += s.items.length + c.items.length;
    }
    expect(objects).toBe(200);
    // The runner's ConfigMap, with its keys, on the run's target.
    const cm = JSON.parse(
      (
        await client.rest.request({
          method: 'GET',
          path: '/api/v1/namespaces/milo-system/configmaps/perf-results',
        })
      ).body,
    );
    expect(Object.keys(cm.data).sort()).toEqual([
      'org_name',
      'phase',
      'report.html',
      'results.json',
      'test_id',
    ]);
    expect(cm.data).toMatchObject({ test_id: milo.testId, org_name: milo.orgName, phase: 'complete' });
    expect(JSON.parse(cm.data['results.json'])).toEqual(milo.runner);

    // An object of someone else in a project scope must survive the cleanup.
    const scope0 = client.rest.withPathPrefix(projectScope(listed[0]!.metadata.name!));
    const theirs = await scope0.request({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-ours' } }),
    });
    expect(theirs.status).toBe(201);

    const c = await runCli(['cleanup', '--milo', '--kubeconfig', kc, '--json'], { timeoutMs: 120_000 });
    expect(c.status, c.stderr).toBe(0);
    const report = JSON.parse(c.stdout);
    expect(report).toMatchObject({
      testId: milo.testId,
      from: 'configmap',
      deleted: { secrets: 100, configmaps: 100, projects: 20, organization: true, configMap: true },
      remainingProjects: [],
    });
    expect((await client.listAll(projects, undefined, { labelSelector: selector })).items).toEqual([]);
    expect((await client.listAll(projects, undefined, {})).items).toEqual([]);
    const org = await client.rest.request({
      method: 'GET',
      path: `/apis/${MILO_API_VERSION}/organizations/${milo.orgName}`,
    });
    expect(org.status).toBe(404);
    const gone = await client.rest.request({
      method: 'GET',
      path: '/api/v1/namespaces/milo-system/configmaps/perf-results',
    });
    expect(gone.status).toBe(404);
    // Nothing labelled is left anywhere at the root either.
    const root = await client.rest.request({
      method: 'GET',
      path: `/api/v1/configmaps?labelSelector=${encodeURIComponent(selector)}`,
    });
    expect(JSON.parse(root.body).items).toEqual([]);
  });
});

describe('kubeperf run milo: bad input and failures', () => {
  it('rejects an unknown knob and suggests the right name (exit 2, nothing sent)', async () => {
    const r = await runCli(['run', 'milo', '--set', 'NUM_PROJETCS=5'], { timeoutMs: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no variable NUM_PROJETCS (did you mean NUM_PROJECTS?)');
  });

  it('records an unreachable VictoriaMetrics as missing snapshots with a warning, and names the project that never became Ready', async () => {
    const dir = outDir();
    const r = await runCli(
      [
        'run',
        'milo',
        '--set',
        'NUM_PROJECTS=2',
        '--set',
        'RUN_OBJECTS_PHASE=false',
        '--set',
        'STABILIZE_SECONDS=0',
        '--set',
        'VM_BASE_URL=http://127.0.0.1:1',
        '--set',
        'phases.0.metricsAttempts=1',
        // No project controller: nothing ever sets Ready.
        '--set',
        'phases.0.startController=never',
        '--set',
        'phases.0.readyTimeout=2s',
        '--out',
        dir,
      ],
      { timeoutMs: 120_000 },
    );
    expect(r.status).toBe(4);
    const { results, milo } = resultsOf(dir);
    expect(results.verdict).toBe('invalid');
    const baseline = milo.snapshots!.baseline!;
    expect(baseline.status).toBe('missing');
    expect(baseline.reason).toContain('127.0.0.1:1');
    expect(Object.values(baseline.values)).toEqual([null, null, null, null]);
    expect(results.phases[0]!.warnings!.join('\n')).toContain('snapshot baseline missing');
    const name = `${milo.orgName}-p-001`;
    expect(results.phases[0]!.invalidReasons![0]).toContain(`Timed out waiting for projects/${name} Ready`);
    expect(milo.projects!.timedOut).toEqual([name, `${milo.orgName}-p-002`]);
    expect(r.stderr).toContain(`projects/${name}`);
  });
});
