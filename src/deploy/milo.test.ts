/**
 * `kubeperf deploy milo` (issue 13, part 6), as Milo's runner is deployed: two clusters — the Job's
 * cluster (embedded, TLS), where the service account may touch only the configmaps of NS and the
 * Secret with Milo's kubeconfig lives, and an embedded Milo (`milo: true`, with the simulated
 * project controller and a real VictoriaMetrics scraping its container metrics). The rendered Job,
 * cleanup Job and Role apply with `kubectl apply --dry-run=server` and grant exactly what the
 * study does; the Job's pod, run here as the kubelet would, measures Milo, writes `perf-results`
 * and kubeperf's results ConfigMap, which `kubeperf collect` reassembles; the cleanup Job removes
 * the test; and every request either pod sent to its own cluster is one the Role grants.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/test-support.js';
import { MILO_API_VERSION, projects } from '../controllers/project/api.js';
import { launchController, type ControllerProcess } from '../controllers/runtime/launch.js';
import { silentLogger } from '../core/logger.js';
import type { KubeClient } from '../kube/client.js';
import { connect } from '../kube/connect.js';
import { launchTestCluster, type TestCluster } from '../kube/testing.js';
import { sleep } from '../load/sleep.js';
import { counterDiff, parsePromText, type Scrape } from '../metrics/prom-text.js';
import { instantQuery } from '../metrics/promql-client.js';
import { startLocalStack, type LocalStack } from '../monitoring/stack.js';
import type { MiloData } from '../phases/milo/data.js';
import type { Results } from '../results/types.js';
import { KUBECONFIG_MOUNT, type Manifest } from './manifests.js';
import type { PolicyRule } from './rbac.js';
import { kubectlApplyDryRun, ofKind, parseManifests, runJobLocally } from './testing.js';

let infra: TestCluster;
let milo: TestCluster;
let infraClient: KubeClient;
let miloClient: KubeClient;
let controller: ControllerProcess;
let vm: LocalStack;
let dir: string;

const NS = 'milo-system';
const SECRET = 'milo-controller-manager-kubeconfig';

beforeAll(async () => {
  [infra, milo] = await Promise.all([
    launchTestCluster({ tls: true }),
    launchTestCluster({
      milo: true,
      apiserverContainer: { namespace: NS, pod: 'milo-apiserver-0', container: 'apiserver' },
    }),
  ]);
  infraClient = await connect(infra.target);
  miloClient = await connect(milo.target);
  dir = mkdtempSync(join(tmpdir(), 'kubeperf-deploy-milo-'));
  controller = await launchController('project', { kubeconfig: milo.target.kubeconfigPath! });
  // The Job's namespace, with Milo's kubeconfig in the Secret the runner's Job mounts.
  const post = async (path: string, body: object) => {
    const r = await infraClient.rest.request({ method: 'POST', path, body: JSON.stringify(body) });
    expect(r.status, r.body).toBe(201);
  };
  await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await post(`/api/v1/namespaces/${NS}/secrets`, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: SECRET },
    data: { kubeconfig: readFileSync(milo.target.kubeconfigPath!).toString('base64') },
  });
  // Milo's VictoriaMetrics: scrapes the embedded Milo's container metrics every second; ready once
  // the apiserver's CPU counter has moved between two samples.
  vm = await startLocalStack({
    backend: 'victoriametrics',
    scrapeIntervalMs: 1000,
    target: { target: milo.target, cadvisorPath: '/metrics/cadvisor' },
    log: silentLogger,
  });
  const cpu = `sum(rate(container_cpu_usage_seconds_total{namespace="${NS}",pod=~"milo-apiserver.*"}[30s]))`;
  for (let i = 0; i < 60; i++) {
    await vm.endpoint.flush?.().catch(() => {});
    const v = await instantQuery(vm.endpoint, cpu, Date.now() / 1000).catch(() => []);
    if ((v[0]?.value ?? 0) > 0) break;
    await sleep(1000);
  }
}, 180_000);

afterAll(async () => {
  await vm?.stop();
  await controller?.stop();
  await infraClient?.close();
  await miloClient?.close();
  await Promise.all([infra?.stop(), milo?.stop()]);
});

const podOf = (list: Manifest[]) => ofKind(list, 'Job').spec.template.spec;
const envOf = (list: Manifest[]) =>
  Object.fromEntries(
    (podOf(list).containers[0].env as { name: string; value: string }[]).map((e) => [e.name, e.value]),
  );

/** The Role the runner's Job has: configmaps of NS, nothing else, nothing cluster-wide. */
const runRole: PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'create', 'update', 'patch', 'delete'] },
];
const cleanupRole: PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'create', 'patch', 'delete'] },
];

