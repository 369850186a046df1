/**
 * One round of the kro phase: apply the RGD and wait until kro accepts it; open a watch on the
 * instances (before the first create); create N instances under the load model; time each one from
 * its create to the first watch event showing it ACTIVE (Ready for its current generation); then
 * optionally update a spec field on a fraction of them (time to ACTIVE again at the new generation)
 * and delete them (time until the watch shows them gone). Around it: API server and controller
 * /metrics before and after (requests, watch events, reconciles), the controller's queue sampled
 * over time, and the children counted by kro's labels.
 */
import { parseDuration } from '../../config/duration.js';
import { InputError, KubeperfError } from '../../core/errors.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import { UnknownKindError, type ResourceMapping } from '../../kube/discovery.js';
import { LABEL_JOB, LABEL_RUN_ID, runLabels } from '../../kube/labels.js';
import { ensureNamespace } from '../../kube/namespaces.js';
import { describeResponse, isSuccess } from '../../kube/response.js';
import type { MetricsFetch } from '../../kube/metrics-fetch.js';
import { watch, type Watcher } from '../../kube/watch.js';
import { runTasks } from '../../load/model.js';
import { sleep } from '../../load/sleep.js';
import type { Recorder } from '../../metrics/recorder.js';
import type { PhaseContext } from '../types.js';
import {
  apiServerRound,
  controllerRound,
  QueueSampler,
  round,
  scrapeApiServer,
  scrapeController,
  type ApiServerRound,
  type ControllerRound,
  type QueueSample,
} from './controller-metrics.js';
import { defaultKroConcurrency, type KroOptions } from './options.js';
import type { RgdSource } from './rgd-source.js';
import { limitingShaper, type ShaperSettings, type ShaperVerdict } from './shaper.js';

export interface RoundSpec {
  index: number;
  /** Sweep x value, when the round is a sweep point. */
  x?: number;
  source: RgdSource;
  instances: number;
  /** Settings of the controller doing the work (known for the simulated one). */
  settings?: ShaperSettings;
  settingsAssumed?: boolean;
  controllerMetrics?: MetricsFetch;
  /** Set when the controller process died: the reason. */
  controllerGone?: () => string | undefined;
}

export interface RoundEnv {
  ctx: PhaseContext;
  client: KubeClient;
  o: KroOptions;
  recorder: Recorder;
  jobName: string;
  apiMetrics?: MetricsFetch;
}

export interface RoundResult {
  index: number;
  x?: number;
  rgd: {
    name: string;
    kind: string;
    label: string;
    resources: number;
    depth: number;
    complexity?: string;
    topologicalOrder: string[];
  };
  instances: number;
  created: number;
  active: number;
  /** Instances that never showed any status (no controller reconciled them). */
  neverReconciled: number;
  timedOut: number;
  windowS: number;
  createWindowS: number;
  /** Cumulative created and ACTIVE instances over time (s since the first create). */
  curve: { t: number; created: number; active: number }[];
  childrenPerInstance?: number;
  apiServer?: ApiServerRound & {
    perInstance: number;
    byVerbPerInstance: Record<string, number>;
    watchEventsPerInstance?: number;
  };
  /** Events the round's own instance watch received, per instance (status writes show here). */
  instanceEventsPerInstance: number;
  controller?: ControllerRound & { reconcilesPerInstance: number; requestsPerInstance?: number };
  queue: QueueSample[];
  shaper: ShaperVerdict;
  updated?: number;
  deleted?: number;
  invalidReasons: string[];
  warnings: string[];
}

interface Tracked {
  sentMs: number;
  createdMs?: number;
  activeMs?: number;
  statusSeen: boolean;
  generation: number;
  /** Waiting for ACTIVE at this generation after an update. */
  updateSentMs?: number;
  updateGeneration?: number;
  deleteSentMs?: number;
  obj?: KubeObject;
}

const isActive = (o: KubeObject, minGeneration = 0): boolean => {
  const st = o.status as
    | { state?: string; conditions?: { type: string; status: string; observedGeneration?: number }[] }
    | undefined;
  if (st?.state !== 'ACTIVE') return false;
  const gen = o.metadata.generation ?? 0;
  const ready = st.conditions?.find((c) => c.type === 'Ready');
  // kro writes ACTIVE only for the current generation; check it anyway for controllers that do not.
  return gen >= minGeneration && (ready?.observedGeneration === undefined || ready.observedGeneration >= gen);
};

