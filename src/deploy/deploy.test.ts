/**
 * `kubeperf deploy` against the embedded control plane (TLS, as kubectl needs): the --dry-run
 * manifests apply with `kubectl apply --dry-run=server` and grant exactly what the study uses; bad
 * input is exit 2; and an in-cluster run (the Job's own command, executed here with the service
 * account's token file, CA and KUBERNETES_SERVICE_HOST/PORT pointing at the control plane, and the
 * study ConfigMap projected as the kubelet would) writes the results ConfigMap, from which
 * `deploy --wait` and `collect` reassemble a results.json identical to the run's own.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../cli/test-support.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { connect } from '../kube/connect.js';
import { launchTestCluster, type TestCluster } from '../kube/testing.js';
import { STUDY_MOUNT, RESULTS_DIR } from './manifests.js';
import { kubectlApplyDryRun, ofKind, parseManifests, runJobLocally } from './testing.js';

let cluster: TestCluster;
let client: KubeClient;
let dir: string;

beforeAll(async () => {
  cluster = await launchTestCluster({ tls: true });
  client = await connect(cluster.target);
  dir = mkdtempSync(join(tmpdir(), 'kubeperf-deploy-'));
});
afterAll(async () => {
  await client?.close();
  await cluster?.stop();
});

/** What deploy renders for a study on the Job's own cluster, in order. */
const KINDS = [
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'ClusterRole',
  'ClusterRoleBinding',
  'ConfigMap',
  'Job',
];
/** The Role in the deploy namespace: the results ConfigMap, nothing else. */
const resultsRule = { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'patch'] };