async function requestCounts(c: KubeClient): Promise<Scrape> {
  const r = await c.rest.request({ method: 'GET', path: '/metrics' });
  return parsePromText(r.body, ['apiserver_request_total']);
}

interface Request {
  verb: string;
  group: string;
  resource: string;
}

/**
 * The requests sent to a cluster between two scrapes of its /metrics, by verb and resource (or
 * non-resource path), less the first scrape itself.
 */
function requestsBetween(before: Scrape, after: Scrape): Request[] {
  const diff = counterDiff(before, after, 'apiserver_request_total', [
    'group',
    'resource',
    'subresource',
    'verb',
  ]);
  const out: Request[] = [];
  for (const { labels: l, value } of diff.values()) {
    const resource = !l.resource
      ? l.subresource!
      : l.subresource
        ? `${l.resource}/${l.subresource}`
        : l.resource;
    if (resource === '/metrics' && l.verb === 'GET' && value === 1) continue;
    out.push({ verb: l.verb!, group: l.group ?? '', resource });
  }
  return out;
}

/** Runs Job NS/name as its pod would; with the requests it sent to the Job's cluster meanwhile. */
async function runJobCountingRequests(name: string, podDir: string) {
  let before: Scrape | undefined;
  const pod = await runJobLocally({
    cluster: infra,
    client: infraClient,
    namespace: NS,
    name,
    dir: join(dir, podDir),
    beforeRun: async () => void (before = await requestCounts(infraClient)),
  });
  return { ...pod, sent: requestsBetween(before!, await requestCounts(infraClient)) };
}

const show = (r: Request) => `${r.verb} ${r.resource}${r.group ? `.${r.group}` : ''}`;

/** The requests a Role with these rules would refuse. */
function ungranted(requests: Request[], rules: PolicyRule[]): string[] {
  const rbacVerb: Record<string, string> = {
    GET: 'get',
    LIST: 'list',
    WATCH: 'watch',
    POST: 'create',
    PUT: 'update',
    PATCH: 'patch',
    // Server-side apply: patch, and create for an object that does not exist yet.
    APPLY: 'patch',
    DELETE: 'delete',
  };
  return requests
    .filter((r) => {
      // Discovery and /version: every authenticated user may (system:discovery, public-info-viewer).
      if (/^\/(api|apis|apis\/\*|version|healthz|livez|readyz)$/.test(r.resource) && r.verb === 'GET')
        return false;
      const verb = rbacVerb[r.verb] ?? r.verb.toLowerCase();
      const creates = r.verb === 'APPLY' ? ['create'] : [];
      return !rules.some(
        (x) =>
          x.apiGroups?.includes(r.group) &&
          x.resources?.includes(r.resource) &&
          [verb, ...creates].every((v) => x.verbs.includes(v)),
      );
    })
    .map(show);
}