function fill(v: unknown, name: string, index: number): unknown {
  if (typeof v === 'string') return v.replaceAll('{{name}}', name).replaceAll('{{index}}', String(index));
  if (Array.isArray(v)) return v.map((x) => fill(x, name, index));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, name, index)]));
  return v;
}

function nextValue(current: unknown): unknown {
  if (typeof current === 'number') return current + 1;
  if (typeof current === 'boolean') return !current;
  if (typeof current === 'string') return `${current}-u`;
  return 1;
}

const at = (o: unknown, path: string[]) =>
  path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

/** Waits while `pending()` > 0; returns early when `stalled()` says so, at the deadline otherwise. */
async function waitFor(
  pending: () => number,
  deadline: number,
  signal: AbortSignal,
  stalled?: () => boolean,
): Promise<void> {
  while (pending() > 0 && performance.now() < deadline && !signal.aborted) {
    if (stalled?.()) return;
    await sleep(50, signal).catch(() => {});
  }
}

export function namespaceOf(o: KroOptions, i: number): string {
  return o.namespaces > 1 ? `${o.namespace}-${i % o.namespaces}` : o.namespace;
}

/** Creates (or, when this run created it, updates) the RGD; waits until kro accepts it. */
export async function applyRgd(
  env: RoundEnv,
  source: RgdSource,
  noProgressMs: number,
): Promise<ResourceMapping> {
  const { client, ctx } = env;
  let rgdMapping: ResourceMapping;
  try {
    rgdMapping = await client.mapper.resolve('kro.run/v1alpha1', 'ResourceGraphDefinition');
  } catch (e) {
    if (!(e instanceof UnknownKindError)) throw e;
    throw new KubeperfError(
      `the target does not serve kro.run/v1alpha1 ResourceGraphDefinition: kro is not installed (no controller can act on the instances)`,
      {
        hint: "install kro on the cluster, or use controller: simulated to run kubeperf's kro controller against it",
      },
    );
  }
  const name = (source.doc.metadata as { name: string }).name;
  const doc = structuredClone(source.doc) as KubeObject;
  doc.metadata.labels = { ...(doc.metadata.labels ?? {}), ...runLabels(ctx.runId, env.jobName, 0) };
  const existing = await client.get(rgdMapping, undefined, name, 'setup');
  if (existing?.status === 200) {
    const cur = JSON.parse(existing.body) as KubeObject;
    if (cur.metadata.labels?.[LABEL_RUN_ID] !== ctx.runId) {
      throw new InputError(`ResourceGraphDefinition ${name} already exists and was not created by this run`, {
        hint: 'kubeperf never changes objects it did not create: rename the RGD in the study or delete it first',
      });
    }
    doc.metadata.resourceVersion = cur.metadata.resourceVersion;
    const r = await client.update(rgdMapping, undefined, name, JSON.stringify(doc), 'setup');
    if (!r || !isSuccess(r))
      throw new KubeperfError(
        `update ResourceGraphDefinition ${name}: ${r ? describeResponse(r) : 'connection failed'}`,
      );
  } else {
    const r = await client.create(rgdMapping, undefined, JSON.stringify(doc), 'setup');
    if (!r || !isSuccess(r))
      throw new KubeperfError(
        `create ResourceGraphDefinition ${name}: ${r ? describeResponse(r) : 'connection failed'}`,
      );
  }
  const current = async () => {
    const r = await client.get(rgdMapping, undefined, name, 'setup');
    return r?.status === 200 ? (JSON.parse(r.body) as KubeObject) : undefined;
  };
  const deadline = performance.now() + noProgressMs;
  for (;;) {
    const cur = await current();
    const st = cur?.status as
      | {
          state?: string;
          conditions?: { type: string; status: string; message?: string; observedGeneration?: number }[];
        }
      | undefined;
    const accepted = st?.conditions?.find((c) => c.type === 'GraphAccepted');
    const fresh =
      accepted?.observedGeneration === undefined ||
      accepted.observedGeneration >= (cur?.metadata.generation ?? 0);
    if (fresh && accepted?.status === 'False') {
      throw new InputError(
        `kro rejected ResourceGraphDefinition ${name} (${source.label}): ${accepted.message ?? 'GraphAccepted=False'}`,
        {
          hint: 'fix the RGD; an unknown kind means its CRD is not installed on the target',
        },
      );
    }
    if (fresh && st?.state === 'Active') break;
    if (performance.now() > deadline) {
      throw new KubeperfError(
        `no kro controller acted on ResourceGraphDefinition ${name} within ${Math.round(noProgressMs / 1000)} s (${st?.state ? `state ${st.state}` : 'it has no status'})`,
        { hint: "is kro running on this cluster? (controller: simulated runs kubeperf's own)" },
      );
    }
    if (ctx.signal.aborted) throw new KubeperfError('interrupted while waiting for the RGD');
    await sleep(100, ctx.signal).catch(() => {});
  }
  const { schema } = source.compiled;
  const until = performance.now() + 30_000;
  for (;;) {
    try {
      return await client.mapper.resolve(`${schema.group}/${schema.apiVersion}`, schema.kind);
    } catch (e) {
      if (!(e instanceof UnknownKindError) || performance.now() > until) throw e;
      await sleep(100);
    }
  }
}

