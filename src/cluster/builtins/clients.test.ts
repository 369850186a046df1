/**
 * The new kinds, Service allocation and validation errors through real clients: kubectl 1.28 and 1.33
 * (kro's own examples applied as kro renders them, rollout/wait, `create token`, the invalid-object
 * message), @kubernetes/client-node and Debian's python3-kubernetes.
 */
import * as k8s from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeconfigYaml } from '../kubeconfig.js';
import { kubectlFor, type Kubectl } from '../kubectl-support.js';
import { startClusterServer, type ClusterServer } from '../server.js';

const run = promisify(execFile);
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata', 'kro');
const sim = {
  nodes: 2,
  pods: { scheduleDelay: 'fixed:1ms', runningDelay: 'fixed:10ms', readyDelay: 'fixed:10ms' },
  jobs: { runDuration: 'fixed:50ms' },
  // kro's core-dns example asks for 10.100.123.45: an EKS-style service CIDR.
  serviceCIDR: '10.100.0.0/16',
} as const;

describe.each(['1.28', '1.33'])('kubectl %s', (version) => {
  let server: ClusterServer;
  let kubectl: Kubectl;
  let dir: string;
  const k = (...args: string[]): Promise<string> => kubectl.out(...args);

  beforeAll(async () => {
    server = await startClusterServer({ tls: true, ...sim });
    kubectl = await kubectlFor(version, server);
    dir = kubectl.dir;
  });
  afterAll(async () => {
    await server?.close();
    await kubectl?.cleanup();
  });

  it("applies kro's examples (Deployment, Service, Ingress, Job, Namespace, ResourceQuota, NetworkPolicy, RBAC)", async () => {
    expect(await k('apply', '-f', join(fixtures, 'webapp.yaml'))).toBe(
      'deployment.apps/test-app created\nservice/test-app created\ningress.networking.k8s.io/test-app created\n',
    );
    expect(await k('apply', '-f', join(fixtures, 'tenant-environment.yaml'))).toBe(
      'namespace/tenant1 created\nresourcequota/tenant1-quota created\nnetworkpolicy.networking.k8s.io/tenant1-isolation created\n',
    );
    expect(await k('apply', '-f', join(fixtures, 'job-example.yaml'))).toBe(
      'job.batch/demo-job created\ndeployment.apps/demo created\n',
    );
    expect(await k('apply', '-f', join(fixtures, 'core-dns.yaml'))).toBe(
      [
        'clusterrole.rbac.authorization.k8s.io/mynameis created',
        'clusterrolebinding.rbac.authorization.k8s.io/mynameis created',
        'configmap/mynameis created',
        'serviceaccount/mynameis created',
        'deployment.apps/mynameis created',
        'service/mynameis created',
        '',
      ].join('\n'),
    );
    // Applying again changes nothing.
    expect(await k('apply', '-f', join(fixtures, 'webapp.yaml'))).toMatch(
      /deployment.apps\/test-app unchanged/,
    );
    expect(await k('rollout', 'status', 'deployment/test-app', '--timeout=20s')).toMatch(
      /successfully rolled out/,
    );
    expect(await k('wait', '--for=condition=complete', 'job/demo-job', '--timeout=20s')).toMatch(
      /condition met/,
    );
    const names = (await k('get', 'deploy,rs,svc,ing,jobs', '-o', 'name')).split('\n');
    expect(names).toEqual(
      expect.arrayContaining([
        'deployment.apps/test-app',
        expect.stringMatching(/^replicaset.apps\/test-app-[a-z0-9]+$/),
        'service/test-app',
        'ingress.networking.k8s.io/test-app',
        'job.batch/demo-job',
      ]),
    );
    expect(await k('get', 'rs')).toMatch(
      /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\ndemo-\S+\s+1\s+1\s+1\s+\d+s\n/,
    );
    expect(await k('get', 'jobs')).toMatch(
      /^NAME\s+COMPLETIONS\s+DURATION\s+AGE\ndemo-job\s+1\/1\s+\d+s\s+\d+s\n/,
    );
    expect(await k('get', 'svc', 'kubernetes')).toMatch(
      /kubernetes\s+ClusterIP\s+10\.100\.0\.1\s+<none>\s+443\/TCP/,
    );
    const svc = JSON.parse(await k('get', 'svc', 'mynameis', '-o', 'json'));
    expect(svc.spec.clusterIP).toBe('10.100.123.45');
    const reasons = JSON.parse(await k('get', 'events', '-o', 'json')).items.map(
      (e: { reason: string }) => e.reason,
    );
    expect(reasons).toEqual(
      expect.arrayContaining(['Scheduled', 'Started', 'ScalingReplicaSet', 'SuccessfulCreate', 'Completed']),
    );
  });

  it('prints the real invalid-object message and creates tokens', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(
      file,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: bad}\nspec:\n  template:\n    metadata: {labels: {app: bad}}\n    spec: {containers: [{name: c, image: nginx}]}\n',
    );
    const err = await k('apply', '-f', file).catch((e: { stderr: string }) => e.stderr);
    expect(err).toContain(
      'The Deployment "bad" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: map[string]string{"app":"bad"}: `selector` does not match template `labels`',
    );
    await k('create', 'serviceaccount', 'robot');
    const token = (await k('create', 'token', 'robot')).trim();
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(claims.sub).toBe('system:serviceaccount:default:robot');
  });
});