describe('kubeperf deploy milo --dry-run', () => {
  it('the runner Job, its cleanup Job and a Role on the configmaps of NS; the YAML applies with kubectl --dry-run=server', async () => {
    const r = await runCli([
      'deploy',
      'milo',
      '--dry-run',
      '--run-id',
      'milo-1',
      '--env',
      'NUM_PROJECTS=500',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const list = parseManifests(r.stdout);
    expect(list.map((m) => m.kind)).toEqual(['ServiceAccount', 'Role', 'RoleBinding', 'Job']);
    expect(list.every((m) => m.metadata.namespace === NS)).toBe(true);
    expect(ofKind(list, 'Role').rules).toEqual(runRole);
    const pod = podOf(list);
    expect(pod.containers[0].args).toEqual([
      'run',
      'milo',
      '--kubeconfig',
      `${KUBECONFIG_MOUNT}/kubeconfig`,
      '--run-id',
      'milo-1',
      '--out',
      '/tmp/kubeperf-results',
      '--results-namespace',
      NS,
      '--results-kubeconfig',
      'in-cluster',
      '--keep',
    ]);
    // The knobs given, and NS: the Job's namespace, where perf-results goes.
    expect(envOf(list)).toEqual({ CI: 'true', NUM_PROJECTS: '500', NS });
    expect(pod.volumes).toContainEqual({ name: 'kubeconfig', secret: { secretName: SECRET } });
    writeFileSync(join(dir, 'run.yaml'), r.stdout);
    expect(await kubectlApplyDryRun(infra, join(dir, 'run.yaml'))).toMatch(
      /job.batch\/kubeperf-milo-1 created \(server dry run\)/,
    );

    // The cleanup Job: the same deploy in the runner's cleanup mode, for one test or the last one.
    const c = await runCli([
      'deploy',
      'milo',
      '--dry-run',
      '--cleanup',
      '--run-id',
      'milo-1c',
      '--env',
      'TEST_ID=0123abcd',
      '--env',
      'ORG_NAME=perf-0123abcd',
      '--env',
      `MILO_KUBECONFIG_SECRET_NAME=other-kubeconfig`,
    ]);
    expect(c.status, c.stderr).toBe(0);
    const cl = parseManifests(c.stdout);
    expect(ofKind(cl, 'Role').rules).toEqual(cleanupRole);
    expect(envOf(cl)).toEqual({
      CI: 'true',
      RUN_MODE: 'cleanup',
      TEST_ID: '0123abcd',
      ORG_NAME: 'perf-0123abcd',
      NS,
    });
    // The Secret's name is used to mount it; the pod then reaches Milo through the mounted file.
    expect(podOf(cl).volumes).toContainEqual({
      name: 'kubeconfig',
      secret: { secretName: 'other-kubeconfig' },
    });
    writeFileSync(join(dir, 'cleanup.yaml'), c.stdout);
    expect(await kubectlApplyDryRun(infra, join(dir, 'cleanup.yaml'))).toMatch(
      /job.batch\/kubeperf-milo-1c created \(server dry run\)/,
    );

    // NS picks the namespace; --namespace sets NS.
    const perf = parseManifests(
      (await runCli(['deploy', 'milo', '--dry-run', '--run-id', 'm2', '--namespace', 'perf'])).stdout,
    );
    expect(ofKind(perf, 'Job').metadata.namespace).toBe('perf');
    expect(envOf(perf).NS).toBe('perf');
  }, 120_000);

  it('a milo phase without the deploy block: Milo as the Job’s own target, or its kubeconfig read from a Secret by name', async () => {
    const rulesOf = async (yaml: string) => {
      const file = join(dir, `milo-${Math.random().toString(36).slice(2)}.yaml`);
      writeFileSync(file, yaml);
      const r = await runCli(['deploy', file, '--dry-run', '--namespace', NS]);
      expect(r.status, r.stderr).toBe(0);
      const list = parseManifests(r.stdout);
      return { role: ofKind(list, 'Role').rules, cluster: ofKind(list, 'ClusterRole')?.rules };
    };
    // Milo is the target: its two kinds (resolved without discovery), the project-scoped objects.
    const self = await rulesOf('phases:\n  - type: milo\n');
    expect(self.role).toEqual(runRole);
    expect(self.cluster).toEqual([
      { apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['list', 'create', 'delete'] },
      {
        apiGroups: ['resourcemanager.miloapis.com'],
        resources: ['organizations'],
        verbs: ['get', 'create', 'delete'],
      },
      {
        apiGroups: ['resourcemanager.miloapis.com'],
        resources: ['projects'],
        verbs: ['get', 'list', 'watch', 'create', 'delete'],
      },
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ]);
    // Milo elsewhere, its kubeconfig read from a Secret: that one Secret, by name.
    const secret = await rulesOf('phases:\n  - type: milo\n    miloKubeconfigSecretName: milo-kc\n');
    expect(secret.cluster).toBeUndefined();
    expect(secret.role).toEqual([
      ...runRole,
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['milo-kc'], verbs: ['get'] },
    ]);
  }, 120_000);

  it('bad input is exit 2: a misspelt knob (with the right name), NS against --namespace, --cleanup of a study without one', async () => {
    let r = await runCli(['deploy', 'milo', '--dry-run', '--env', 'NUM_PROJETCS=5']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--env NUM_PROJETCS=5: ');
    expect(r.stderr).toContain('has no variable NUM_PROJETCS (did you mean NUM_PROJECTS?)');
    r = await runCli(['deploy', 'milo', '--dry-run', '--namespace', 'perf', '--env', 'NS=other']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--namespace perf and NS=other disagree/);
    r = await runCli(['deploy', 'milo', '--dry-run', '--cleanup', '--env', 'RUN_MODE=run']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--cleanup sets RUN_MODE=cleanup, which --env RUN_MODE=run contradicts/);
    r = await runCli(['deploy', 'examples/crud-configmaps.yaml', '--dry-run', '--cleanup']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/has no cleanup mode/);
  }, 120_000);
});

describe('kubeperf deploy milo: the Job in the cluster, then the cleanup Job', () => {
  const kc = () => infra.target.kubeconfigPath!;
  let testId = '';
  let orgName = '';

  it('measures Milo through the mounted kubeconfig, writes perf-results and the results ConfigMap; collect reassembles them', async () => {
    const deployed = await runCli([
      'deploy',
      'milo',
      '--kubeconfig',
      kc(),
      '--run-id',
      'milo-ic',
      ...[
        '--env',
        'NUM_PROJECTS=5',
        '--env',
        'NUM_SECRETS_PER_PROJECT=3',
        '--env',
        'NUM_CONFIGMAPS_PER_PROJECT=3',
      ],
      ...[
        '--env',
        'STABILIZE_SECONDS=1',
        '--env',
        'MEASURE_WINDOW=30s',
        '--env',
        `VM_BASE_URL=${vm.endpoint.url}`,
      ],
    ]);
    expect(deployed.status, deployed.stderr).toBe(0);
    const { result, mounts, sent } = await runJobCountingRequests('kubeperf-milo-ic', 'pod-run');
    expect(result.status, result.stderr.slice(-4000)).toBe(0);
    // perf-results read, created and replaced; kubeperf's results applied: all within the Role.
    expect(sent.map(show)).toEqual(
      expect.arrayContaining(['GET configmaps', 'POST configmaps', 'PUT configmaps', 'APPLY configmaps']),
    );
    expect(ungranted(sent, runRole)).toEqual([]);
    // The check bites: without update, replacing perf-results would be refused.
    expect(ungranted(sent, [{ ...runRole[0]!, verbs: ['get', 'create', 'patch', 'delete'] }])).toEqual([
      'PUT configmaps',
    ]);
    expect(result.stderr).toMatch(/results → ConfigMap milo-system\/kubeperf-results-milo-ic/);

    const local = readFileSync(join(mounts['/tmp']!, 'kubeperf-results', 'results.json'));
    const results = JSON.parse(local.toString('utf8')) as Results;
    expect(results.verdict).toBe('pass');
    expect(results.target.server).toBe(milo.target.server);
    const data = (results.phases[0]!.data as { milo: MiloData }).milo;
    ({ testId, orgName } = data);
    expect(data.projects).toMatchObject({ requested: 5, created: 5, ready: 5 });
    expect(data.objects).toMatchObject({ listed: { secrets: 15, configmaps: 15, projectsChecked: 5 } });
    expect(data.metrics).toMatchObject({ source: 'VM_BASE_URL', url: vm.endpoint.url });
    for (const s of ['baseline', 'after_projects', 'after_secrets'] as const) {
      expect(data.snapshots?.[s]).toMatchObject({ status: 'ok' });
      expect(data.snapshots![s]!.values.apiserver_cpu_cores).toBeGreaterThan(0);
    }
    expect(data.checkpoints.every((c) => c.ok)).toBe(true);

    // perf-results, in the runner's layout, on the Job's cluster (not on Milo).
    const cm = JSON.parse(
      (
        await infraClient.rest.request({
          method: 'GET',
          path: `/api/v1/namespaces/${NS}/configmaps/perf-results`,
        })
      ).body,
    ) as { data: Record<string, string> };
    expect(Object.keys(cm.data).sort()).toEqual([
      'org_name',
      'phase',
      'report.html',
      'results.json',
      'test_id',
    ]);
    expect(cm.data).toMatchObject({ test_id: testId, org_name: orgName, phase: 'complete' });
    expect(JSON.parse(cm.data['results.json']!)).toEqual(data.runner);
    const onMilo = await miloClient.rest.request({
      method: 'GET',
      path: `/api/v1/namespaces/${NS}/configmaps/perf-results`,
    });
    expect(onMilo.status).toBe(404);

    // kubeperf's results ConfigMap, reassembled byte for byte.
    const out = join(dir, 'collected');
    const c = await runCli([
      'collect',
      '--namespace',
      NS,
      '--run-id',
      'milo-ic',
      '--out',
      out,
      '--kubeconfig',
      kc(),
    ]);
    expect(c.status, c.stderr).toBe(0);
    expect(readFileSync(join(out, 'results.json')).equals(local)).toBe(true);

    // The run kept what it made (the runner's Job does): the cleanup Job removes it.
    const kept = await miloClient.listAll(projects, undefined, {
      labelSelector: `app=milo-perf,test-id=${testId}`,
    });
    expect(kept.items).toHaveLength(5);
  }, 300_000);

  it('the cleanup Job finds the test in perf-results and removes it, on Milo and in NS', async () => {
    expect(testId).toMatch(/^[0-9a-f]{8}$/);
    const deployed = await runCli([
      'deploy',
      'milo',
      '--kubeconfig',
      kc(),
      '--run-id',
      'milo-ic-clean',
      '--cleanup',
    ]);
    expect(deployed.status, deployed.stderr).toBe(0);
    const { result, mounts, sent } = await runJobCountingRequests('kubeperf-milo-ic-clean', 'pod-cleanup');
    expect(result.status, result.stderr.slice(-4000)).toBe(0);
    expect(sent.map(show)).toEqual(expect.arrayContaining(['GET configmaps', 'DELETE configmaps']));
    expect(ungranted(sent, cleanupRole)).toEqual([]);
    const results = JSON.parse(
      readFileSync(join(mounts['/tmp']!, 'kubeperf-results', 'results.json'), 'utf8'),
    ) as Results;
    expect((results.phases[0]!.data as { milo: MiloData }).milo.cleanup).toMatchObject({
      testId,
      orgName,
      from: 'configmap',
      deleted: { secrets: 15, configmaps: 15, projects: 5, organization: true, configMap: true },
      remainingProjects: [],
      errors: [],
    });
    const cm = await infraClient.rest.request({
      method: 'GET',
      path: `/api/v1/namespaces/${NS}/configmaps/perf-results`,
    });
    expect(cm.status).toBe(404);
    expect((await miloClient.listAll(projects, undefined, {})).items).toEqual([]);
    const org = await miloClient.rest.request({
      method: 'GET',
      path: `/apis/${MILO_API_VERSION}/organizations/${orgName}`,
    });
    expect(org.status).toBe(404);
  }, 240_000);
});