describe('kubeperf deploy --dry-run', () => {
  it('crud-configmaps: least-privilege rules, and the YAML applies with kubectl --dry-run=server', async () => {
    const r = await runCli(['deploy', 'examples/crud-configmaps.yaml', '--dry-run', '--run-id', 'crud-1']);
    expect(r.status, r.stderr).toBe(0);
    const list = parseManifests(r.stdout);
    expect(list.map((m) => m.kind)).toEqual(KINDS);
    // The study's own namespace (kubeperf-crud) is created at run time, so its ConfigMaps and the
    // namespace itself are cluster-scoped grants; the deploy namespace holds only the results.
    expect(ofKind(list, 'Role').rules).toEqual([resultsRule]);
    expect(ofKind(list, 'ClusterRole').rules).toEqual([
      {
        apiGroups: [''],
        resources: ['configmaps'],
        verbs: ['get', 'list', 'create', 'update', 'patch', 'delete', 'deletecollection'],
      },
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'create', 'delete'] },
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ]);
    const job = ofKind(list, 'Job');
    expect(job.spec.template.spec.containers[0].args).toEqual([
      'run',
      `${STUDY_MOUNT}/crud-configmaps.yaml`,
      '--kubeconfig',
      'in-cluster',
      '--run-id',
      'crud-1',
      '--out',
      RESULTS_DIR,
      '--results-namespace',
      'default',
    ]);
    writeFileSync(join(dir, 'crud.yaml'), r.stdout);
    const applied = await kubectlApplyDryRun(cluster, join(dir, 'crud.yaml'));
    expect(applied.trim().split('\n')).toHaveLength(7);
    expect(applied).toMatch(/job.batch\/kubeperf-crud-1 created \(server dry run\)/);
  }, 120_000);

  it('a kro study: the RGD, its instances (a kind kro generates), their namespaces and children; the YAML applies with kubectl --dry-run=server', async () => {
    const r = await runCli(['deploy', 'examples/kro/webapp-200.yaml', '--dry-run', '--run-id', 'kro-1']);
    expect(r.status, r.stderr).toBe(0);
    const list = parseManifests(r.stdout);
    expect(list.map((m) => m.kind)).toEqual(KINDS);
    expect(ofKind(list, 'Role').rules).toEqual([resultsRule]);
    // WebApp instances in 4 namespaces it creates, updated and deleted; children counted by label
    // across namespaces; the RGD (cluster-scoped); the API server's /metrics (requests per instance).
    expect(ofKind(list, 'ClusterRole').rules).toEqual([
      { apiGroups: [''], resources: ['configmaps', 'services'], verbs: ['list'] },
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'create', 'delete'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['list'] },
      {
        apiGroups: ['kro.run'],
        resources: ['resourcegraphdefinitions'],
        verbs: ['get', 'list', 'create', 'update', 'delete'],
      },
      {
        apiGroups: ['kro.run'],
        resources: ['webapps'],
        verbs: ['list', 'watch', 'create', 'patch', 'delete', 'deletecollection'],
      },
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ]);
    writeFileSync(join(dir, 'kro.yaml'), r.stdout);
    expect(await kubectlApplyDryRun(cluster, join(dir, 'kro.yaml'))).toMatch(
      /clusterrole.rbac.authorization.k8s.io\/kubeperf-kro-1 created \(server dry run\)/,
    );

    // kro's /metrics through a service proxy; with the simulated controller in the pod, what it does.
    const real = parseManifests((await runCli(['deploy', 'examples/kro/real-kro.yaml', '--dry-run'])).stdout);
    expect(ofKind(real, 'ClusterRole').rules).toContainEqual({
      apiGroups: [''],
      resources: ['services/proxy'],
      verbs: ['get'],
    });
    const sim = await runCli([
      'deploy',
      'examples/kro/webapp-200.yaml',
      '--dry-run',
      '--set',
      'phases.0.controller=simulated',
    ]);
    expect(sim.status, sim.stderr).toBe(0);
    const simRules = ofKind(parseManifests(sim.stdout), 'ClusterRole').rules as {
      resources?: string[];
      verbs: string[];
    }[];
    const verbsOf = (resource: string) => simRules.find((x) => x.resources?.includes(resource))?.verbs;
    expect(verbsOf('customresourcedefinitions')).toEqual([
      'get',
      'list',
      'watch',
      'create',
      'update',
      'delete',
    ]);
    expect(verbsOf('resourcegraphdefinitions/status')).toEqual(['update']);
    expect(verbsOf('webapps/status')).toEqual(['update']);
    expect(verbsOf('deployments')).toEqual(['get', 'list', 'watch', 'create', 'patch', 'delete']);
  }, 120_000);

  it('--workers 3: an Indexed Job of 3, each pod its share, with barrier Leases in the Role', async () => {
    const r = await runCli([
      'deploy',
      'examples/api-intensive/api-intensive.yaml',
      '--dry-run',
      '--workers',
      '3',
      '--namespace',
      'perf',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const list = parseManifests(r.stdout);
    const job = ofKind(list, 'Job');
    expect(job.spec).toMatchObject({
      completionMode: 'Indexed',
      completions: 3,
      parallelism: 3,
      backoffLimit: 0,
    });
    const args: string[] = job.spec.template.spec.containers[0].args;
    expect(args.join(' ')).toContain('--worker $(JOB_COMPLETION_INDEX)/3 --barrier-namespace perf');
    expect(ofKind(list, 'Role').rules).toContainEqual({
      apiGroups: ['coordination.k8s.io'],
      resources: ['leases'],
      verbs: ['list', 'watch', 'create', 'delete'],
    });
    // The templates it references are shipped and projected under their relative paths.
    const items = job.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'study').configMap
      .items;
    expect(items.map((i: { path: string }) => i.path).sort()).toEqual([
      'api-intensive.yaml',
      'templates/configmap.yaml.tmpl',
      'templates/patch-apply.yaml.tmpl',
      'templates/patch-json.json.tmpl',
      'templates/patch-merge.yaml.tmpl',
      'templates/secret.yaml.tmpl',
    ]);
  }, 60_000);

  it('a study that measures another cluster (deploy.kubeconfigSecret): the service account only writes results; env knobs and rules from the study', async () => {
    writeFileSync(
      join(dir, 'remote.yaml'),
      [
        'phases:',
        '  - type: crud',
        '    objects: ${OBJECTS}',
        'deploy:',
        '  kubeconfigSecret: {name: milo-kubeconfig}',
        '  env: {OBJECTS: "10", MODE: fast}',
        '  rules:',
        '    - {resources: [secrets], verbs: [get], resourceNames: [milo-kubeconfig]}',
        '',
      ].join('\n'),
    );
    const r = await runCli([
      'deploy',
      join(dir, 'remote.yaml'),
      '--dry-run',
      '--run-id',
      'm1',
      '--env',
      'OBJECTS=20',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const list = parseManifests(r.stdout);
    expect(list.map((m) => m.kind)).not.toContain('ClusterRole');
    expect(ofKind(list, 'Role').rules).toEqual([
      resultsRule,
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['milo-kubeconfig'], verbs: ['get'] },
    ]);
    const pod = ofKind(list, 'Job').spec.template.spec;
    expect(pod.containers[0].args.join(' ')).toContain(
      '--kubeconfig /etc/kubeperf/kubeconfig/kubeconfig --run-id m1',
    );
    expect(pod.containers[0].args).toContain('--results-kubeconfig');
    expect(pod.containers[0].env).toEqual([
      { name: 'CI', value: 'true' },
      { name: 'OBJECTS', value: '20' },
      { name: 'MODE', value: 'fast' },
    ]);
    expect(pod.volumes).toContainEqual({ name: 'kubeconfig', secret: { secretName: 'milo-kubeconfig' } });
  }, 60_000);

  it('bad input is exit 2 with the reason: --workers 0, a kind nobody knows, no cluster without --dry-run', async () => {
    let r = await runCli(['deploy', 'examples/crud-configmaps.yaml', '--dry-run', '--workers', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--workers 0: must be a whole number of at least 1/);
    writeFileSync(
      join(dir, 'widgets.yaml'),
      `phases:\n  - type: job\n    objects:\n      - objectTemplate: |\n          apiVersion: example.com/v1\n          kind: Widget\n          metadata: {name: w-{{.Iteration}}}\n`,
    );
    r = await runCli(['deploy', join(dir, 'widgets.yaml'), '--dry-run']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /kind Widget \(example\.com\/v1\) is unknown to the built-in Kubernetes v1\.28 kind table/,
    );
    r = await runCli([
      'deploy',
      join(dir, 'widgets.yaml'),
      '--dry-run',
      '--kubeconfig',
      cluster.target.kubeconfigPath!,
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /kind Widget \(example\.com\/v1\) is unknown to discovery of https:\/\/127\.0\.0\.1/,
    );
    r = await runCli(['deploy', 'examples/crud-configmaps.yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/pass --kubeconfig/);
  }, 120_000);
});

describe('an in-cluster run', () => {
  it('writes the results ConfigMap; deploy --wait and collect reassemble the identical results.json', async () => {
    const studyDir = join(dir, 'study');
    mkdirSync(join(studyDir, 'templates'), { recursive: true });
    writeFileSync(
      join(studyDir, 'templates', 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{{.Iteration}}\ndata:\n  n: "{{.Iteration}}"\n',
    );
    writeFileSync(
      join(studyDir, 'small.yaml'),
      'name: in-cluster\nphases:\n  - type: job\n    name: create\n    jobIterations: 20\n    namespacedIterations: false\n    namespace: ic\n    objects:\n      - objectTemplate: templates/cm.yaml\n  - type: crud\n    name: crud\n    objects: 50\nthresholds:\n  - errors.rate < 1%\n',
    );
    const kc = cluster.target.kubeconfigPath!;
    const out = join(dir, 'collected');
    const deploy = spawnCli([
      'deploy',
      join(studyDir, 'small.yaml'),
      '--kubeconfig',
      kc,
      '--run-id',
      'ic-1',
      '--wait',
      '--timeout',
      '4m',
      '--out',
      out,
      '--json',
    ]);
    let deployOut = '';
    let deployErr = '';
    deploy.stdout!.on('data', (d) => (deployOut += d));
    deploy.stderr!.on('data', (d) => (deployErr += d));
    const deployed = new Promise<number | null>((resolve) => deploy.on('exit', resolve));

    // The kubelet's part: the Job's pod, run here with its volumes, service account and arguments.
    const { result: inPod, mounts } = await runJobLocally({
      cluster,
      client,
      namespace: 'default',
      name: 'kubeperf-ic-1',
      dir: join(dir, 'pod'),
    });
    expect(inPod.status, deployErr + inPod.stderr.slice(-3000)).toBe(0);
    expect(inPod.stderr).toMatch(/results → ConfigMap default\/kubeperf-results-ic-1/);
    expect(inPod.stderr).toMatch(/--- kubeperf results ic-1 begin sha256=/);
    expect(readFileSync(join(mounts[STUDY_MOUNT]!, 'templates', 'cm.yaml'), 'utf8')).toContain(
      'cm-{{.Iteration}}',
    );
    const local = readFileSync(join(mounts['/tmp']!, 'kubeperf-results', 'results.json'));
    const jobs = await client.mapper.resolve('batch/v1', 'Job');
    const cms = await client.mapper.resolve('v1', 'ConfigMap');

    // The results ConfigMap, as any client sees it.
    const res = JSON.parse((await client.get(cms, 'default', 'kubeperf-results-ic-1'))!.body) as {
      data: Record<string, string>;
    };
    expect(res.data.verdict).toBe('pass');
    expect(JSON.parse(res.data['manifest.json']!)).toMatchObject({
      state: 'finished',
      phase: 'crud',
      phasesDone: 2,
      exitCode: 0,
    });

    // The Job controller's part: the pod succeeded.
    const st = JSON.parse((await client.get(jobs, 'default', 'kubeperf-ic-1'))!.body) as KubeObject;
    st.status = {
      succeeded: 1,
      conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: new Date().toISOString() }],
    };
    const put = await client.rest.request({
      method: 'PUT',
      path: '/apis/batch/v1/namespaces/default/jobs/kubeperf-ic-1/status',
      body: JSON.stringify(st),
    });
    expect(put.status).toBe(200);
    expect(await deployed, deployErr.slice(-3000)).toBe(0);
    expect(readFileSync(join(out, 'results.json')).equals(local)).toBe(true);
    expect(JSON.parse(deployOut).runId).toBe('ic-1');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<html/);

    const again = await runCli([
      'collect',
      '--namespace',
      'default',
      '--run-id',
      'ic-1',
      '--out',
      join(dir, 'again'),
      '--kubeconfig',
      kc,
    ]);
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(join(dir, 'again', 'results.json')).equals(local)).toBe(true);

    // The run's own cleanup removed its objects, not the Job that ran it nor its results.
    const left = await client.listAll(cms, undefined, { labelSelector: 'kubeperf.io/run-id=ic-1' });
    expect(left.items).toEqual([]);
    expect((await client.get(jobs, 'default', 'kubeperf-ic-1'))?.status).toBe(200);
  }, 300_000);

  it('collect: a results ConfigMap with a missing part is exit 2 naming the part; no results at all is exit 2', async () => {
    const cms = await client.mapper.resolve('v1', 'ConfigMap');
    const { publishFiles } = await import('./results/publish.js');
    const { randomBytes } = await import('node:crypto');
    // Incompressible and over the 1 MiB limit: three ConfigMaps.
    const big = Buffer.from(JSON.stringify({ junk: randomBytes(1_500_000).toString('base64') }));
    const names = await publishFiles(
      client,
      'default',
      'kubeperf-results-big-1',
      'big-1',
      { 'results.json': big },
      {
        state: 'finished',
        phase: 'x',
        phasesDone: 1,
        verdict: 'pass',
        updatedAt: new Date().toISOString(),
      },
    );
    expect(names.slice(0, 2)).toEqual(['kubeperf-results-big-1', 'kubeperf-results-big-1-1']);
    for (const n of names) {
      const cm = JSON.parse((await client.get(cms, 'default', n))!.body) as {
        data?: Record<string, string>;
        binaryData?: Record<string, string>;
      };
      const size = [...Object.entries(cm.data ?? {}), ...Object.entries(cm.binaryData ?? {})].reduce(
        (a, [k, v]) =>
          a + k.length + (cm.binaryData?.[k] === v ? Buffer.from(v, 'base64').length : Buffer.byteLength(v)),
        0,
      );
      expect(size).toBeLessThanOrEqual(1024 * 1024);
    }
    await client.delete(cms, 'default', 'kubeperf-results-big-1-1');
    let r = await runCli([
      'collect',
      '--namespace',
      'default',
      '--run-id',
      'big-1',
      '--out',
      join(dir, 'big'),
      '--kubeconfig',
      cluster.target.kubeconfigPath!,
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /results\.json is missing part results\.json\.gz\.001: ConfigMap kubeperf-results-big-1-1 does not exist/,
    );
    // No results ConfigMap: the run's pods' logs are read (simulated containers log nothing).
    const pods = await client.mapper.resolve('v1', 'Pod');
    await client.create(
      pods,
      'default',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'kubeperf-logs-1-0', labels: { 'kubeperf.io/deploy': 'logs-1' } },
        spec: { containers: [{ name: 'kubeperf', image: 'kubeperf:0.1.0' }] },
      }),
    );
    r = await runCli([
      'collect',
      '--namespace',
      'default',
      '--run-id',
      'logs-1',
      '--kubeconfig',
      cluster.target.kubeconfigPath!,
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/none of its 1 pod log\(s\) carries a complete results block|log not readable/);
    r = await runCli([
      'collect',
      '--namespace',
      'default',
      '--run-id',
      'nothing-here',
      '--kubeconfig',
      cluster.target.kubeconfigPath!,
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no results for run nothing-here in namespace default/);
  }, 120_000);
});