export async function runRound(env: RoundEnv, spec: RoundSpec, m: ResourceMapping): Promise<RoundResult> {
  const { client, ctx, o, recorder } = env;
  const timeoutMs = parseDuration(o.timeout)!;
  const noProgressMs = parseDuration(o.noProgressTimeout)!;
  const warnings: string[] = [...spec.source.warnings];
  const invalidReasons: string[] = [];
  const prefix = `${env.jobName}-${spec.index}`.slice(0, 40);
  const names = Array.from({ length: spec.instances }, (_, i) => `${prefix}-${i}`);
  const keyOf = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;
  const tracked = new Map<string, Tracked>();
  let instanceEvents = 0;

  const nss = new Set(names.map((_, i) => namespaceOf(o, i)));
  if (m.namespaced)
    await Promise.all(
      [...nss].map((ns) => ensureNamespace(client, ns, { runId: ctx.runId, job: env.jobName })),
    );

  const selector = `${LABEL_RUN_ID}=${ctx.runId},${LABEL_JOB}=${env.jobName},kubeperf.io/iteration=${spec.index}`;
  const watchers: Watcher[] = [
    await watch(client, m, {
      labelSelector: selector,
      onEvent: (e) => {
        const t = tracked.get(keyOf(e.object.metadata.namespace, e.object.metadata.name!));
        if (!t) return;
        instanceEvents++;
        if (e.type === 'DELETED') {
          if (t.deleteSentMs !== undefined) {
            recorder.record('instance-deleted', t.deleteSentMs, e.receivedMs);
            t.deleteSentMs = undefined;
          }
          return;
        }
        t.obj = e.object;
        if (e.object.status) t.statusSeen = true;
        if (t.activeMs === undefined && isActive(e.object)) {
          t.activeMs = e.receivedMs;
          recorder.record('instance-ready', t.sentMs, e.receivedMs);
        }
        if (t.updateSentMs !== undefined && isActive(e.object, t.updateGeneration)) {
          recorder.record('instance-update-ready', t.updateSentMs, e.receivedMs);
          t.updateSentMs = undefined;
        }
      },
      onLost: (reason) => invalidReasons.push(`the instance watch was lost: ${reason}`),
    }),
  ];

  const [apiBefore, ctrlBefore] = await Promise.all([
    env.apiMetrics ? scrapeApiServer(env.apiMetrics).catch(() => undefined) : undefined,
    spec.controllerMetrics ? scrapeController(spec.controllerMetrics).catch(() => undefined) : undefined,
  ]);
  if (spec.controllerMetrics && !ctrlBefore)
    warnings.push("the controller's /metrics could not be read: no reconcile or queue figures");
  const t0 = performance.now();
  const sampler =
    spec.controllerMetrics && ctrlBefore ? new QueueSampler(spec.controllerMetrics, t0) : undefined;
  sampler?.start();

  const baseSpec = o.spec ?? (o.rgd ? {} : { name: '{{name}}' });
  let lastCreateMs = t0;
  let createFailures = 0;
  ctx.progress.start(spec.instances, 'instances');
  ctx.progress.status(`round ${spec.index + 1}: creating ${spec.instances} instances of ${m.kind}`);
  try {
    await runTasks(
      o,
      spec.instances,
      async (i, intendedMs) => {
        const name = names[i]!;
        const namespace = m.namespaced ? namespaceOf(o, i) : undefined;
        const body = {
          apiVersion: `${m.group}/${m.version}`,
          kind: m.kind,
          metadata: {
            name,
            ...(namespace ? { namespace } : {}),
            labels: runLabels(ctx.runId, env.jobName, spec.index),
          },
          spec: fill(baseSpec, name, i),
        };
        const t: Tracked = { sentMs: intendedMs, statusSeen: false, generation: 1 };
        tracked.set(keyOf(namespace, name), t);
        const r = await client.create(m, namespace, JSON.stringify(body), 'instance-create', {
          recorder,
          intendedMs,
          signal: ctx.signal,
        });
        lastCreateMs = performance.now();
        if (r && isSuccess(r)) {
          t.createdMs = lastCreateMs;
        } else {
          tracked.delete(keyOf(namespace, name));
          createFailures++;
          if (createFailures <= 3)
            warnings.push(
              `create ${m.kind} ${namespace ?? ''}/${name}: ${r ? describeResponse(r) : 'connection failed'}`,
            );
        }
        ctx.progress.advance(1, r && isSuccess(r) ? 0 : 1);
      },
      { defaultConcurrency: defaultKroConcurrency, signal: ctx.signal },
    );
    const created = [...tracked.values()];
    const pendingActive = () => created.filter((t) => t.activeMs === undefined).length;
    ctx.progress.status(`round ${spec.index + 1}: waiting for ${pendingActive()} instances to become ACTIVE`);
    const stalled = () =>
      !!spec.controllerGone?.() ||
      (!created.some((t) => t.statusSeen) && performance.now() - lastCreateMs > noProgressMs);
    await waitFor(pendingActive, t0 + timeoutMs, ctx.signal, stalled);
    const now = performance.now();
    const notActive = created.filter((t) => t.activeMs === undefined);
    for (const t of notActive)
      recorder.record('instance-ready', t.sentMs, now, { reason: 'Timeout', code: 0 });
    const neverReconciled = notActive.filter((t) => !t.statusSeen).length;
    const gone = spec.controllerGone?.();
    if (gone) invalidReasons.push(gone);
    if (neverReconciled === created.length && created.length > 0) {
      invalidReasons.push(
        `no controller reconciled 0/${created.length} instances in ${Math.round((now - lastCreateMs) / 1000)} s (none got a status)`,
      );
    } else if (notActive.length) {
      invalidReasons.push(
        `${notActive.length}/${created.length} instances did not become ACTIVE within ${o.timeout}${neverReconciled ? ` (${neverReconciled} never got a status)` : ''}`,
      );
    }
    const activeTimes = created.map((t) => t.activeMs).filter((x): x is number => x !== undefined);
    const lastActive = activeTimes.length ? Math.max(...activeTimes) : now;
    const windowS = Math.max(1e-3, (lastActive - t0) / 1000);
    const createWindowS = Math.max(1e-3, (lastCreateMs - t0) / 1000);
    const curve = cumulative(
      created.map((t) => (t.createdMs ?? t.sentMs) - t0),
      activeTimes.map((a) => a - t0),
    );

    // Let requeued reconciles (kro: 3 s after each mutation) land inside the measured window.
    if (activeTimes.length) await sleep(parseDuration(o.settle)!, ctx.signal).catch(() => {});
    const [apiAfter, ctrlAfter] = await Promise.all([
      env.apiMetrics && apiBefore ? scrapeApiServer(env.apiMetrics).catch(() => undefined) : undefined,
      spec.controllerMetrics && ctrlBefore
        ? scrapeController(spec.controllerMetrics).catch(() => undefined)
        : undefined,
    ]);
    const metricsWindowS = (performance.now() - t0) / 1000;
    const queue = sampler?.stop() ?? [];
    const n = Math.max(1, created.length);
    const api = apiBefore && apiAfter ? apiServerRound(apiBefore, apiAfter) : undefined;
    const controller = ctrlBefore && ctrlAfter ? controllerRound(ctrlBefore, ctrlAfter) : undefined;

    const childrenPerInstance = await countChildren(client, spec.source, m.kind).then(
      (c) => (c === undefined ? undefined : round(c / n, 3)),
      () => undefined,
    );

    const readyP50 = recorder.snapshot()['instance-ready']?.latencyMs.p50;
    const requeueMs = spec.settings?.requeueAfterMs ?? 0;
    const delays = created.filter((t) => t.activeMs !== undefined).map((t) => t.activeMs! - t.sentMs);
    const aligned =
      requeueMs > 0 ? delays.filter((d) => d >= requeueMs && d % requeueMs < 0.25 * requeueMs).length : 0;
    const shaper = limitingShaper({
      instances: created.length,
      ready: activeTimes.length,
      windowS,
      createWindowS,
      timeToActiveP50Ms: readyP50,
      requeueAlignedShare: delays.length ? aligned / delays.length : undefined,
      controller,
      metricsWindowS,
      settings: spec.settings,
      settingsAssumed: spec.settingsAssumed,
    });

    let updated: number | undefined;
    if (o.update && activeTimes.length && !ctx.signal.aborted)
      updated = await updateStep(env, m, tracked, timeoutMs, invalidReasons);
    let deleted: number | undefined;
    if (o.delete && !ctx.signal.aborted)
      deleted = await deleteStep(env, m, tracked, timeoutMs, invalidReasons);

    return {
      index: spec.index,
      x: spec.x,
      rgd: {
        name: (spec.source.doc.metadata as { name: string }).name,
        kind: m.kind,
        label: spec.source.label,
        resources: spec.source.resources,
        depth: spec.source.depth,
        complexity: spec.source.complexity,
        topologicalOrder: spec.source.compiled.topologicalOrder,
      },
      instances: spec.instances,
      created: created.length,
      active: activeTimes.length,
      neverReconciled,
      timedOut: notActive.length,
      windowS: round(windowS, 3),
      createWindowS: round(createWindowS, 3),
      curve,
      childrenPerInstance,
      apiServer: api && {
        ...api,
        perInstance: round(api.requests / n, 2),
        byVerbPerInstance: Object.fromEntries(
          Object.entries(api.byVerb).map(([k, v]) => [k, round(v / n, 2)]),
        ),
        watchEventsPerInstance: api.watchEvents === undefined ? undefined : round(api.watchEvents / n, 2),
      },
      instanceEventsPerInstance: round(instanceEvents / n, 2),
      controller: controller && {
        ...controller,
        reconcilesPerInstance: round(controller.reconciles / n, 2),
        requestsPerInstance:
          controller.requests === undefined ? undefined : round(controller.requests / n, 2),
      },
      queue,
      shaper,
      updated,
      deleted,
      invalidReasons,
      warnings,
    };
  } finally {
    sampler?.stop();
    await Promise.all(watchers.map((w) => w.stop()));
  }
}

