/**
 * The simulated gateway controller against the embedded control plane, each in its own process:
 * GatewayClass and Gateway status, attachedRoutes counting only the routes a listener allows
 * (allowedRoutes.namespaces Same/All/Selector, sectionName, hostnames), route parent status and
 * ResolvedRefs with and without a ReferenceGrant, and that it leaves other controllers' classes alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureGatewayApiCrds } from '../../gateway-api/install.js';
import {
  conditionOf,
  gatewayClassMapping,
  gatewayMapping,
  httpRouteMapping,
  referenceGrantMapping,
  serviceMapping,
  type Gateway,
  type GatewayClass,
  type HTTPRoute,
} from '../../gateway-api/resources.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import { connect } from '../../kube/connect.js';
import type { ResourceMapping } from '../../kube/discovery.js';
import { ensureNamespace, namespaceMapping } from '../../kube/namespaces.js';
import { launchTestCluster, type TestCluster } from '../../kube/testing.js';
import { watch } from '../../kube/watch.js';
import { sleep } from '../../load/sleep.js';
import { launchController, type ControllerProcess } from '../runtime/launch.js';
import { DEFAULT_CONTROLLER_NAME } from './options.js';

let cluster: TestCluster;
let controller: ControllerProcess;
let client: KubeClient;

beforeAll(async () => {
  cluster = await launchTestCluster();
  client = await connect(cluster.target);
  await ensureGatewayApiCrds(client);
  controller = await launchController('gateway', {
    kubeconfig: cluster.target.kubeconfigPath!,
    options: { statusBatchWindowMs: 5 },
  });
  for (const ns of ['gw', 'apps', 'backends']) await ensureNamespace(client, ns, { runId: 't', job: 't' });
  await create(gatewayClassMapping, undefined, {
    metadata: { name: 'sim' },
    spec: { controllerName: DEFAULT_CONTROLLER_NAME },
  });
}, 60_000);

afterAll(async () => {
  await client?.close();
  await controller?.stop();
  await cluster?.stop();
});

async function create(
  m: ResourceMapping,
  ns: string | undefined,
  obj: Record<string, unknown>,
): Promise<void> {
  const body = { apiVersion: m.group ? `${m.group}/${m.version}` : m.version, kind: m.kind, ...obj };
  const r = await client.create(m, ns, JSON.stringify(body));
  if (r?.status !== 201) throw new Error(`create ${m.kind}: ${r?.status} ${r?.body}`);
}

async function get<T extends KubeObject>(
  m: ResourceMapping,
  ns: string | undefined,
  name: string,
): Promise<T> {
  const r = await client.get(m, ns, name);
  if (r?.status !== 200) throw new Error(`get ${m.kind} ${name}: ${r?.status}`);
  return JSON.parse(r.body) as T;
}

/** Polls until `check` returns a value (the controller is asynchronous), or fails with the last state. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const attached = async (ns: string, name: string, listener = 0) =>
  (await get<Gateway>(gatewayMapping, ns, name)).status?.listeners?.[listener]?.attachedRoutes;

async function attachedBecomes(ns: string, name: string, n: number, listener = 0): Promise<void> {
  await until(`attachedRoutes ${n}`, async () =>
    (await attached(ns, name, listener)) === n ? true : undefined,
  );
}

const parentCond = async (ns: string, name: string, type: string) => {
  const r = await get<HTTPRoute>(httpRouteMapping, ns, name);
  const p = r.status?.parents?.find((x) => x.controllerName === DEFAULT_CONTROLLER_NAME);
  return p ? conditionOf(p.conditions, type) : undefined;
};

function route(name: string, ns: string, spec: Record<string, unknown>) {
  return {
    metadata: { name, namespace: ns },
    spec: { parentRefs: [{ name: 'gw', namespace: 'gw' }], ...spec },
  };
}

describe('simulated gateway controller', () => {
  it('accepts its GatewayClass and programs a Gateway of it', async () => {
    await create(gatewayMapping, 'gw', {
      metadata: { name: 'gw', namespace: 'gw' },
      spec: { gatewayClassName: 'sim', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] },
    });
    const gc = await until('class Accepted', async () => {
      const x = await get<GatewayClass>(gatewayClassMapping, undefined, 'sim');
      return conditionOf(x.status?.conditions, 'Accepted')?.status === 'True' ? x : undefined;
    });
    expect(conditionOf(gc.status?.conditions, 'Accepted')?.reason).toBe('Accepted');
    const gw = await until('Programmed', async () => {
      const x = await get<Gateway>(gatewayMapping, 'gw', 'gw');
      return conditionOf(x.status?.conditions, 'Programmed')?.status === 'True' ? x : undefined;
    });
    expect(conditionOf(gw.status?.conditions, 'Accepted')?.status).toBe('True');
    expect(gw.status?.addresses?.[0]?.value).toBe('192.0.2.10');
    const l = gw.status!.listeners![0]!;
    expect(l).toMatchObject({
      name: 'http',
      attachedRoutes: 0,
      supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
    });
    expect(conditionOf(l.conditions, 'Programmed')?.status).toBe('True');
  });

  it('counts only the routes the listener allows: another namespace needs from: All', async () => {
    await create(httpRouteMapping, 'gw', route('same-ns', 'gw', {}));
    await create(httpRouteMapping, 'apps', route('other-ns', 'apps', {}));
    await attachedBecomes('gw', 'gw', 1);
    // Route statuses are written by their own workers, after or beside the Gateway's.
    await until('same-ns Accepted', async () =>
      (await parentCond('gw', 'same-ns', 'Accepted'))?.status === 'True' ? true : undefined,
    );
    const denied = await until('other-ns parent status', () => parentCond('apps', 'other-ns', 'Accepted'));
    expect(denied).toMatchObject({ status: 'False', reason: 'NotAllowedByListeners' });
    // Still 1 once the other route was evaluated (its status is written after the translation).
    expect(await attached('gw', 'gw')).toBe(1);

    const gw = await get<Gateway>(gatewayMapping, 'gw', 'gw');
    gw.spec.listeners[0]!.allowedRoutes = { namespaces: { from: 'All' } };
    const r = await client.update(gatewayMapping, 'gw', 'gw', JSON.stringify(gw));
    expect(r?.status).toBe(200);
    await attachedBecomes('gw', 'gw', 2);
    await until('other-ns Accepted', async () =>
      (await parentCond('apps', 'other-ns', 'Accepted'))?.status === 'True' ? true : undefined,
    );
  });

  it('honours a namespace selector, sectionName and hostnames', async () => {
    await create(gatewayMapping, 'gw', {
      metadata: { name: 'sel', namespace: 'gw' },
      spec: {
        gatewayClassName: 'sim',
        listeners: [
          {
            name: 'a',
            protocol: 'HTTP',
            port: 80,
            hostname: '*.example.com',
            allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'x' } } } },
          },
          { name: 'b', protocol: 'HTTP', port: 8080 },
        ],
      },
    });
    const ref = (extra: Record<string, unknown> = {}) => [{ name: 'sel', namespace: 'gw', ...extra }];
    await create(httpRouteMapping, 'apps', {
      metadata: { name: 'host-ok', namespace: 'apps' },
      spec: { parentRefs: ref({ sectionName: 'a' }), hostnames: ['foo.example.com'] },
    });
    await create(httpRouteMapping, 'gw', {
      metadata: { name: 'host-bad', namespace: 'gw' },
      spec: { parentRefs: ref(), hostnames: ['foo.other.org'] },
    });
    await create(httpRouteMapping, 'gw', {
      metadata: { name: 'no-section', namespace: 'gw' },
      spec: { parentRefs: ref({ sectionName: 'c' }) },
    });
    expect(await until('no-section', () => parentCond('gw', 'no-section', 'Accepted'))).toMatchObject({
      status: 'False',
      reason: 'NoMatchingParent',
    });
    // apps has no team=x label yet: listener a does not allow it.
    expect(await until('host-ok', () => parentCond('apps', 'host-ok', 'Accepted'))).toMatchObject({
      status: 'False',
      reason: 'NotAllowedByListeners',
    });
    // host-bad: listener b (no hostname) takes it, listener a's hostname does not match.
    await until('host-bad', async () =>
      (await parentCond('gw', 'host-bad', 'Accepted'))?.status === 'True' ? true : undefined,
    );
    await attachedBecomes('gw', 'sel', 1, 1);
    expect(await attached('gw', 'sel', 0)).toBe(0);

    const ns = await get<KubeObject>(namespaceMapping, undefined, 'apps');
    ns.metadata.labels = { ...(ns.metadata.labels ?? {}), team: 'x' };
    expect((await client.update(namespaceMapping, undefined, 'apps', JSON.stringify(ns)))?.status).toBe(200);
    await attachedBecomes('gw', 'sel', 1, 0);
    await until('host-ok Accepted', async () =>
      (await parentCond('apps', 'host-ok', 'Accepted'))?.status === 'True' ? true : undefined,
    );
  });

  it('sets ResolvedRefs: a cross-namespace Service needs a ReferenceGrant, a missing one is BackendNotFound', async () => {
    await create(serviceMapping, 'backends', {
      metadata: { name: 'svc', namespace: 'backends' },
      spec: { ports: [{ port: 80 }] },
    });
    await create(httpRouteMapping, 'gw', {
      metadata: { name: 'cross', namespace: 'gw' },
      spec: {
        parentRefs: [{ name: 'gw' }],
        rules: [{ backendRefs: [{ name: 'svc', namespace: 'backends', port: 80 }] }],
      },
    });
    await create(httpRouteMapping, 'gw', {
      metadata: { name: 'missing', namespace: 'gw' },
      spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'nope', port: 80 }] }] },
    });
    expect(await until('cross', () => parentCond('gw', 'cross', 'ResolvedRefs'))).toMatchObject({
      status: 'False',
      reason: 'RefNotPermitted',
    });
    expect((await parentCond('gw', 'cross', 'Accepted'))?.status).toBe('True');
    expect(await until('missing', () => parentCond('gw', 'missing', 'ResolvedRefs'))).toMatchObject({
      status: 'False',
      reason: 'BackendNotFound',
    });
    await create(referenceGrantMapping, 'backends', {
      metadata: { name: 'allow-gw', namespace: 'backends' },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'gw' }],
        to: [{ group: '', kind: 'Service' }],
      },
    });
    await until('cross resolved', async () =>
      (await parentCond('gw', 'cross', 'ResolvedRefs'))?.status === 'True' ? true : undefined,
    );
  });

  it('programs a new Gateway at once, before a long translation of its routes ends', async () => {
    const slow = await launchController('gateway', {
      kubeconfig: cluster.target.kubeconfigPath!,
      options: { controllerName: 'example.com/slow', translationDelayMs: 3000 },
    });
    try {
      await create(gatewayClassMapping, undefined, {
        metadata: { name: 'slow' },
        spec: { controllerName: 'example.com/slow' },
      });
      await create(httpRouteMapping, 'gw', {
        metadata: { name: 'early', namespace: 'gw' },
        spec: { parentRefs: [{ name: 'slow-gw' }] },
      });
      const seen: (number | undefined)[] = [];
      const w = await watch(client, gatewayMapping, {
        namespace: 'gw',
        onEvent: (e) => {
          const gw = e.object as Gateway;
          if (gw.metadata.name === 'slow-gw' && conditionOf(gw.status?.conditions, 'Programmed'))
            seen.push(gw.status?.listeners?.[0]?.attachedRoutes);
        },
      });
      try {
        await create(gatewayMapping, 'gw', {
          metadata: { name: 'slow-gw', namespace: 'gw' },
          spec: { gatewayClassName: 'slow', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] },
        });
        await until('attachedRoutes 1', async () => (seen.at(-1) === 1 ? true : undefined));
        // First Programmed with nothing attached yet, then the route once its translation was done.
        expect(seen[0]).toBe(0);
        expect(seen.at(-1)).toBe(1);
      } finally {
        await w.stop();
      }
    } finally {
      await slow.stop();
    }
  });

  it("leaves Gateways of another controller's class alone", async () => {
    await create(gatewayClassMapping, undefined, {
      metadata: { name: 'other' },
      spec: { controllerName: 'example.com/other' },
    });
    await create(gatewayMapping, 'gw', {
      metadata: { name: 'foreign', namespace: 'gw' },
      spec: { gatewayClassName: 'other', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] },
    });
    await create(httpRouteMapping, 'gw', {
      metadata: { name: 'to-foreign', namespace: 'gw' },
      spec: { parentRefs: [{ name: 'foreign' }, { name: 'gw' }] },
    });
    // Our entry for gw appears; nothing is written for the foreign Gateway or its class.
    await until('to-foreign', () => parentCond('gw', 'to-foreign', 'Accepted'));
    const r = await get<HTTPRoute>(httpRouteMapping, 'gw', 'to-foreign');
    expect(r.status?.parents?.map((p) => p.parentRef.name)).toEqual(['gw']);
    expect((await get<Gateway>(gatewayMapping, 'gw', 'foreign')).status?.listeners).toBeUndefined();
    expect(
      (await get<GatewayClass>(gatewayClassMapping, undefined, 'other')).status?.conditions ?? [],
    ).toEqual([]);
  });
});
