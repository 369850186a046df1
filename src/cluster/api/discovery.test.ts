/**
 * Discovery against kube-apiserver v1.28: the captured documents (testdata/samples), the real
 * `kubectl api-resources` listing (testdata/golden) with kubectl 1.28 and 1.33, and Debian's
 * python3-kubernetes dynamic client.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { kubeconfigYaml } from '../kubeconfig.js';
import { kubectlFor } from '../kubectl-support.js';
import { startClusterServer } from '../server.js';
import { testCluster, type TestCluster } from '../test-support.js';

const sample = (name: string): any =>
  JSON.parse(readFileSync(new URL(`../testdata/samples/${name}`, import.meta.url), 'utf8'));
const aggregated =
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

/** /api/v1 of a v1.28 server: 38 entries. */
const realCoreV1 = [
  'bindings',
  'componentstatuses',
  'configmaps',
  'endpoints',
  'events',
  'limitranges',
  'namespaces',
  'namespaces/finalize',
  'namespaces/status',
  'nodes',
  'nodes/proxy',
  'nodes/status',
  'persistentvolumeclaims',
  'persistentvolumeclaims/status',
  'persistentvolumes',
  'persistentvolumes/status',
  'pods',
  'pods/attach',
  'pods/binding',
  'pods/ephemeralcontainers',
  'pods/eviction',
  'pods/exec',
  'pods/log',
  'pods/portforward',
  'pods/proxy',
  'pods/status',
  'podtemplates',
  'replicationcontrollers',
  'replicationcontrollers/scale',
  'replicationcontrollers/status',
  'resourcequotas',
  'resourcequotas/status',
  'secrets',
  'serviceaccounts',
  'serviceaccounts/token',
  'services',
  'services/proxy',
  'services/status',
];
/** Listed only once a handler serves them (see docs/cluster.md). */
const notYetServed = [
  'namespaces/finalize',
  'pods/ephemeralcontainers',
  'pods/eviction',
  'serviceaccounts/token',
];

