/**
 * One attached-routes test. Setup (CRDs, controller, class, namespace, loadtest-backend, backends,
 * ReferenceGrant), watches opened, then the Gateway is created and must become Programmed; then
 *
 * - incremental (kgateway): N baseline routes in batches with a grace period after each; wait until
 *   listeners[0].attachedRoutes ≥ N (translation of the baseline); check a route is Accepted;
 *   optionally restart the controller; quiet period; stopwatch: create one incremental route and
 *   time until attachedRoutes ≥ N+1 (setup), delete it and time until ≤ N (teardown);
 * - bulk (gateway-api-bench): create N routes, time from the last create until attachedRoutes = N
 *   (add-all); delete them all, time from the first delete until 0 (remove-all).
 *
 * Every step's Gateway and HTTPRoute status changes are counted from the watches, beside the API
 * server's status write requests and the controller's own counters. The phase then deletes what it
 * created (by its run and job labels) unless told not to.
 */
import { InputError, KubeperfError } from '../../core/errors.js';
import { ensureGatewayApiCrds } from '../../gateway-api/install.js';
import {
  gatewayMapping,
  httpRouteMapping,
  referenceGrantMapping,
  serviceMapping,
  type Listener,
} from '../../gateway-api/resources.js';
import { cleanupWith, type CleanupResult } from '../../kube/cleanup.js';
import type { KubeClient } from '../../kube/client.js';
import { connect } from '../../kube/connect.js';
import { createOwned } from '../../kube/owned.js';
import { LABEL_JOB, LABEL_RUN_ID, labelSafe, runLabels } from '../../kube/labels.js';
import { ensureNamespace } from '../../kube/namespaces.js';
import { describeResponse, isSuccess } from '../../kube/response.js';
import { runTasks } from '../../load/model.js';
import { sleep } from '../../load/sleep.js';
import type { PhaseContext, PhaseOutput } from '../types.js';
import { createBackends, simServiceName, type BackendsResult } from '../simulate-backends/backends.js';
import { backendsNamespace } from '../simulate-backends/index.js';
import { kgatewaySizing } from '../simulate-backends/sizing.js';
import { externalController, simulatedController, type ControllerHandle } from './controller.js';
import { StepMeter, type StepCounters } from './meter.js';
import { Observer, type GatewaySample } from './observer.js';
import {
  batchSizeOf,
  controllerMode,
  defaultClassName,
  ms,
  routeCount,
  type AttachedRoutesOptions,
} from './options.js';
import {
  baselineRoute,
  classAccepted,
  ensureGatewayClass,
  gatewayObject,
  incrementalRoute,
  loadtestBackend,
  LOADTEST_BACKEND,
  referenceGrant,
} from './setup.js';
import { builtInThresholds, type BuiltInThreshold } from './thresholds.js';

export interface StepRecord {
  name: string;
  /** Seconds since the phase's Gateway was created. */
  startS: number;
  durationMs: number;
  /** Status changes seen by the watches (distinct resourceVersions). */
  gatewayStatusWrites: number;
  routeStatusWrites: number;
  counters: StepCounters;
}