async function updateStep(
  env: RoundEnv,
  m: ResourceMapping,
  tracked: Map<string, Tracked>,
  timeoutMs: number,
  invalid: string[],
): Promise<number> {
  const { client, ctx, o, recorder } = env;
  const u = o.update!;
  const path = u.field.split('.');
  const targets = [...tracked.values()].filter((t) => t.activeMs !== undefined && t.obj);
  const chosen = targets.slice(0, Math.max(1, Math.round(targets.length * u.fraction)));
  let unchanged = 0;
  ctx.progress.status(`updating ${u.field} on ${chosen.length} instances`);
  await runTasks(
    o,
    chosen.length,
    async (i, intendedMs) => {
      const t = chosen[i]!;
      const obj = t.obj!;
      const value = u.value !== undefined ? u.value : nextValue(at(obj, path));
      const patch = path.reduceRight<unknown>((inner, k) => ({ [k]: inner }), value);
      t.updateGeneration = (obj.metadata.generation ?? 1) + 1;
      t.updateSentMs = intendedMs;
      const r = await client.patch(
        m,
        obj.metadata.namespace,
        obj.metadata.name!,
        JSON.stringify(patch),
        'merge',
        'instance-update',
        {
          recorder,
          intendedMs,
        },
      );
      if (!r || !isSuccess(r)) {
        t.updateSentMs = undefined;
        if (r?.status === 422) invalid.push(`update ${u.field}: ${describeResponse(r)}`);
      } else {
        const generation = (JSON.parse(r.body) as KubeObject).metadata.generation;
        // A patch that changed nothing bumps no generation and triggers no reconcile: nothing to time.
        if (generation !== undefined && generation === obj.metadata.generation) {
          t.updateSentMs = undefined;
          unchanged++;
        } else t.updateGeneration = generation ?? t.updateGeneration;
      }
    },
    { defaultConcurrency: defaultKroConcurrency, signal: ctx.signal },
  );
  const pending = () => chosen.filter((t) => t.updateSentMs !== undefined).length;
  await waitFor(pending, performance.now() + timeoutMs, ctx.signal);
  const now = performance.now();
  const late = chosen.filter((t) => t.updateSentMs !== undefined);
  for (const t of late)
    recorder.record('instance-update-ready', t.updateSentMs!, now, { reason: 'Timeout', code: 0 });
  if (late.length)
    invalid.push(
      `${late.length}/${chosen.length} updated instances did not become ACTIVE again within ${o.timeout}`,
    );
  if (unchanged)
    invalid.push(
      `update ${u.field}: ${unchanged}/${chosen.length} patches changed nothing (set update.value to a different value)`,
    );
  return chosen.length;
}