describe('discovery documents', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await testCluster();
  });
  afterAll(async () => {
    await c.close();
  });

  it('/api/v1 lists the real resources and subresources, entries equal to the captured ones', async () => {
    const doc = (await c.req('GET', '/api/v1')).json;
    const names = doc.resources.map((r: any) => r.name);
    expect(names).toEqual(realCoreV1.filter((n) => !notYetServed.includes(n) || names.includes(n)));
    for (const want of sample('discovery-api-v1.truncated.json').resources) {
      expect(doc.resources.find((r: any) => r.name === want.name)).toEqual(want);
    }
    const byName = new Map<string, any>(doc.resources.map((r: any) => [r.name, r]));
    expect(byName.get('pods/eviction') ?? { group: 'policy', version: 'v1', kind: 'Eviction' }).toMatchObject(
      {
        group: 'policy',
        kind: 'Eviction',
      },
    );
    expect(byName.get('nodes/proxy')).toMatchObject({
      kind: 'NodeProxyOptions',
      verbs: ['create', 'delete', 'get', 'patch', 'update'],
    });
    expect(byName.get('componentstatuses')).toEqual({
      name: 'componentstatuses',
      singularName: 'componentstatus',
      namespaced: false,
      kind: 'ComponentStatus',
      verbs: ['get', 'list'],
      shortNames: ['cs'],
    });
    expect(byName.get('endpoints')).toMatchObject({ storageVersionHash: 'fWeeMqaN/OA=' });
    expect(byName.get('replicationcontrollers')).toMatchObject({ storageVersionHash: 'Jond2If31h0=' });
  });

  it('/apis/apps/v1 equals the capture for every resource served here', async () => {
    const doc = (await c.req('GET', '/apis/apps/v1')).json;
    const real = sample('discovery-apis-apps-v1.json');
    const served = new Set(doc.resources.map((r: any) => r.name.split('/')[0]));
    expect(doc.resources).toEqual(real.resources.filter((r: any) => served.has(r.name.split('/')[0])));
    expect([...served]).toEqual(
      expect.arrayContaining(['controllerrevisions', 'daemonsets', 'deployments', 'statefulsets']),
    );
  });

  it('aggregated v2beta1: deployments as captured, the core group with its top-level resources', async () => {
    const apis = await c.req('GET', '/apis', undefined, { accept: aggregated });
    const apps = apis.json.items.find((i: any) => i.metadata.name === 'apps');
    const deployments = apps.versions[0].resources.find((r: any) => r.resource === 'deployments');
    const real = sample('discovery-apis-aggregated-v2beta1.truncated.json').items[0].versions[0].resources[0];
    expect(deployments).toEqual(real);
    const order = apis.json.items.map((i: any) => i.metadata.name);
    // kube-apiserver's group priority order.
    const expected = [
      'apiregistration.k8s.io',
      'apps',
      'authentication.k8s.io',
      'authorization.k8s.io',
      'certificates.k8s.io',
    ];
    expect(order.filter((g: string) => expected.includes(g))).toEqual(expected);
    const flow = apis.json.items.find((i: any) => i.metadata.name === 'flowcontrol.apiserver.k8s.io');
    expect(flow.versions.map((v: any) => v.version)).toEqual(['v1beta3', 'v1beta2']);

    const core = (await c.req('GET', '/api', undefined, { accept: aggregated })).json.items[0];
    const resources = core.versions[0].resources;
    expect(resources.map((r: any) => r.resource)).toEqual(realCoreV1.filter((n) => !n.includes('/')));
    const pods = resources.find((r: any) => r.resource === 'pods');
    expect(pods.subresources.find((s: any) => s.subresource === 'log')).toEqual({
      subresource: 'log',
      responseKind: { group: '', version: '', kind: 'Pod' },
      verbs: ['get'],
    });
    const sa = sample('discovery-api-aggregated-v2beta1.truncated.json').items[0].versions[0].resources;
    for (const want of sa) {
      const got = resources.find((r: any) => r.resource === want.resource);
      const servedSubs = new Set((got.subresources ?? []).map((s: any) => s.subresource));
      const subs = want.subresources?.filter((s: any) => servedSubs.has(s.subresource));
      expect(got).toEqual({ ...want, ...(subs ? { subresources: subs } : {}) });
    }
  });

  it('legacy /apis lists every default group with its preferred version', async () => {
    const doc = (await c.req('GET', '/apis')).json;
    const names = doc.groups.map((g: any) => g.name);
    const v128 = [
      'apiregistration.k8s.io',
      'apps',
      'events.k8s.io',
      'authentication.k8s.io',
      'authorization.k8s.io',
      'autoscaling',
      'batch',
      'certificates.k8s.io',
      'networking.k8s.io',
      'policy',
      'rbac.authorization.k8s.io',
      'storage.k8s.io',
      'admissionregistration.k8s.io',
      'apiextensions.k8s.io',
      'scheduling.k8s.io',
      'coordination.k8s.io',
      'node.k8s.io',
      'discovery.k8s.io',
      'flowcontrol.apiserver.k8s.io',
    ];
    // The real order; only the other branch's groups may be missing.
    expect(names).toEqual(v128.filter((g) => names.includes(g)));
    expect(v128.filter((g) => !names.includes(g)).every((g) => theirs.includes(g))).toBe(true);
    const flow = doc.groups.find((g: any) => g.name === 'flowcontrol.apiserver.k8s.io');
    expect(flow.preferredVersion).toEqual({
      groupVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
      version: 'v1beta3',
    });
  });

  it('subresources answer as a kubelet-less node would; verbs a resource lacks are 405', async () => {
    await c.req('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    const log = await c.req('GET', '/api/v1/namespaces/default/pods/p/log');
    expect(log.status).toBe(400);
    expect(log.json.message).toBe('container "c" in pod "p" is waiting to start: ContainerCreating');
    const exec = await c.req('POST', '/api/v1/namespaces/default/pods/p/exec?command=ls');
    expect(exec.json).toMatchObject({ code: 400, message: 'Upgrade request required' });
    const bind = await c.req('POST', '/api/v1/namespaces/default/pods/p/binding', {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'p' },
      target: { kind: 'Node', name: 'n1' },
    });
    expect(bind.status).toBe(201);
    expect((await c.req('GET', '/api/v1/namespaces/default/pods/p')).json.spec.nodeName).toBe('n1');
    const again = await c.req('POST', '/api/v1/namespaces/default/bindings', {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'p' },
      target: { kind: 'Node', name: 'n2' },
    });
    expect(again.status).toBe(409);
    expect((await c.req('POST', '/api/v1/componentstatuses', {})).status).toBe(405);
    expect((await c.req('GET', '/api/v1/componentstatuses?watch=true')).status).toBe(405);
    expect((await c.req('HEAD', '/api/v1/namespaces/default/configmaps')).status).toBe(405);
    const cs = (await c.req('GET', '/api/v1/componentstatuses')).json;
    expect(cs.items.map((i: any) => i.metadata.name)).toEqual(['controller-manager', 'etcd-0', 'scheduler']);
    const ssar = await c.req('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: 'create', resource: 'pods', namespace: 'default' } },
    });
    expect(ssar.status).toBe(201);
    // Go omits the empty reason (omitempty).
    expect(ssar.json.status).toEqual({ allowed: true });
  });
});