export interface AttachedRoutesData {
  methodology: 'incremental' | 'bulk';
  routes: number;
  preset?: string;
  routesCreated: number;
  routesAccepted: number;
  batchSize: number;
  gracePeriodMs: number;
  controller: { mode: string; description: string; settings?: Record<string, unknown> };
  gateway: { namespace: string; name: string; className: string; listeners: number };
  backends?: Omit<BackendsResult, 'createdNamespace'> & { created: boolean };
  /** Times, ms (watch-based). */
  programmedMs?: number;
  translationMs?: number;
  restartMs?: number;
  setupMs?: number;
  teardownMs?: number;
  addAllMs?: number;
  removeAllMs?: number;
  /** Wall-clock ms (epoch) of the stopwatch's sends and observations, to line them up with a controller's logs. */
  stopwatchEpochMs?: {
    setupSent: number;
    setupObserved?: number;
    teardownSent?: number;
    teardownObserved?: number;
  };
  /** What kgateway's polls (setup 1 s, teardown 100 ms, translation 5 s) would have reported for this run. */
  kgatewayPoll?: { setupMs?: number; teardownMs?: number; translationMs?: number };
  writes: {
    gateway: number;
    httproute: number;
    total: number;
    /** kgateway's "Total Writes": Gateway status changes during the stopwatch (setup + teardown). */
    kgatewayTotalWrites?: number;
    /** gateway-api-bench's "writes": Gateway status changes during add-all and remove-all. */
    gatewayApiBenchWrites?: number;
    /** The simulated controller's own count of status writes that changed an object, by kind. */
    controllerReported?: Record<string, number>;
    /** Status write requests on Gateway API kinds the API server counted, by resource. */
    apiRequests?: Record<string, number>;
  };
  steps: StepRecord[];
  /** listeners[0].attachedRoutes at each Gateway status change, s since the first route create. */
  curve: { t: number; attachedRoutes: number }[];
  /** Each batch: when it started and ended (s since the first route create) and the routes created by its end. */
  batches: { start: number; t: number; created: number }[];
  controllerCpuSeconds?: number;
  controllerMaxRssBytes?: number;
  thresholds: BuiltInThreshold[];
  violations: string[];
  cleanup?: CleanupResult;
}

const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;

/** At most `max` points, the last always kept. */
function thin<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const step = Math.ceil(xs.length / max);
  const out = xs.filter((_, i) => i % step === 0);
  if (out[out.length - 1] !== xs[xs.length - 1]) out.push(xs[xs.length - 1]!);
  return out;
}

/** What a poll every `intervalMs`, started when the request returned, would have reported from `t0`. */
export function pollEquivalent(t0: number, returned: number, observed: number, intervalMs: number): number {
  const k = Math.max(1, Math.ceil((observed - returned) / intervalMs));
  return round(returned + k * intervalMs - t0);
}