/** Deletes the round's instances and waits until the watch shows them gone. */
export async function deleteStep(
  env: RoundEnv,
  m: ResourceMapping,
  tracked: Map<string, Tracked>,
  timeoutMs: number,
  invalid: string[],
  op = 'instance-deleted',
): Promise<number> {
  const { client, ctx, o, recorder } = env;
  const all = [...tracked.entries()];
  ctx.progress.status(`deleting ${all.length} instances`);
  await runTasks(
    o,
    all.length,
    async (i, intendedMs) => {
      const [key, t] = all[i]!;
      const [ns, name] = key.split('/') as [string, string];
      t.deleteSentMs = intendedMs;
      const r = await client.delete(m, ns || undefined, name, 'instance-delete', { recorder, intendedMs });
      if (r?.status === 404) t.deleteSentMs = undefined;
    },
    { defaultConcurrency: defaultKroConcurrency, signal: ctx.signal },
  );
  const pending = () => all.filter(([, t]) => t.deleteSentMs !== undefined).length;
  await waitFor(pending, performance.now() + timeoutMs, ctx.signal);
  const now = performance.now();
  const left = all.filter(([, t]) => t.deleteSentMs !== undefined);
  for (const [, t] of left) recorder.record(op, t.deleteSentMs!, now, { reason: 'Timeout', code: 0 });
  if (left.length)
    invalid.push(`${left.length}/${all.length} instances were not gone within ${o.timeout} of their delete`);
  return all.length;
}

