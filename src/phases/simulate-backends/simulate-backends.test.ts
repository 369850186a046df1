/**
 * kgateway's backend sizing (330 services for 1,000 routes, 2,500 for 5,000) and the simulate-backends
 * phase on the embedded control plane: Services without selectors, one EndpointSlice each with the
 * endpoints kgateway's simulator gives, the run labels on everything, and a name taken by an object
 * the run did not create reported as bad input and left alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { endpointSliceMapping, serviceMapping } from '../../gateway-api/resources.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import { connect } from '../../kube/connect.js';
import { LABEL_RUN_ID } from '../../kube/labels.js';
import { ensureNamespace } from '../../kube/namespaces.js';
import { launchTestCluster, testPhaseContext, type TestCluster } from '../../kube/testing.js';
import { simulateBackendsPhase } from './index.js';
import { endpointAddress, kgatewaySizing } from './sizing.js';

describe("kgateway's backend sizing", () => {
  it('gives 330 services for 1,000 routes and 2,500 for 5,000, with integer division', () => {
    expect(kgatewaySizing(1000)).toEqual({ routes: 1000, nodes: 5, servicesPerNode: 66, services: 330 });
    expect(kgatewaySizing(5000)).toEqual({ routes: 5000, nodes: 50, servicesPerNode: 50, services: 2500 });
    expect(kgatewaySizing(100).services).toBe(40); // max(2, 0) nodes × max(20, 16)
    expect(kgatewaySizing(500).services).toBe(166); // 2 × 83
    expect(kgatewaySizing(2000).services).toBe(1000); // 20 × 50
    expect(kgatewaySizing(10_000).services).toBe(5000); // 100 × 50
    expect(kgatewaySizing(1).services).toBe(40);
  });

  it("numbers endpoints as kgateway's simulator does: 254 hosts per subnet", () => {
    expect(endpointAddress(0, 0, 2)).toBe('10.244.0.1');
    expect(endpointAddress(0, 1, 2)).toBe('10.244.0.2');
    expect(endpointAddress(127, 0, 2)).toBe('10.244.1.1');
    expect(endpointAddress(126, 1, 2)).toBe('10.244.0.254');
  });
});

describe('simulate-backends phase', () => {
  let cluster: TestCluster;
  let client: KubeClient;
  beforeAll(async () => {
    cluster = await launchTestCluster();
    client = await connect(cluster.target);
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await cluster?.stop();
  });

  it('creates S Services and EndpointSlices with E ready endpoints, no pods, all labelled', async () => {
    const ctx = testPhaseContext(cluster.target, { phaseName: 'backends' });
    const o = simulateBackendsPhase.options.parse({ services: 7, endpointsPerService: 3, namespace: 'sim' });
    const out = await simulateBackendsPhase.run(o, ctx);
    expect(out.data).toMatchObject({
      backends: { namespace: 'sim', services: 7, endpointSlices: 7, createdNamespace: true },
    });
    const list = async (m: typeof serviceMapping) =>
      (JSON.parse((await client.list(m, 'sim'))!.body) as { items: KubeObject[] }).items;
    const svcs = await list(serviceMapping);
    expect(svcs.map((s) => s.metadata.name).sort()).toEqual(
      [0, 1, 2, 3, 4, 5, 6].map((i) => `sim-service-${i}`).sort(),
    );
    const svc = svcs[0] as KubeObject & { spec: { selector?: unknown; ports: unknown[] } };
    expect(svc.spec.selector).toBeUndefined();
    expect(svc.spec.ports).toMatchObject([{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]);
    expect(svc.metadata.labels?.[LABEL_RUN_ID]).toBe(ctx.runId);
    const slices = (await list(endpointSliceMapping)) as (KubeObject & {
      endpoints: { addresses: string[]; conditions: { ready: boolean }; targetRef: { name: string } }[];
    })[];
    expect(slices).toHaveLength(7);
    const s0 = slices.find((s) => s.metadata.name === 'sim-service-0')!;
    expect(s0.metadata.labels).toMatchObject({
      'kubernetes.io/service-name': 'sim-service-0',
      [LABEL_RUN_ID]: ctx.runId,
    });
    expect(s0.endpoints.map((e) => [e.addresses[0], e.conditions.ready, e.targetRef.name])).toEqual([
      ['10.244.0.1', true, 'sim-service-0-pod-0'],
      ['10.244.0.2', true, 'sim-service-0-pod-1'],
      ['10.244.0.3', true, 'sim-service-0-pod-2'],
    ]);
    expect(ctx.recorder.snapshot()['backend-service-create']!.count).toBe(7);
  }, 60_000);

  it('refuses a namespace where a backend name belongs to someone else, and leaves it alone', async () => {
    await ensureNamespace(client, 'taken', { runId: 'someone-else', job: 'x' });
    const theirs = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'sim-service-0' },
      spec: { ports: [{ port: 81 }] },
    };
    expect((await client.create(serviceMapping, 'taken', JSON.stringify(theirs)))?.status).toBe(201);
    const ctx = testPhaseContext(cluster.target, { phaseName: 'backends' });
    const o = simulateBackendsPhase.options.parse({ services: 3, namespace: 'taken', concurrency: 1 });
    await expect(simulateBackendsPhase.run(o, ctx)).rejects.toThrow(InputError);
    const got = JSON.parse(
      (await client.get(serviceMapping, 'taken', 'sim-service-0'))!.body,
    ) as KubeObject & {
      spec: { ports: { port: number }[] };
    };
    expect(got.spec.ports[0]!.port).toBe(81);
    expect(got.metadata.labels?.[LABEL_RUN_ID]).toBeUndefined();
    expect((await client.get(endpointSliceMapping, 'taken', 'sim-service-0'))?.status).toBe(404);
  }, 60_000);

  it('sizes from a route count and rejects both', () => {
    expect(
      simulateBackendsPhase.plan(simulateBackendsPhase.options.parse({ routes: 5000 }), {
        baseDir: '.',
        runId: 'r',
      }).steps[0],
    ).toMatch(/2500 backend Services .* sized for 5000 routes \(50 nodes × 50\)/);
    expect(simulateBackendsPhase.options.safeParse({ routes: 10, services: 3 }).success).toBe(false);
  });
});
