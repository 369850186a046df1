/**
 * The workload kinds of issue 9 B on the embedded control plane, with their simulated controllers:
 * ReplicaSets, Deployment rollouts through ReplicaSets (revisions, ScalingReplicaSet events), Jobs
 * that complete, StatefulSets, DaemonSets, PodDisruptionBudget status, EndpointSlices, quota usage,
 * the Events of scheduler/kubelet/controllers, and the kinds that are stored with their defaults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCluster, until as untilWithin, type TestCluster } from '../test-support.js';

/** Workloads take several simulated steps: 8 s rather than the helper's 5. */
const until = <T>(fn: () => Promise<T | undefined>): Promise<T> => untilWithin(fn, 8000);

type Obj = Record<string, any>;
const ns = '/namespaces/default';
const apps = `/apis/apps/v1${ns}`;
const template = (app: string, image = 'nginx:1.25', restartPolicy?: string) => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: 'c', image }], ...(restartPolicy ? { restartPolicy } : {}) },
});

let c: TestCluster;
beforeAll(async () => {
  c = await testCluster({
    nodes: 3,
    pods: {
      scheduleDelay: 'fixed:1ms',
      runningDelay: 'fixed:10ms',
      readyDelay: 'fixed:10ms',
      terminateDelay: 'fixed:10ms',
    },
    jobs: { runDuration: 'fixed:30ms' },
  });
});
afterAll(() => c.close());

const get = async (path: string): Promise<Obj> => (await c.req('GET', path)).json;
const items = async (path: string): Promise<Obj[]> => (await get(path)).items;
const eventsFor = async (name: string): Promise<Obj[]> =>
  (await items(`/api/v1${ns}/events`)).filter((e) => e.involvedObject.name === name);