describe('@kubernetes/client-node', () => {
  let server: ClusterServer;
  let kc: k8s.KubeConfig;
  beforeAll(async () => {
    server = await startClusterServer(sim);
    kc = new k8s.KubeConfig();
    kc.loadFromString(kubeconfigYaml({ server: server.url, token: server.token }));
  });
  afterAll(() => server.close());

  it('creates a Job, a Service and a ReplicaSet; an invalid object is an ApiException 422', async () => {
    const batch = kc.makeApiClient(k8s.BatchV1Api);
    const job = await batch.createNamespacedJob({
      namespace: 'default',
      body: {
        metadata: { name: 'cn-job' },
        spec: {
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
        },
      },
    });
    expect(job.spec?.selector?.matchLabels?.['batch.kubernetes.io/controller-uid']).toBe(job.metadata?.uid);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const svc = await core.createNamespacedService({
      namespace: 'default',
      body: { metadata: { name: 'cn-svc' }, spec: { ports: [{ port: 80 }] } },
    });
    expect(svc.spec?.clusterIP).toMatch(/^10\.100\./);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const err = await apps
      .createNamespacedReplicaSet({
        namespace: 'default',
        body: {
          metadata: { name: 'cn-rs' },
          spec: {
            replicas: -1,
            selector: { matchLabels: { a: 'b' } },
            template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
          },
        },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(k8s.ApiException);
    expect((err as k8s.ApiException<string>).code).toBe(422);
    expect(JSON.parse((err as k8s.ApiException<string>).body)).toMatchObject({
      reason: 'Invalid',
      message:
        'ReplicaSet.apps "cn-rs" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    });
    for (let i = 0; i < 200; i++) {
      const j = await batch.readNamespacedJobStatus({ name: 'cn-job', namespace: 'default' });
      if (j.status?.succeeded === 1) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('job did not complete');
  });
});

describe('python3-kubernetes', () => {
  let server: ClusterServer;
  let dir: string;
  beforeAll(async () => {
    server = await startClusterServer(sim);
    dir = await mkdtemp(join(tmpdir(), 'kubeperf-py-'));
    await writeFile(join(dir, 'kubeconfig'), kubeconfigYaml({ server: server.url, token: server.token }));
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a Deployment (ReplicaSet appears), reads a Service ClusterIP, gets a 422 as ApiException', async () => {
    const script = `
import json, sys, time
from kubernetes import client, config
from kubernetes.client.rest import ApiException
config.load_kube_config(config_file=sys.argv[1])
apps, core = client.AppsV1Api(), client.CoreV1Api()
body = {"metadata": {"name": "py"}, "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "py"}},
        "template": {"metadata": {"labels": {"app": "py"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}
apps.create_namespaced_deployment("default", body)
for _ in range(200):
    rs = apps.list_namespaced_replica_set("default", label_selector="app=py").items
    if rs and rs[0].status.ready_replicas == 1: break
    time.sleep(0.02)
svc = core.create_namespaced_service("default", {"metadata": {"name": "py"}, "spec": {"ports": [{"port": 80}]}})
out = {"rs": rs[0].metadata.owner_references[0].kind, "ready": rs[0].status.ready_replicas, "ip": svc.spec.cluster_ip}
try:
    core.create_namespaced_config_map("default", {"metadata": {"name": "py", "labels": {"bad key": "x"}}})
except ApiException as e:
    out["status"] = e.status
    out["reason"] = json.loads(e.body)["reason"]
print(json.dumps(out))
`;
    const r = await run('/usr/bin/python3', ['-c', script, join(dir, 'kubeconfig')], { timeout: 60_000 });
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ rs: 'Deployment', ready: 1, status: 422, reason: 'Invalid' });
    expect(out.ip).toMatch(/^10\.100\./);
  });
});