export async function runAttachedRoutes(o: AttachedRoutesOptions, ctx: PhaseContext): Promise<PhaseOutput> {
  const mode = controllerMode(o, ctx.target.kind);
  if (mode === 'simulated' && !ctx.target.kubeconfigPath)
    throw new KubeperfError('the simulated gateway controller needs a kubeconfig for the target');
  if (mode === 'simulated' && typeof o.restartController === 'object')
    throw new InputError('restartController: a Deployment rollout restart is for controller: external', {
      hint: 'use restartController: true to restart the simulated controller process',
    });
  if (mode === 'external' && o.restartController === true)
    throw new InputError("restartController: name the external controller's Deployment", {
      hint: 'restartController: {namespace: kgateway-system, deployment: kgateway}',
    });
  const routes = routeCount(o);
  const batchSize = batchSizeOf(o);
  const graceMs = ms(o.gracePeriod);
  const stepMs = ms(o.stepTimeout);
  const translationMs = ms(o.translationTimeout);
  const settleMs = ms(o.settle);
  const job = labelSafe(ctx.phaseName).toLowerCase();
  const ns = o.namespace ?? `kubeperf-loadtest-${ctx.runId}`.toLowerCase().slice(0, 63);
  const labels = runLabels(ctx.runId, job, 0);
  const className = o.gatewayClassName ?? defaultClassName(mode);
  const listeners = (o.listeners ?? [{ name: 'http', protocol: 'HTTP', port: 80 }]) as Listener[];
  const thresholds = builtInThresholds(o, routes, ctx.phaseName);
  const { recorder, signal } = ctx;
  const warnings: string[] = [];
  const invalid: string[] = [];
  const client = await connect(ctx.target, { connections: o.connections ?? Math.max(8, o.concurrency * 2) });
  let controller: ControllerHandle | undefined;
  let observer: Observer | undefined;
  let cleanup: CleanupResult | undefined;
  const data: Partial<AttachedRoutesData> = {
    methodology: o.methodology,
    routes,
    ...(o.preset ? { preset: o.preset } : {}),
    batchSize,
    gracePeriodMs: graceMs,
    gateway: { namespace: ns, name: o.gatewayName, className, listeners: listeners.length },
    thresholds,
  };
  try {
    ctx.progress.status('installing what the test stands on');
    const crds = await ensureGatewayApiCrds(client, { labels: runLabels(ctx.runId, 'gateway-api-crds', 0) });
    if (crds.installed.length) ctx.log.info(`installed the Gateway API CRDs (${crds.installed.length})`);
    controller =
      mode === 'simulated'
        ? await simulatedController(ctx, o.controllerOptions ?? {}, `gateway-${job}`)
        : externalController(client, {
            metricsUrl: o.controllerMetricsUrl,
            deployment: typeof o.restartController === 'object' ? o.restartController : undefined,
          });
    data.controller = {
      mode,
      description: controller.description,
      ...(controller.settings ? { settings: controller.settings } : {}),
    };
    await ensureGatewayClass(client, className, {
      controllerName: controller.settings?.controllerName,
      labels,
      runId: ctx.runId,
    });
    await ensureNamespace(client, ns, { runId: ctx.runId, job });
    await createOwned(client, serviceMapping, ns, loadtestBackend(ns, labels), ctx.runId);
    const backends = await backendsFor(o, ctx, client, ns, job, routes);
    if (backends) data.backends = backends;
    if (backends && o.referenceGrant && backends.namespace !== ns)
      await createOwned(
        client,
        referenceGrantMapping,
        backends.namespace,
        referenceGrant(ns, backends.namespace, labels),
        ctx.runId,
      );
    const backendOf = (i: number) =>
      backends
        ? { name: simServiceName(i % backends.services), namespace: backends.namespace }
        : { name: LOADTEST_BACKEND };

    const obs = (observer = new Observer(client, {
      namespace: ns,
      gateway: o.gatewayName,
      labelSelector: `${LABEL_RUN_ID}=${ctx.runId},${LABEL_JOB}=${job}`,
      recorder,
    }));
    await obs.start();
    const meter = new StepMeter(client, controller.metricsUrl);
    const steps: { name: string; start: number }[] = [];
    const step = async (name: string) => {
      await meter.mark();
      steps.push({ name, start: performance.now() });
      ctx.progress.status(name);
    };
    const stillValid = () => {
      const gone = controller?.gone();
      if (gone && !invalid.includes(gone)) invalid.push(gone);
      if (obs.lost && !invalid.includes(obs.lost)) invalid.push(obs.lost);
      return !gone && !obs.lost && !signal.aborted;
    };
    const attached = (s: GatewaySample) => s.attachedRoutes ?? -1;

    // The Gateway, and the controller's first answer to it.
    await step('gateway');
    const tGw = performance.now();
    await createOwned(
      client,
      gatewayMapping,
      ns,
      gatewayObject(o.gatewayName, ns, className, listeners, labels),
      ctx.runId,
      'gateway-create',
      { recorder },
    );
    const programmed = await obs.waitFor((s) => s.programmed, ms(o.gatewayReadyTimeout), signal);
    let created = 0;
    let firstCreate: number | undefined;
    const batches: { start: number; t: number; created: number }[] = [];
    /** Creates routes [from, to) in batches; returns when the last create returned. */
    const createRoutes = async (from: number, to: number, batch: number, grace: number) => {
      let lastReturned = performance.now();
      let failures = 0;
      for (let b = from; b < to && stillValid(); b += batch) {
        const end = Math.min(b + batch, to);
        const start = performance.now();
        await runTasks(
          { concurrency: o.concurrency },
          end - b,
          async (j, intendedMs) => {
            const i = b + j;
            const body = baselineRoute(o.gatewayName, i, ns, backendOf(i), {
              ...labels,
              'kubeperf.io/batch': String(Math.floor(i / batch)),
            });
            firstCreate ??= intendedMs;
            obs.tracking(body.metadata.name!, intendedMs);
            const r = await client.create(httpRouteMapping, ns, JSON.stringify(body), 'route-create', {
              recorder,
              intendedMs,
              signal,
            });
            lastReturned = performance.now();
            if (r && isSuccess(r)) created++;
            else {
              obs.forget(body.metadata.name!);
              if (++failures <= 3)
                warnings.push(
                  `create HTTPRoute ${body.metadata.name}: ${r ? describeResponse(r) : 'connection failed'}`,
                );
            }
          },
          { defaultConcurrency: 1, signal },
        );
        batches.push({ start, t: performance.now(), created });
        ctx.progress.advance(end - b);
        if (grace > 0) await sleep(grace, signal).catch(() => {});
      }
      if (failures) invalid.push(`${failures} of ${to - from} route creates failed`);
      return lastReturned;
    };

    if (!programmed) {
      const cur = obs.current;
      const accepted = await classAccepted(client, className);
      invalid.push(
        `no controller programmed Gateway ${ns}/${o.gatewayName} within ${o.gatewayReadyTimeout} (${cur ? 'its status never said Programmed=True' : 'it never got a status'}; GatewayClass ${className}${accepted ? ` Accepted=${accepted}` : ' has no Accepted condition'})`,
      );
    } else {
      data.programmedMs = round(programmed.t - tGw);
      recorder.record('gateway-programmed', tGw, programmed.t);
      ctx.progress.start(routes, 'routes');
      if (o.methodology === 'incremental') {
        await step('baseline');
        const lastCreate = await createRoutes(0, routes, batchSize, graceMs);
        const target = created;
        ctx.progress.status(`waiting for attachedRoutes ≥ ${target}`);
        const done = stillValid()
          ? await obs.waitFor((s) => attached(s) >= target, translationMs, signal)
          : undefined;
        if (!done) {
          if (stillValid())
            invalid.push(
              `attachedRoutes did not reach ${target} within ${o.translationTimeout} of the last create (last seen ${obs.current?.attachedRoutes ?? 'none'})`,
            );
        } else {
          data.translationMs = round(Math.max(0, done.t - lastCreate));
          recorder.record('translation', lastCreate, done.t);
          data.kgatewayPoll = { translationMs: pollEquivalent(lastCreate, lastCreate, done.t, 5000) };
          await checkOneAccepted(obs, `${o.gatewayName}-route-0`, stepMs, signal, invalid);
          if (o.restartController && stillValid()) {
            await step('restart');
            const t = performance.now();
            await controller.restart(translationMs);
            const again = await obs.waitFor((s) => attached(s) >= target, translationMs, signal);
            if (!again)
              invalid.push(
                `after the controller restart attachedRoutes was not ${target} within ${o.translationTimeout}`,
              );
            data.restartMs = round(performance.now() - t);
            recorder.record('controller-restart', t, performance.now());
          }
          if (stillValid()) {
            await step('settle');
            if (!(await drained(obs, meter, settleMs, stepMs, signal)))
              warnings.push(
                `status writes did not stop for ${o.settle} within ${o.stepTimeout} before the stopwatch`,
              );
            // The stopwatch counts from what the Gateway shows now: routes of others may attach too.
            const base = obs.current?.attachedRoutes ?? target;
            if (base !== target)
              warnings.push(
                `attachedRoutes is ${base} after the ${target}-route baseline: other routes attach to the Gateway, or the controller counts differently; setup waits for ${base + 1}, teardown for ${base}`,
              );
            await stopwatch(base);
          }
        }
      } else {
        await step('add-all');
        const lastCreate = await createRoutes(0, routes, batchSize, batchSize < routes ? graceMs : 0);
        const target = created;
        ctx.progress.status(`waiting for attachedRoutes = ${target}`);
        const full = stillValid()
          ? await obs.waitFor(
              (s) => s.t >= (firstCreate ?? 0) && attached(s) === target,
              translationMs,
              signal,
            )
          : undefined;
        if (!full) {
          if (stillValid())
            invalid.push(
              `attachedRoutes did not reach ${target} within ${o.translationTimeout} of the last create (last seen ${obs.current?.attachedRoutes ?? 'none'})`,
            );
        } else {
          data.addAllMs = round(Math.max(0, full.t - lastCreate));
          recorder.record('add-all', lastCreate, full.t);
          await step('remove-all');
          const tDel = performance.now();
          const names = [...obs.routes.keys()];
          await runTasks(
            { concurrency: o.concurrency },
            names.length,
            async (i, intendedMs) => {
              await client.delete(httpRouteMapping, ns, names[i]!, 'route-delete', {
                recorder,
                intendedMs,
                signal,
              });
            },
            { defaultConcurrency: 1, signal },
          );
          const empty = stillValid()
            ? await obs.waitFor((s) => s.t >= tDel && attached(s) === 0, translationMs, signal)
            : undefined;
          if (!empty) {
            if (stillValid())
              invalid.push(
                `attachedRoutes did not return to 0 within ${o.translationTimeout} of the first delete (last seen ${obs.current?.attachedRoutes ?? 'none'})`,
              );
          } else {
            data.removeAllMs = round(empty.t - tDel);
            recorder.record('remove-all', tDel, empty.t);
          }
        }
      }
      if (stillValid()) {
        await step('drain');
        if (!(await drained(obs, meter, settleMs, stepMs, signal)))
          warnings.push(`status writes were still going on ${o.stepTimeout} after the last step`);
      }
    }
    await meter.mark();
    const end = performance.now();
    stillValid();

    async function stopwatch(target: number): Promise<void> {
      await step('setup');
      const body = incrementalRoute(o.gatewayName, ns, labels);
      const name = body.metadata.name!;
      const t0 = performance.now();
      obs.tracking(name, t0);
      const r = await client.create(httpRouteMapping, ns, JSON.stringify(body), 'route-create', {
        recorder,
        intendedMs: t0,
      });
      const returned = performance.now();
      if (!r || !isSuccess(r)) {
        invalid.push(`create ${name}: ${r ? describeResponse(r) : 'connection failed'}`);
        return;
      }
      const epoch = (t: number) => Math.round((performance.timeOrigin + t) * 1000) / 1000;
      const sw: NonNullable<AttachedRoutesData['stopwatchEpochMs']> = (data.stopwatchEpochMs = {
        setupSent: epoch(t0),
      });
      const up = await obs.waitFor((s) => attached(s) >= target + 1, stepMs, signal);
      if (!up) {
        recorder.record('setup', t0, performance.now(), { reason: 'Timeout', code: 0 });
        warnings.push(
          `setup: attachedRoutes did not reach ${target + 1} within ${o.stepTimeout} of creating ${name}`,
        );
      } else {
        data.setupMs = round(up.t - t0);
        sw.setupObserved = epoch(up.t);
        recorder.record('setup', t0, up.t);
        data.kgatewayPoll!.setupMs = pollEquivalent(t0, returned, up.t, 1000);
      }
      await step('teardown');
      const t1 = performance.now();
      sw.teardownSent = epoch(t1);
      const d = await client.delete(httpRouteMapping, ns, name, 'route-delete', { recorder, intendedMs: t1 });
      const deleted = performance.now();
      if (!d || !isSuccess(d)) {
        invalid.push(`delete ${name}: ${d ? describeResponse(d) : 'connection failed'}`);
        return;
      }
      if (!up) return;
      const down = await obs.waitFor((s) => s.t >= t1 && attached(s) <= target, stepMs, signal);
      if (!down) {
        recorder.record('teardown', t1, performance.now(), { reason: 'Timeout', code: 0 });
        warnings.push(
          `teardown: attachedRoutes did not return to ${target} within ${o.stepTimeout} of deleting ${name}`,
        );
      } else {
        data.teardownMs = round(down.t - t1);
        sw.teardownObserved = epoch(down.t);
        recorder.record('teardown', t1, down.t);
        data.kgatewayPoll!.teardownMs = pollEquivalent(t1, deleted, down.t, 100);
      }
    }

    // Counts per step, from the watches and the counters.
    const bounds = [...steps.map((s) => s.start), end];
    const count = (times: number[], a: number, b: number) => times.filter((t) => t >= a && t < b).length;
    data.steps = steps.map((s, i) => ({
      name: s.name,
      startS: round((s.start - tGw) / 1000, 3),
      durationMs: round(bounds[i + 1]! - s.start),
      gatewayStatusWrites: count(obs.gatewayChanges, s.start, bounds[i + 1]!),
      routeStatusWrites: count(obs.routeChanges, s.start, bounds[i + 1]!),
      counters: meter.step(i),
    }));
    warnings.push(...meter.warnings);
    const sum = (f: (s: StepRecord) => number) => data.steps!.reduce((a, s) => a + f(s), 0);
    const byKey = (f: (s: StepRecord) => Record<string, number> | undefined) => {
      const out: Record<string, number> = {};
      let any = false;
      for (const s of data.steps!) {
        const m = f(s);
        if (!m) continue;
        any = true;
        for (const [k, v] of Object.entries(m)) out[k] = (out[k] ?? 0) + v;
      }
      return any ? out : undefined;
    };
    const stepWrites = (names: string[]) =>
      data.steps!.filter((s) => names.includes(s.name)).reduce((a, s) => a + s.gatewayStatusWrites, 0);
    const gatewayWrites = sum((s) => s.gatewayStatusWrites);
    const routeWrites = sum((s) => s.routeStatusWrites);
    data.writes = {
      gateway: gatewayWrites,
      httproute: routeWrites,
      total: gatewayWrites + routeWrites,
      ...(o.methodology === 'incremental' && data.setupMs !== undefined
        ? { kgatewayTotalWrites: stepWrites(['setup', 'teardown']) }
        : {}),
      ...(o.methodology === 'bulk' && data.addAllMs !== undefined
        ? { gatewayApiBenchWrites: stepWrites(['add-all', 'remove-all']) }
        : {}),
    };
    const reported = byKey((s) => s.counters.controllerStatusWrites);
    if (reported) data.writes.controllerReported = reported;
    const api = byKey((s) => s.counters.apiStatusWrites);
    if (api) data.writes.apiRequests = api;
    const cpu = data.steps
      .map((s) => s.counters.controllerCpuSeconds)
      .filter((x): x is number => x !== undefined);
    if (cpu.length)
      data.controllerCpuSeconds = round(
        cpu.reduce((a, b) => a + b, 0),
        3,
      );
    const rss = data.steps
      .map((s) => s.counters.controllerRssBytes)
      .filter((x): x is number => x !== undefined);
    if (rss.length) data.controllerMaxRssBytes = Math.max(...rss);

    const origin = firstCreate ?? tGw;
    const curveEnd =
      steps.find((s) => s.name === 'settle' || s.name === 'restart' || s.name === 'drain')?.start ?? end;
    data.curve = thin(
      obs.gatewaySamples
        .filter((s) => s.attachedRoutes !== undefined && s.t >= origin && s.t <= curveEnd)
        .map((s) => ({ t: round((s.t - origin) / 1000, 3), attachedRoutes: s.attachedRoutes! })),
      1000,
    );
    data.batches = thin(
      batches.map((b) => ({
        start: round(Math.max(0, b.start - origin) / 1000, 3),
        t: round((b.t - origin) / 1000, 3),
        created: b.created,
      })),
      500,
    );
    data.routesCreated = created;
    data.routesAccepted = [...obs.routes.values()].filter((r) => r.acceptedMs !== undefined).length;
    data.violations = [...obs.violations];
    if (mode === 'external' && !o.controllerMetricsUrl)
      warnings.push(
        "no controllerMetricsUrl: the controller's CPU, memory and reconciles were not read (set it to its /metrics URL or service proxy path)",
      );
  } finally {
    await observer?.stop();
    if (o.cleanup && !signal.aborted) {
      ctx.progress.status('deleting the routes, Gateway, backends and namespaces');
      cleanup = await cleanupWith(client, {
        runId: ctx.runId,
        extraSelector: `${LABEL_JOB}=${job}`,
        log: ctx.log,
        timeoutMs: 120_000,
      }).catch((e: unknown) => {
        warnings.push(`cleanup: ${(e as Error).message}`);
        return undefined;
      });
    }
    await controller?.stop();
    await client.close();
  }
  if (cleanup) data.cleanup = cleanup;
  return {
    data: { attachedRoutes: data as AttachedRoutesData },
    ...(thresholds.length && !invalid.length ? { thresholds: thresholds.map((t) => t.expression) } : {}),
    ...(warnings.length ? { warnings: [...new Set(warnings)] } : {}),
    ...(invalid.length ? { invalidReasons: invalid } : {}),
  };
}

