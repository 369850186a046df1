/**
 * The attached-routes phase on the embedded control plane with the simulated gateway controller
 * (issue 14's acceptance list): setup is bounded below by an injected translation delay and the
 * controller's own timings explain it; the watch-counted status writes equal the writes the
 * controller reports; bulk reports add-all and remove-all; with no controller acting the phase ends
 * at its timeout, invalid, and cleans up; cleanup removes what the run created and nothing else;
 * the controller restarts (process, and a Deployment rollout). The `kubeperf bench attached-routes`
 * CLI cases are in bench-cli.test.ts. No assertion here is an upper bound on time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONTROLLER_NAME } from '../../controllers/gateway/options.js';
import { launchController } from '../../controllers/runtime/launch.js';
import {
  deploymentMapping,
  gatewayClassMapping,
  gatewayMapping,
  httpRouteMapping,
  serviceMapping,
} from '../../gateway-api/resources.js';
import { ensureGatewayApiCrds } from '../../gateway-api/install.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import { connect } from '../../kube/connect.js';
import type { ResourceMapping } from '../../kube/discovery.js';
import { namespaceMapping } from '../../kube/namespaces.js';
import { launchTestCluster, testPhaseContext, type TestCluster } from '../../kube/testing.js';
import { histogramBuckets, parsePromText, sumOf } from '../../metrics/prom-text.js';
import type { Target } from '../types.js';
import { createLogger } from '../../core/logger.js';
import { attachedRoutesPhase } from './index.js';
import type { AttachedRoutesData } from './run.js';

let cluster: TestCluster;
let client: KubeClient;

beforeAll(async () => {
  cluster = await launchTestCluster({ nodes: 1 });
  client = await connect(cluster.target);
  await ensureGatewayApiCrds(client);
}, 60_000);

afterAll(async () => {
  await client?.close();
  await cluster?.stop();
});

async function run(options: Record<string, unknown>, target: Target = cluster.target, runId?: string) {
  const ctx = testPhaseContext(target, {
    phaseName: 'attached-routes',
    ...(runId ? { runId } : {}),
    ...(process.env.AR_DEBUG ? { log: createLogger({ level: 'debug' }) } : {}),
  });
  const out = await attachedRoutesPhase.run(attachedRoutesPhase.options.parse(options), ctx);
  const data = (out.data as { attachedRoutes: AttachedRoutesData }).attachedRoutes;
  return { out, data, ctx, ops: ctx.recorder.snapshot() };
}

async function exists(m: ResourceMapping, ns: string | undefined, name: string): Promise<boolean> {
  const r = await client.get(m, ns, name);
  if (r?.status === 200) return !(JSON.parse(r.body) as KubeObject).metadata.deletionTimestamp;
  return false;
}

async function create(
  m: ResourceMapping,
  ns: string | undefined,
  body: Record<string, unknown>,
): Promise<void> {
  const obj = { apiVersion: m.group ? `${m.group}/${m.version}` : m.version, kind: m.kind, ...body };
  const r = await client.create(m, ns, JSON.stringify(obj));
  if (r?.status !== 201) throw new Error(`create ${m.kind}: ${r?.status} ${r?.body}`);
}

describe('attached-routes phase (embedded control plane, simulated controller)', () => {
  it('measures setup and teardown over a baseline, counts status writes, asks for the built-in thresholds', async () => {
    const { out, data, ops } = await run({ routes: 60, batchSize: 20 });
    expect(out.invalidReasons).toBeUndefined();
    expect(data.routesCreated).toBe(60);
    expect(data.routesAccepted).toBe(61);
    expect(data.setupMs).toBeGreaterThan(0);
    expect(data.teardownMs).toBeGreaterThan(0);
    expect(data.backends).toMatchObject({ services: 40, endpointsPerService: 2, created: true });
    expect(data.batches.map((b) => b.created)).toEqual([20, 40, 60]);
    expect(data.curve.at(-1)?.attachedRoutes).toBe(60);
    expect(data.steps.map((s) => s.name)).toEqual([
      'gateway',
      'baseline',
      'settle',
      'setup',
      'teardown',
      'drain',
    ]);
    // The poll equivalents are what a poll could have seen: never earlier than the watch.
    expect(data.kgatewayPoll!.setupMs!).toBeGreaterThanOrEqual(data.setupMs!);
    expect(data.kgatewayPoll!.teardownMs!).toBeGreaterThanOrEqual(data.teardownMs!);
    expect(ops['route-create']!.count).toBe(61);
    expect(ops['route-accepted']!.count).toBe(61);
    expect(ops.setup!.count).toBe(1);
    expect(out.thresholds).toEqual(['attached-routes:setup.max < 30s', 'attached-routes:teardown.max < 10s']);
  }, 120_000);

  it('the write count equals the status changes the simulated controller reports making', async () => {
    const { data } = await run({ routes: 100 });
    const reported = data.writes.controllerReported!;
    expect(data.writes.gateway).toBeGreaterThan(1);
    expect(data.writes.httproute).toBe(101);
    expect(data.writes.gateway).toBe(reported.Gateway);
    expect(data.writes.httproute).toBe(reported.HTTPRoute);
    expect(data.writes.total).toBe(data.writes.gateway + data.writes.httproute);
    expect(data.steps.reduce((a, s) => a + s.gatewayStatusWrites, 0)).toBe(data.writes.gateway);
    // The API server saw at least those requests (plus no-ops or conflicts, if any).
    expect(data.writes.apiRequests!.gateways).toBeGreaterThanOrEqual(reported.Gateway!);
    expect(data.writes.kgatewayTotalWrites).toBe(2);
  }, 120_000);

  it('setup tracks an injected translation delay: setup ≥ d, and the controller timings explain it', async () => {
    const d = 400;
    await create(gatewayClassMapping, undefined, {
      metadata: { name: 'slow' },
      spec: { controllerName: 'example.com/slow' },
    });
    const ctl = await launchController('gateway', {
      kubeconfig: cluster.target.kubeconfigPath!,
      options: { controllerName: 'example.com/slow', translationDelayMs: d },
    });
    try {
      const { out, data } = await run({
        routes: 5,
        controller: 'external',
        gatewayClassName: 'slow',
        controllerMetricsUrl: ctl.metricsUrl,
        cleanup: false,
      });
      expect(out.invalidReasons).toBeUndefined();
      expect(data.setupMs!).toBeGreaterThanOrEqual(d);
      expect(data.teardownMs!).toBeGreaterThanOrEqual(d);
      expect(data.translationMs!).toBeGreaterThanOrEqual(0);
      const scrape = parsePromText(await (await fetch(ctl.metricsUrl)).text());
      // Every translation took at least d (none ended in a bucket below it).
      const h = [...histogramBuckets(scrape, 'gateway_translation_duration_seconds', []).values()][0]!
        .buckets;
      const total = h.counts.at(-1)!;
      expect(total).toBeGreaterThanOrEqual(3);
      const below = h.bounds.findLastIndex((le) => le < d / 1000);
      expect(h.counts[below]).toBe(0);
      // The teardown chain: delete sent → translation snapshot → d later the status write → our watch.
      const gw = { namespace: data.gateway.namespace, name: data.gateway.name };
      const started = sumOf(scrape, 'gateway_translation_last_start_timestamp_seconds', gw)! * 1000;
      const wrote = sumOf(scrape, 'gateway_status_last_write_timestamp_seconds', gw)! * 1000;
      const sw = data.stopwatchEpochMs!;
      const clockSkew = 5; // performance.timeOrigin + now() vs Date.now() in another process
      expect(started).toBeGreaterThanOrEqual(sw.teardownSent! - clockSkew);
      expect(wrote - started).toBeGreaterThanOrEqual(d - 1);
      expect(wrote).toBeLessThanOrEqual(sw.teardownObserved! + clockSkew);
      expect(sumOf(scrape, 'gateway_attached_routes', { ...gw, listener: 'http' })).toBe(5);
    } finally {
      await ctl.stop();
    }
  }, 120_000);

  it('bulk with 500 routes reports add-all and remove-all', async () => {
    const { out, data, ops } = await run({
      methodology: 'bulk',
      routes: 500,
      backends: false,
      concurrency: 4,
    });
    expect(out.invalidReasons).toBeUndefined();
    expect(data.addAllMs).toBeGreaterThanOrEqual(0);
    expect(data.removeAllMs).toBeGreaterThan(0);
    expect(ops['add-all']!.count).toBe(1);
    expect(ops['remove-all']!.count).toBe(1);
    expect(ops['route-delete']!.count).toBe(500);
    expect(data.steps.map((s) => s.name)).toEqual(['gateway', 'add-all', 'remove-all', 'drain']);
    expect(data.writes.gatewayApiBenchWrites).toBeGreaterThan(1);
    expect(out.thresholds).toBeUndefined();
  }, 180_000);

  it('restarts the simulated controller between the baseline and the stopwatch', async () => {
    const { out, data, ops } = await run({ routes: 20, restartController: true, backends: false });
    expect(out.invalidReasons).toBeUndefined();
    expect(data.restartMs).toBeGreaterThan(0);
    expect(ops['controller-restart']!.count).toBe(1);
    expect(data.steps.map((s) => s.name)).toContain('restart');
    expect(data.setupMs).toBeGreaterThan(0);
  }, 120_000);

  it('rollout-restarts the Deployment of an external controller', async () => {
    await create(namespaceMapping, undefined, { metadata: { name: 'ctl-system' } });
    await create(deploymentMapping, 'ctl-system', {
      metadata: { name: 'fake-controller', namespace: 'ctl-system' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'fake' } },
        template: {
          metadata: { labels: { app: 'fake' } },
          spec: { containers: [{ name: 'c', image: 'x' }] },
        },
      },
    });
    await create(gatewayClassMapping, undefined, {
      metadata: { name: 'ext' },
      spec: { controllerName: 'example.com/ext' },
    });
    const ctl = await launchController('gateway', {
      kubeconfig: cluster.target.kubeconfigPath!,
      options: { controllerName: 'example.com/ext' },
    });
    try {
      const { out, data } = await run({
        routes: 10,
        backends: false,
        controller: 'external',
        gatewayClassName: 'ext',
        restartController: { namespace: 'ctl-system', deployment: 'fake-controller' },
      });
      expect(out.invalidReasons).toBeUndefined();
      expect(data.restartMs).toBeGreaterThan(0);
      const dep = JSON.parse(
        (await client.get(deploymentMapping, 'ctl-system', 'fake-controller'))!.body,
      ) as {
        spec: { template: { metadata: { annotations?: Record<string, string> } } };
      };
      expect(dep.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toMatch(
        /^\d{4}-/,
      );
    } finally {
      await ctl.stop();
    }
  }, 120_000);

  it('on a kubeconfig target where no controller acts: ends at its timeout, invalid with the reason, cleaned up', async () => {
    await create(gatewayClassMapping, undefined, {
      metadata: { name: 'kgateway' },
      spec: { controllerName: 'example.com/nobody' },
    });
    const target: Target = { ...cluster.target, kind: 'kubeconfig' };
    const runId = `nobody${Date.now().toString(36)}`;
    const { out, data } = await run({ routes: 10, gatewayReadyTimeout: '1s' }, target, runId);
    expect(data.controller.mode).toBe('external');
    expect(out.invalidReasons?.[0]).toMatch(
      /no controller programmed Gateway kubeperf-loadtest-\S+\/test-gateway within 1s \(it never got a status; GatewayClass kgateway has no Accepted condition\)/,
    );
    expect(out.thresholds).toBeUndefined();
    expect(await exists(namespaceMapping, undefined, data.gateway.namespace)).toBe(false);
    expect(await exists(namespaceMapping, undefined, data.backends!.namespace)).toBe(false);
    expect(await exists(gatewayClassMapping, undefined, 'kgateway')).toBe(true);
  }, 120_000);

  it('cleanup removes the routes, Gateway, backends and namespaces it created, and nothing else', async () => {
    // Namespaces and objects that exist before the run and are not its own.
    for (const name of ['shared-tests', 'shared-backends'])
      await create(namespaceMapping, undefined, { metadata: { name } });
    await create(serviceMapping, 'shared-tests', {
      metadata: { name: 'theirs' },
      spec: { ports: [{ port: 80 }] },
    });
    await create(serviceMapping, 'shared-backends', {
      metadata: { name: 'sim-service-x' },
      spec: { ports: [{ port: 80 }] },
    });
    await create(httpRouteMapping, 'shared-tests', {
      metadata: { name: 'their-route' },
      spec: { parentRefs: [{ name: 'test-gateway' }] },
    });
    const { out, data } = await run({
      routes: 30,
      namespace: 'shared-tests',
      backends: { namespace: 'shared-backends' },
    });
    expect(out.invalidReasons).toBeUndefined();
    // Their route attaches to our Gateway too: the stopwatch counts from what the Gateway shows.
    expect(out.warnings).toContainEqual(
      expect.stringMatching(/^attachedRoutes is 31 after the 30-route baseline/),
    );
    expect(data.setupMs).toBeGreaterThan(0);
    expect(data.teardownMs).toBeGreaterThan(0);
    expect(data.cleanup!.deleted).toBeGreaterThan(30);
    // Theirs survive, with their namespaces.
    expect(await exists(serviceMapping, 'shared-tests', 'theirs')).toBe(true);
    expect(await exists(httpRouteMapping, 'shared-tests', 'their-route')).toBe(true);
    expect(await exists(serviceMapping, 'shared-backends', 'sim-service-x')).toBe(true);
    expect(await exists(namespaceMapping, undefined, 'shared-tests')).toBe(true);
    // Ours are gone: every route, the Gateway, loadtest-backend, the backends and their slices.
    const left = async (m: ResourceMapping, ns: string) =>
      (JSON.parse((await client.list(m, ns))!.body) as { items: KubeObject[] }).items.map(
        (o) => o.metadata.name,
      );
    expect(await left(httpRouteMapping, 'shared-tests')).toEqual(['their-route']);
    expect(await left(gatewayMapping, 'shared-tests')).toEqual([]);
    expect(await left(serviceMapping, 'shared-tests')).toEqual(['theirs']);
    expect(await left(serviceMapping, 'shared-backends')).toEqual(['sim-service-x']);
    expect(await exists(gatewayClassMapping, undefined, 'kubeperf')).toBe(false);
    expect(DEFAULT_CONTROLLER_NAME).toBe('kubeperf.io/gateway-controller');
  }, 120_000);
});
