import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCluster, until, type TestCluster } from '../test-support.js';

const deployment = (name: string, replicas: number, image = 'nginx:1.25') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
  },
});

describe('simulated nodes, pods, deployments, endpoints', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await testCluster({
      nodes: 3,
      pods: {
        scheduleDelay: 'fixed:1ms',
        runningDelay: 'fixed:20ms',
        readyDelay: 'fixed:20ms',
        terminateDelay: 'fixed:20ms',
      },
    });
  });
  afterAll(() => c.close());

  it('serves N Ready nodes with capacity', async () => {
    const nodes = (await c.req('GET', '/api/v1/nodes')).json.items;
    expect(nodes).toHaveLength(3);
    expect(nodes[0].status.conditions.find((x: { type: string }) => x.type === 'Ready').status).toBe('True');
    expect(nodes[0].status.capacity.pods).toBe('110');
  });

  it('schedules a pod and moves it Pending → Running → Ready, each step a watch event', async () => {
    const base = '/api/v1/namespaces/default/pods';
    const rv = (await c.req('GET', base)).json.metadata.resourceVersion;
    const ac = new AbortController();
    const stream = fetch(
      `${c.url}${base}?watch=true&resourceVersion=${rv}&fieldSelector=metadata.name%3Dp1`,
      {
        headers: { authorization: `Bearer ${c.token}` },
        signal: ac.signal,
      },
    );
    await c.req('POST', base, {
      metadata: { name: 'p1' },
      spec: { containers: [{ name: 'c', image: 'busybox:1' }] },
    });
    const pod = await until(async () => {
      const p = (await c.req('GET', `${base}/p1`)).json;
      return p.status?.conditions?.some(
        (x: { type: string; status: string }) => x.type === 'Ready' && x.status === 'True',
      )
        ? p
        : undefined;
    });
    expect(pod.spec.nodeName).toMatch(/^kubeperf-node-\d$/);
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.podIP).toMatch(/^10\.244\./);
    const r = await stream;
    const reader = r.body!.getReader();
    let text = '';
    // ADDED, then one MODIFIED each: bound (pods/binding sets nodeName and PodScheduled), Running, Ready.
    while ((text.match(/\n/g) ?? []).length < 4)
      text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    const types = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).type);
    expect(types[0]).toBe('ADDED');
    expect(types.slice(1).every((t) => t === 'MODIFIED')).toBe(true);
  });

  it('a deployment creates its pods, reports readyReplicas, scales down, and a service gets endpoints', async () => {
    await c.req('POST', '/api/v1/namespaces/default/services', {
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    await c.req('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web', 3));
    const d = await until(async () => {
      const x = (await c.req('GET', '/apis/apps/v1/namespaces/default/deployments/web')).json;
      return x.status?.readyReplicas === 3 ? x : undefined;
    });
    expect(d.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      availableReplicas: 3,
      observedGeneration: 1,
    });
    expect(d.status.conditions.find((x: { type: string }) => x.type === 'Available').status).toBe('True');
    const pods = (await c.req('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).json.items;
    expect(pods).toHaveLength(3);
    // Deployments own ReplicaSets own Pods, as in Kubernetes.
    const rs = (await c.req('GET', '/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dweb'))
      .json.items;
    expect(rs).toHaveLength(1);
    expect(rs[0].metadata.name).toBe(`web-${rs[0].metadata.labels['pod-template-hash']}`);
    expect(rs[0].metadata.ownerReferences[0]).toMatchObject({
      kind: 'Deployment',
      name: 'web',
      controller: true,
    });
    expect(pods[0].metadata.ownerReferences[0]).toMatchObject({
      kind: 'ReplicaSet',
      name: rs[0].metadata.name,
      controller: true,
    });
    const ep = await until(async () => {
      const x = (await c.req('GET', '/api/v1/namespaces/default/endpoints/web')).json;
      return x.subsets?.[0]?.addresses?.length === 3 ? x : undefined;
    });
    expect(ep.subsets[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    await c.req(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/web',
      { spec: { replicas: 1 } },
      {
        'content-type': 'application/merge-patch+json',
      },
    );
    await until(async () => {
      const x = (await c.req('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).json.items;
      return x.length === 1 ? true : undefined;
    });
    const after = await until(async () => {
      const x = (await c.req('GET', '/apis/apps/v1/namespaces/default/deployments/web')).json;
      return x.status?.replicas === 1 && x.status?.observedGeneration === 2 ? x : undefined;
    });
    expect(after.status.readyReplicas).toBe(1);
  });

  it('deleting a running pod is graceful: Terminating with a grace period, then removed by the kubelet', async () => {
    const base = '/api/v1/namespaces/default/pods';
    await c.req('POST', base, {
      metadata: { name: 'g1' },
      spec: { containers: [{ name: 'c', image: 'x:1' }] },
    });
    await until(async () => ((await c.req('GET', `${base}/g1`)).json.spec?.nodeName ? true : undefined));
    const d = await c.req('DELETE', `${base}/g1`);
    expect(d.status).toBe(200);
    expect(d.json.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(Date.parse(d.json.metadata.deletionTimestamp)).toBeGreaterThan(Date.now() + 25_000);
    await until(async () => ((await c.req('GET', `${base}/g1`)).status === 404 ? true : undefined));
    await c.req('POST', base, {
      metadata: { name: 'g2' },
      spec: { containers: [{ name: 'c', image: 'x:1' }] },
    });
    await until(async () => ((await c.req('GET', `${base}/g2`)).json.spec?.nodeName ? true : undefined));
    const forced = await c.req('DELETE', `${base}/g2?gracePeriodSeconds=0`);
    // Pods are stored with ReturnDeletedObject: the DELETE answers with the pod.
    expect(forced.json).toMatchObject({ kind: 'Pod', metadata: { name: 'g2' } });
    expect((await c.req('GET', `${base}/g2`)).status).toBe(404);
  });

  it('rolls pods to a new template', async () => {
    await c.req('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('roll', 2, 'app:1'));
    await until(async () =>
      (await c.req('GET', '/apis/apps/v1/namespaces/default/deployments/roll')).json.status?.readyReplicas ===
      2
        ? true
        : undefined,
    );
    await c.req(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/roll',
      { spec: { template: { spec: { containers: [{ name: 'c', image: 'app:2' }] } } } },
      {
        'content-type': 'application/strategic-merge-patch+json',
      },
    );
    const pods = await until(async () => {
      const x = (await c.req('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Droll')).json.items;
      return x.length === 2 &&
        x.every((p: { spec: { containers: { image: string }[] } }) => p.spec.containers[0]!.image === 'app:2')
        ? x
        : undefined;
    });
    expect(pods).toHaveLength(2);
  });
});

describe('without nodes', () => {
  it('pods stay Pending and Unschedulable', async () => {
    const c = await testCluster({ pods: { scheduleDelay: 'fixed:1ms' } });
    try {
      await c.req('POST', '/api/v1/namespaces/default/pods', {
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'c', image: 'x:1' }] },
      });
      const p = await until(async () => {
        const x = (await c.req('GET', '/api/v1/namespaces/default/pods/p')).json;
        return x.status?.conditions ? x : undefined;
      });
      expect(p.status.phase).toBe('Pending');
      expect(p.status.conditions[0]).toMatchObject({
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
      });
    } finally {
      await c.close();
    }
  });
});