async function backendsFor(
  o: AttachedRoutesOptions,
  ctx: PhaseContext,
  client: KubeClient,
  ns: string,
  job: string,
  routes: number,
): Promise<AttachedRoutesData['backends'] | undefined> {
  if (o.backends === false) return undefined;
  const b = o.backends;
  const namespace = b.namespace ?? backendsNamespace(ctx.runId);
  const services = b.services ?? kgatewaySizing(routes).services;
  if (!b.create)
    return {
      namespace,
      services,
      endpointSlices: services,
      endpointsPerService: b.endpointsPerService,
      setupMs: 0,
      created: false,
    };
  if (namespace === ns)
    throw new InputError('backends.namespace is the test namespace', {
      hint: 'the backends live in a namespace of their own, as in kgateway',
    });
  ctx.progress.status(`creating ${services} simulated backends`);
  const r = await createBackends(
    client,
    { namespace, services, endpointsPerService: b.endpointsPerService, concurrency: 16 },
    { runId: ctx.runId, job, signal: ctx.signal },
  );
  const { createdNamespace: _, ...rest } = r;
  return { ...rest, created: true };
}

/**
 * The end of the status writes, so the counts of the watch and of the controller cover the same
 * writes: no change seen for `quietMs`, the controller idle (when its /metrics says), and still no
 * new change after that.
 */