describe('ReplicaSets', () => {
  it('keep their replicas as pods they own, report status, and scale through /scale', async () => {
    const r = await c.req('POST', `${apps}/replicasets`, {
      metadata: { name: 'rs1' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'rs1' } }, template: template('rs1') },
    });
    expect(r.status).toBe(201);
    expect(r.json.status).toEqual({ replicas: 0 });
    const rs = await until(async () => {
      const x = await get(`${apps}/replicasets/rs1`);
      return x.status?.readyReplicas === 2 ? x : undefined;
    });
    expect(rs.status).toMatchObject({
      replicas: 2,
      fullyLabeledReplicas: 2,
      availableReplicas: 2,
      observedGeneration: 1,
    });
    const pods = await items(`/api/v1${ns}/pods?labelSelector=app%3Drs1`);
    expect(pods.map((p) => p.metadata.name).every((n: string) => /^rs1-[a-z0-9]{5}$/.test(n))).toBe(true);
    expect(pods[0]!.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'rs1',
        uid: rs.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    const scale = await c.req(
      'PATCH',
      `${apps}/replicasets/rs1/scale`,
      { spec: { replicas: 1 } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(scale.json.spec.replicas).toBe(1);
    await until(async () =>
      (await items(`/api/v1${ns}/pods?labelSelector=app%3Drs1`)).length === 1 ? true : undefined,
    );
    const reasons = (await eventsFor('rs1')).map((e) => e.reason);
    expect(reasons.filter((x) => x === 'SuccessfulCreate')).toHaveLength(2);
    expect(reasons).toContain('SuccessfulDelete');
  });
});

describe('Deployments', () => {
  it('roll out through ReplicaSets with revisions and ScalingReplicaSet events', async () => {
    await c.req('POST', `${apps}/deployments`, {
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template('web', 'app:1') },
    });
    const d1 = await until(async () => {
      const x = await get(`${apps}/deployments/web`);
      return x.status?.availableReplicas === 2 ? x : undefined;
    });
    expect(d1.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
    expect(d1.status.conditions.map((x: Obj) => [x.type, x.status, x.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    await c.req(
      'PATCH',
      `${apps}/deployments/web`,
      { spec: { template: template('web', 'app:2') } },
      { 'content-type': 'application/merge-patch+json' },
    );
    const rsets = await until(async () => {
      const x = await items(`${apps}/replicasets?labelSelector=app%3Dweb`);
      const byRev = Object.fromEntries(
        x.map((rs) => [rs.metadata.annotations['deployment.kubernetes.io/revision'], rs]),
      );
      return byRev['2']?.status?.availableReplicas === 2 && byRev['1']?.spec.replicas === 0
        ? byRev
        : undefined;
    });
    const [old, cur] = [rsets['1']!, rsets['2']!];
    expect(cur.metadata.name).toBe(`web-${cur.metadata.labels['pod-template-hash']}`);
    expect(cur.spec.selector.matchLabels).toEqual({
      app: 'web',
      'pod-template-hash': cur.metadata.labels['pod-template-hash'],
    });
    const d2 = await until(async () => {
      const x = await get(`${apps}/deployments/web`);
      return x.status?.updatedReplicas === 2 && x.status?.replicas === 2 ? x : undefined;
    });
    expect(d2.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
    // As in Kubernetes, the Deployment counts only pods that are not terminating: every active pod
    // runs the new template now; the old ones may still be terminating (the kubelet removes them).
    const pods = await items(`/api/v1${ns}/pods?labelSelector=app%3Dweb`);
    const active = pods.filter((p) => !p.metadata.deletionTimestamp);
    expect(active.map((p) => p.spec.containers[0].image)).toEqual(['app:2', 'app:2']);
    await until(async () => {
      const left = await items(`/api/v1${ns}/pods?labelSelector=app%3Dweb`);
      return left.every((p) => p.spec.containers[0].image === 'app:2') ? left : undefined;
    });
    const messages = (await eventsFor('web'))
      .filter((e) => e.reason === 'ScalingReplicaSet')
      .map((e) => e.message);
    expect(messages).toContain(`Scaled up replica set ${old.metadata.name} to 2`);
    expect(
      messages.some((m: string) => m.startsWith(`Scaled down replica set ${old.metadata.name} to `)),
    ).toBe(true);
    expect(messages.some((m: string) => m.startsWith(`Scaled up replica set ${cur.metadata.name} to `))).toBe(
      true,
    );
  });
});

describe('Jobs', () => {
  it('run their pods to completion and become Complete', async () => {
    const r = await c.req('POST', `/apis/batch/v1${ns}/jobs`, {
      metadata: { name: 'pi' },
      spec: { completions: 2, parallelism: 1, template: template('pi', 'busybox:1', 'Never') },
    });
    expect(r.status).toBe(201);
    const uid = r.json.metadata.uid;
    expect(r.json.spec).toMatchObject({
      completions: 2,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
    });
    expect(r.json.spec.template.metadata.labels).toMatchObject({
      'controller-uid': uid,
      'batch.kubernetes.io/controller-uid': uid,
      'job-name': 'pi',
      'batch.kubernetes.io/job-name': 'pi',
    });
    expect(r.json.metadata.labels).toEqual({ app: 'pi' });
    const job = await until(async () => {
      const x = await get(`/apis/batch/v1${ns}/jobs/pi`);
      return x.status?.succeeded === 2 ? x : undefined;
    });
    expect(job.status.conditions).toMatchObject([{ type: 'Complete', status: 'True' }]);
    expect(Object.keys(job.status)).toEqual([
      'conditions',
      'startTime',
      'completionTime',
      'succeeded',
      'uncountedTerminatedPods',
      'ready',
    ]);
    const pods = await items(`/api/v1${ns}/pods?labelSelector=job-name%3Dpi`);
    expect(pods).toHaveLength(2);
    expect(pods.every((p) => p.status.phase === 'Succeeded')).toBe(true);
    expect(pods[0]!.status.containerStatuses[0].state.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    const reasons = (await eventsFor('pi')).map((e) => `${e.reason}: ${e.message}`);
    expect(reasons.filter((x) => x.startsWith('SuccessfulCreate: Created pod: pi-'))).toHaveLength(2);
    expect(reasons).toContain('Completed: Job completed');
  });

  it('a Job with restartPolicy Always is 422; a CronJob is stored with its defaults', async () => {
    const bad = await c.req('POST', `/apis/batch/v1${ns}/jobs`, {
      metadata: { name: 'always' },
      spec: { template: template('a') },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.details.causes).toContainEqual({
      reason: 'FieldValueRequired',
      message: 'Required value: valid values: "OnFailure", "Never"',
      field: 'spec.template.spec.restartPolicy',
    });
    const cj = await c.req('POST', `/apis/batch/v1${ns}/cronjobs`, {
      metadata: { name: 'nightly' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: { spec: { template: template('n', 'busybox:1', 'OnFailure') } },
      },
    });
    expect(cj.status).toBe(201);
    expect(cj.json.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
    const badCron = await c.req('POST', `/apis/batch/v1${ns}/cronjobs`, {
      metadata: { name: 'bad' },
      spec: {
        schedule: '* * *',
        jobTemplate: { spec: { template: template('n', 'busybox:1', 'OnFailure') } },
      },
    });
    expect(badCron.json.details.causes[0]).toEqual({
      reason: 'FieldValueInvalid',
      message: 'Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]',
      field: 'spec.schedule',
    });
  });
});

describe('StatefulSets and DaemonSets', () => {
  it('a StatefulSet creates ordinals in order with stable names', async () => {
    await c.req('POST', `${apps}/statefulsets`, {
      metadata: { name: 'db' },
      spec: {
        replicas: 2,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: template('db'),
      },
    });
    const ss = await until(async () => {
      const x = await get(`${apps}/statefulsets/db`);
      return x.status?.readyReplicas === 2 ? x : undefined;
    });
    expect(ss.status).toMatchObject({
      replicas: 2,
      currentReplicas: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
    });
    const p0 = await get(`/api/v1${ns}/pods/db-0`);
    const p1 = await get(`/api/v1${ns}/pods/db-1`);
    expect(p0.spec).toMatchObject({ hostname: 'db-0', subdomain: 'db' });
    expect(p0.metadata.labels).toMatchObject({
      'statefulset.kubernetes.io/pod-name': 'db-0',
      'apps.kubernetes.io/pod-index': '0',
    });
    expect(Date.parse(p0.metadata.creationTimestamp)).toBeLessThanOrEqual(
      Date.parse(p1.metadata.creationTimestamp),
    );
  });

  it('a DaemonSet runs one pod per node', async () => {
    await c.req('POST', `${apps}/daemonsets`, {
      metadata: { name: 'agent' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: template('agent') },
    });
    const ds = await until(async () => {
      const x = await get(`${apps}/daemonsets/agent`);
      return x.status?.numberReady === 3 ? x : undefined;
    });
    expect(ds.status).toMatchObject({
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      numberAvailable: 3,
    });
    const nodes = (await items(`/api/v1${ns}/pods?labelSelector=app%3Dagent`))
      .map((p) => p.spec.nodeName)
      .sort();
    expect(nodes).toEqual(['kubeperf-node-0', 'kubeperf-node-1', 'kubeperf-node-2']);
  });
});

describe('policy, networking, autoscaling, RBAC, discovery', () => {
  it('a PodDisruptionBudget gets its status from the matching pods', async () => {
    const r = await c.req('POST', `/apis/policy/v1${ns}/poddisruptionbudgets`, {
      metadata: { name: 'web-pdb' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
    });
    expect(r.json.status).toEqual({
      disruptionsAllowed: 0,
      currentHealthy: 0,
      desiredHealthy: 0,
      expectedPods: 0,
    });
    const pdb = await until(async () => {
      const x = await get(`/apis/policy/v1${ns}/poddisruptionbudgets/web-pdb`);
      return x.status?.expectedPods === 2 && x.status?.currentHealthy === 2 ? x : undefined;
    });
    expect(pdb.status).toMatchObject({ disruptionsAllowed: 1, desiredHealthy: 1, observedGeneration: 1 });
    expect(pdb.status.conditions[0]).toMatchObject({
      type: 'DisruptionAllowed',
      status: 'True',
      reason: 'SufficientPods',
      message: '',
    });
    const both = await c.req('POST', `/apis/policy/v1${ns}/poddisruptionbudgets`, {
      metadata: { name: 'both' },
      spec: { minAvailable: 1, maxUnavailable: 1 },
    });
    expect(both.json.message).toBe(
      'PodDisruptionBudget.policy "both" is invalid: spec: Invalid value: policy.PodDisruptionBudgetSpec{…}: minAvailable and maxUnavailable cannot be both set',
    );
  });

  it('Services get EndpointSlices owned by the Service', async () => {
    const svc = await c.req('POST', `/api/v1${ns}/services`, {
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const slice = await until(async () => {
      const x = await items(
        `/apis/discovery.k8s.io/v1${ns}/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb`,
      );
      return x[0]?.endpoints?.length === 2 ? x[0] : undefined;
    });
    expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice.metadata.labels['endpointslice.kubernetes.io/managed-by']).toBe(
      'endpointslice-controller.k8s.io',
    );
    expect(slice.metadata.ownerReferences[0]).toMatchObject({
      kind: 'Service',
      name: 'web',
      uid: svc.json.metadata.uid,
    });
    expect(slice.addressType).toBe('IPv4');
    expect(slice.ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints[0].conditions).toEqual({ ready: true, serving: true, terminating: false });
  });

  it('Ingress, IngressClass, NetworkPolicy, HPA and RBAC objects are stored with their defaults', async () => {
    const ing = await c.req('POST', `/apis/networking.k8s.io/v1${ns}/ingresses`, {
      metadata: { name: 'web' },
      spec: {
        rules: [
          {
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'web', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    });
    expect([ing.status, ing.json.status, ing.json.metadata.generation]).toEqual([
      201,
      { loadBalancer: {} },
      1,
    ]);
    const badIng = await c.req('POST', `/apis/networking.k8s.io/v1${ns}/ingresses`, {
      metadata: { name: 'bad' },
      spec: {
        rules: [
          { http: { paths: [{ path: 'x', backend: { service: { name: 'web', port: { number: 80 } } } }] } },
        ],
      },
    });
    expect(badIng.json.details.causes.map((x: Obj) => x.field)).toEqual([
      'spec.rules[0].http.paths[0].pathType',
    ]);
    expect(
      (
        await c.req('POST', '/apis/networking.k8s.io/v1/ingressclasses', {
          metadata: { name: 'nginx' },
          spec: { controller: 'k8s.io/ingress-nginx' },
        })
      ).status,
    ).toBe(201);
    const np = await c.req('POST', `/apis/networking.k8s.io/v1${ns}/networkpolicies`, {
      metadata: { name: 'deny' },
      spec: {
        podSelector: { matchLabels: null },
        ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 80 }] }],
      },
    });
    expect(np.status).toBe(201);
    expect(np.json.spec.policyTypes).toEqual(['Ingress']);
    expect(np.json.spec.ingress[0].ports[0].protocol).toBe('TCP');
    const hpa = await c.req('POST', `/apis/autoscaling/v2${ns}/horizontalpodautoscalers`, {
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5 },
    });
    expect(hpa.json.spec).toMatchObject({
      minReplicas: 1,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ],
    });
    const role = await c.req('POST', `/apis/rbac.authorization.k8s.io/v1${ns}/roles`, {
      metadata: { name: 'reader' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
    });
    expect(role.status).toBe(201);
    const rb = await c.req('POST', `/apis/rbac.authorization.k8s.io/v1${ns}/rolebindings`, {
      metadata: { name: 'read' },
      roleRef: { kind: 'Role', name: 'reader' },
      subjects: [
        { kind: 'User', name: 'alice' },
        { kind: 'ServiceAccount', name: 'default' },
      ],
    });
    expect(rb.json.roleRef.apiGroup).toBe('rbac.authorization.k8s.io');
    expect(rb.json.subjects).toEqual([
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
      { kind: 'ServiceAccount', apiGroup: '', name: 'default' },
    ]);
    const change = await c.req(
      'PATCH',
      `/apis/rbac.authorization.k8s.io/v1${ns}/rolebindings/read`,
      { roleRef: { name: 'writer' } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(change.json.message).toBe(
      'RoleBinding.rbac.authorization.k8s.io "read" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"writer"}: cannot change roleRef',
    );
    const noVerbs = await c.req('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
      metadata: { name: 'x' },
      rules: [{ apiGroups: [''], resources: ['pods'] }],
    });
    expect(noVerbs.json.message).toBe(
      'ClusterRole.rbac.authorization.k8s.io "x" is invalid: rules[0].verbs: Required value: verbs must contain at least one value',
    );
  });

  it('a ResourceQuota reports usage of its namespace', async () => {
    await c.req('POST', '/api/v1/namespaces', { metadata: { name: 'quota' } });
    await c.req('POST', '/api/v1/namespaces/quota/resourcequotas', {
      metadata: { name: 'q' },
      spec: { hard: { pods: '5', 'requests.cpu': '2', configmaps: '3' } },
    });
    await c.req('POST', '/api/v1/namespaces/quota/pods', {
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'x:1', resources: { requests: { cpu: '250m' } } }] },
    });
    const q = await until(async () => {
      const x = await get('/api/v1/namespaces/quota/resourcequotas/q');
      return x.status?.used?.pods === '1' ? x : undefined;
    });
    expect(q.status).toEqual({
      hard: { pods: '5', 'requests.cpu': '2', configmaps: '3' },
      used: { pods: '1', 'requests.cpu': '250m', configmaps: '0' },
    });
  });
});

describe('Events', () => {
  it('the scheduler and kubelet record the real reasons and messages', async () => {
    await c.req('POST', `/api/v1${ns}/pods`, {
      metadata: { name: 'ev' },
      spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] },
    });
    const evs = await until(async () => {
      const x = await eventsFor('ev');
      return x.some((e) => e.reason === 'Started') ? x : undefined;
    });
    const node = (await get(`/api/v1${ns}/pods/ev`)).spec.nodeName;
    const scheduled = evs.find((e) => e.reason === 'Scheduled')!;
    expect(scheduled).toMatchObject({
      type: 'Normal',
      message: `Successfully assigned default/ev to ${node}`,
      action: 'Binding',
      reportingComponent: 'default-scheduler',
      source: {},
      involvedObject: { kind: 'Pod', name: 'ev', namespace: 'default', apiVersion: 'v1' },
    });
    expect(scheduled.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const pulled = evs.find((e) => e.reason === 'Pulled')!;
    expect(pulled).toMatchObject({
      message: 'Container image "nginx:1.25" already present on machine',
      source: { component: 'kubelet', host: node },
      count: 1,
      involvedObject: { fieldPath: 'spec.containers{c}' },
    });
    expect(evs.map((e) => e.reason)).toEqual(
      expect.arrayContaining(['Scheduled', 'Pulled', 'Created', 'Started']),
    );
    expect(evs.find((e) => e.reason === 'Started')!.message).toBe('Started container c');
  });
});