/** Groups whose resources the i16-validation branch serves; the integrator merges both lists. */
const theirs = [
  'autoscaling',
  'batch',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
];

describe.each(['1.28', '1.33'])('kubectl %s api-resources', (version) => {
  it('prints the rows of a v1.28 server for every resource served', async () => {
    const server = await startClusterServer({ tls: true });
    const kubectl = await kubectlFor(version, server);
    try {
      const out = await kubectl.run('api-resources');
      expect(out.stderr).toBe('');
      const norm = (l: string) => l.trim().split(/\s+/).join(' ');
      const golden = readFileSync(
        new URL('../testdata/golden/api-resources-v1.28.txt', import.meta.url),
        'utf8',
      )
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map(norm);
      const rows = out.stdout.split('\n').filter(Boolean).map(norm);
      for (const row of rows) expect(golden).toContain(row);
      const missing = golden
        .filter((g) => !rows.includes(g))
        .map((g) => g.split(' '))
        .map((p) => p[p.length - 3]!);
      // Only the groups served by the other branch may be missing (and replicasets of apps/v1).
      for (const gv of missing) expect([...theirs, 'apps']).toContain(gv.split('/')[0]);
    } finally {
      await kubectl.cleanup();
      await server.close();
    }
  });
});

describe('@kubernetes/client-node', () => {
  it('resolves kinds of the new groups through discovery (KubernetesObjectApi) and reads API versions', async () => {
    const server = await startClusterServer({});
    try {
      const kc = new k8s.KubeConfig();
      kc.loadFromString(kubeconfigYaml({ server: server.url, token: server.token }));
      const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
      const sc = {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: 'fast' },
        provisioner: 'x',
      };
      await objects.create(sc);
      const read = await objects.read({
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: 'fast' },
      });
      expect(read.metadata?.name).toBe('fast');
      const groups = await kc.makeApiClient(k8s.ApisApi).getAPIVersions();
      expect(groups.groups.map((g) => g.name)).toContain('flowcontrol.apiserver.k8s.io');
      const res = await kc.makeApiClient(k8s.StorageV1Api).getAPIResources();
      expect(res.resources.find((r) => r.name === 'storageclasses')?.shortNames).toEqual(['sc']);
    } finally {
      await server.close();
    }
  });
});

describe("Debian's python3-kubernetes", () => {
  it('discovers resources with the dynamic client and reads through it', async () => {
    const server = await startClusterServer({});
    try {
      const script = `
import sys
from kubernetes import client, dynamic
cfg = client.Configuration()
cfg.host = sys.argv[1]
cfg.api_key = {"authorization": "Bearer " + sys.argv[2]}
api = client.ApiClient(cfg)
print(len(client.CoreV1Api(api).get_api_resources().resources))
print(",".join(g.name for g in client.ApisApi(api).get_api_versions().groups[:3]))
dyn = dynamic.DynamicClient(api)
sc = dyn.resources.get(api_version="storage.k8s.io/v1", kind="StorageClass")
print(sc.name, sc.namespaced, ",".join(sc.short_names))
pc = dyn.resources.get(api_version="scheduling.k8s.io/v1", kind="PriorityClass")
print(sorted(i.metadata.name for i in pc.get().items))
`;
      const { stdout } = await promisify(execFile)('/usr/bin/python3', [
        '-c',
        script,
        server.url,
        server.token,
      ]);
      const lines = stdout.trim().split('\n');
      expect(Number(lines[0])).toBeGreaterThanOrEqual(34);
      expect(lines[1]!.split(',').slice(0, 2)).toEqual(['apiregistration.k8s.io', 'apps']);
      expect(lines[2]).toBe('storageclasses False sc');
      expect(lines[3]).toBe("['system-cluster-critical', 'system-node-critical']");
    } finally {
      await server.close();
    }
  });
});