/** Children kro created for this kind's instances, counted by kro's labels across the RGD's kinds. */
async function countChildren(
  client: KubeClient,
  source: RgdSource,
  kind: string,
): Promise<number | undefined> {
  const seen = new Set<string>();
  let total = 0;
  for (const r of source.compiled.resources) {
    if (r.external) continue;
    const k = `${r.apiVersion}/${r.kind}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const m = await client.mapper.resolve(r.apiVersion, r.kind);
    const { items } = await client.listAll(m, undefined, {
      labelSelector: `kro.run/owned=true,kro.run/instance-kind=${kind}`,
    });
    total += items.length;
  }
  return total;
}

/** At most ~300 points of the cumulative created/ACTIVE curves. */
function cumulative(
  createdMs: number[],
  activeMs: number[],
): { t: number; created: number; active: number }[] {
  const c = [...createdMs].sort((a, b) => a - b);
  const a = [...activeMs].sort((x, y) => x - y);
  const end = Math.max(c[c.length - 1] ?? 0, a[a.length - 1] ?? 0);
  const steps = 300;
  const out: { t: number; created: number; active: number }[] = [];
  let ci = 0;
  let ai = 0;
  for (let s = 0; s <= steps; s++) {
    const t = (end * s) / steps;
    while (ci < c.length && c[ci]! <= t) ci++;
    while (ai < a.length && a[ai]! <= t) ai++;
    out.push({ t: round(t / 1000, 3), created: ci, active: ai });
  }
  return out;
}