async function drained(
  obs: Observer,
  meter: StepMeter,
  quietMs: number,
  timeoutMs: number,
  signal: AbortSignal,
) {
  const end = performance.now() + timeoutMs;
  const seen = () => obs.gatewayChanges.length + obs.routeChanges.length;
  while (!signal.aborted) {
    if (!(await obs.quiet(quietMs, end - performance.now(), signal))) return false;
    const before = seen();
    const idle = await meter.controllerIdle();
    if (idle === undefined) return true;
    if (idle) {
      await sleep(Math.min(quietMs, 100), signal).catch(() => {});
      if (seen() === before) return true;
    }
    if (performance.now() > end) return false;
    await sleep(50, signal).catch(() => {});
  }
  return false;
}

/** kgateway checks that a baseline route is Accepted before the stopwatch. */
async function checkOneAccepted(
  obs: Observer,
  name: string,
  timeoutMs: number,
  signal: AbortSignal,
  invalid: string[],
): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (obs.routes.get(name)?.acceptedMs === undefined && performance.now() < end && !signal.aborted) {
    const acc = obs.routes.get(name)?.accepted;
    if (acc?.status === 'False') break;
    await sleep(20, signal).catch(() => {});
  }
  const st = obs.routes.get(name);
  if (st?.acceptedMs !== undefined || signal.aborted) return;
  invalid.push(
    st?.accepted
      ? `HTTPRoute ${name} is not Accepted: ${st.accepted.reason ?? ''} ${st.accepted.message ?? ''}`.trim()
      : `HTTPRoute ${name} got no parent status for the Gateway within ${timeoutMs / 1000} s`,
  );
}
