/**
 * The ResourceGraphDefinition controller (pkg/controller/resourcegraphdefinition): finalizer,
 * compile with the project's engine (src/rgd: kro's validation rules and messages, src/cel,
 * src/graph), resolve every resource kind from discovery, create or update the instance CRD and wait
 * until it is Established, register the instances' micro-controller, and write the RGD status like
 * kro: state Active/Inactive, conditions GraphRevisionsResolved, GraphAccepted, KindReady,
 * ControllerReady under the root Ready, topologicalOrder and resources[].dependencies.
 * An invalid RGD gets GraphAccepted=False (InvalidResourceGraph) with the message `rgd inspect` prints.
 * Deleting an RGD stops its micro-controller and keeps the CRD (and instances) unless allowCrdDeletion.
 */
import type { Logger } from '../../core/logger.js';
import type { KubeObject } from '../../kube/client.js';
import { crdMapping, UnknownKindError, type ResourceMapping } from '../../kube/discovery.js';
import { sleep } from '../../load/sleep.js';
import { compileRgd, RgdError } from '../../rgd/build.js';
import type { CompiledRgd } from '../../rgd/types.js';
import { isNotFound, type ControllerClient } from '../runtime/client.js';
import { ControllerLoop, type ReconcileResult } from '../runtime/controller.js';
import { Informer } from '../runtime/informer.js';
import type { ControllerMetrics } from '../runtime/metrics.js';
import {
  hasFinalizer,
  nowRfc3339,
  setCondition,
  withoutFinalizer,
  type Condition,
} from '../runtime/objects.js';
import { controllerRateLimiter, defaultRateLimiterOptions } from '../runtime/rate-limiter.js';
import { WorkQueue } from '../runtime/workqueue.js';
import { CelEngine } from '../../cel/engine.js';
import { FINALIZER, LABEL_RGD_NAME } from './constants.js';
import type { DynamicController } from './dynamic-controller.js';
import { gvrKey, makeGraph } from './graph.js';
import { instanceCrd } from './instance-crd.js';
import type { KroControllerOptions } from './options.js';
import { rgdMapping } from './rgd-crd.js';

const RGD_CHILDREN = ['GraphRevisionsResolved', 'GraphAccepted', 'KindReady', 'ControllerReady'] as const;
type RgdCondition = (typeof RGD_CHILDREN)[number];

/** kro's RGD condition set: Ready is True only when all four children are. */
class RgdConditions {
  private list: Condition[];
  private readonly now = nowRfc3339();

  constructor(
    previous: Condition[] | undefined,
    private readonly generation: number,
  ) {
    this.list = previous ?? [];
  }

  set(type: RgdCondition, status: Condition['status'], reason: string, message: string): this {
    this.list = setCondition(
      this.list,
      { type, status, reason, message, observedGeneration: this.generation },
      this.now,
    );
    return this;
  }

  finish(): { conditions: Condition[]; active: boolean } {
    const children = RGD_CHILDREN.map((t) => this.list.find((c) => c.type === t));
    const allTrue = children.every((c) => c?.status === 'True');
    const worst = children.find((c) => c?.status === 'False') ?? children.find((c) => c?.status !== 'True');
    this.list = setCondition(
      this.list,
      allTrue
        ? { type: 'Ready', status: 'True', reason: 'Ready', message: '', observedGeneration: this.generation }
        : {
            type: 'Ready',
            status: worst?.status === 'False' ? 'False' : 'Unknown',
            reason: worst?.reason ?? 'AwaitingReconciliation',
            message: worst?.message ?? '',
            observedGeneration: this.generation,
          },
      this.now,
    );
    const accepted = ['GraphAccepted', 'KindReady', 'ControllerReady'].every(
      (t) => this.list.find((c) => c.type === t)?.status === 'True',
    );
    const order = (c: Condition) => (c.type === 'Ready' ? 1 : 0);
    const conditions = [...this.list]
      .filter((c) => c.type === 'Ready' || (RGD_CHILDREN as readonly string[]).includes(c.type))
      .sort(
        (a, b) =>
          order(a) - order(b) || (a.lastTransitionTime ?? '').localeCompare(b.lastTransitionTime ?? ''),
      );
    return { conditions, active: accepted };
  }
}

/** Whether `have` holds every value of `want` (objects by key, arrays element by element). */
export function containsAll(have: unknown, want: unknown): boolean {
  if (want === null || typeof want !== 'object') return have === want;
  if (have === null || typeof have !== 'object') return false;
  if (Array.isArray(want)) {
    return (
      Array.isArray(have) && have.length === want.length && want.every((w, i) => containsAll(have[i], w))
    );
  }
  return Object.entries(want).every(
    ([k, v]) => v === undefined || containsAll((have as Record<string, unknown>)[k], v),
  );
}

export class RgdController {
  private readonly queue: WorkQueue;
  private readonly loop: ControllerLoop;
  private informer: Informer | undefined;
  /** RGD name → the instance GVR it registered. */
  private readonly served = new Map<string, string>();
  private readonly engine = new CelEngine();

  constructor(
    private readonly client: ControllerClient,
    private readonly dynamic: DynamicController,
    private readonly options: KroControllerOptions,
    metrics: ControllerMetrics,
    private readonly log: Logger,
  ) {
    this.queue = new WorkQueue(
      'resourcegraphdefinition',
      controllerRateLimiter(defaultRateLimiterOptions),
      metrics.workqueue('resourcegraphdefinition'),
    );
    this.loop = new ControllerLoop({
      name: 'resourcegraphdefinition',
      queue: this.queue,
      workers: options.rgdWorkers,
      metrics: metrics.reconciler('resourcegraphdefinition', options.rgdWorkers),
      log,
      reconcile: (name) => this.reconcile(name),
      onReconciled: (name, outcome, _s, error) => {
        if (outcome === 'error')
          log.warn(`ResourceGraphDefinition ${name}: ${(error as Error)?.message ?? String(error)}`);
      },
    });
  }

  async start(): Promise<void> {
    const enqueue = (o: KubeObject) => this.queue.add(o.metadata.name!);
    this.informer = new Informer(this.client, rgdMapping, {
      log: this.log,
      onAdd: enqueue,
      onDelete: enqueue,
      onUpdate: (old, o) => {
        if (
          old.metadata.generation !== o.metadata.generation ||
          (!old.metadata.deletionTimestamp && o.metadata.deletionTimestamp)
        )
          enqueue(o);
      },
    });
    await this.informer.start();
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.informer?.stop();
  }

  private async reconcile(name: string): Promise<ReconcileResult | void> {
    const rgd = await this.client.tryGet(rgdMapping, undefined, name);
    if (!rgd) return this.unserve(name);
    if (rgd.metadata.deletionTimestamp) return this.reconcileDeletion(rgd);
    if (!hasFinalizer(rgd, FINALIZER)) {
      const finalizers = [...((rgd.metadata.finalizers as string[] | undefined) ?? []), FINALIZER];
      Object.assign(
        rgd,
        await this.client.mergePatch(rgdMapping, undefined, name, {
          metadata: { finalizers, resourceVersion: rgd.metadata.resourceVersion },
        }),
      );
    }
    const generation = rgd.metadata.generation ?? 1;
    const conds = new RgdConditions(
      (rgd as { status?: { conditions?: Condition[] } }).status?.conditions,
      generation,
    );

    let compiled: CompiledRgd;
    let mappings: Map<string, ResourceMapping>;
    try {
      compiled = compileRgd(rgd, { engine: this.engine });
      mappings = await this.resolveKinds(compiled);
    } catch (e) {
      if (!(e instanceof RgdError)) throw e;
      await this.unserve(name);
      conds
        .set('GraphAccepted', 'False', 'InvalidResourceGraph', e.message)
        .set(
          'GraphRevisionsResolved',
          'Unknown',
          'AwaitingReconciliation',
          'waiting for the graph to be accepted',
        )
        .set('KindReady', 'Unknown', 'AwaitingReconciliation', 'waiting for the graph to be accepted')
        .set('ControllerReady', 'Unknown', 'AwaitingReconciliation', 'waiting for the graph to be accepted');
      await this.writeStatus(rgd, conds, undefined);
      // A missing kind can appear later (its CRD installed after the RGD): retry with backoff, like kro.
      return /failed to get schema for resource/.test(e.message) ? { requeue: true } : undefined;
    }
    conds
      .set('GraphRevisionsResolved', 'True', 'Resolved', `revision ${generation} compiled and active`)
      .set('GraphAccepted', 'True', 'Valid', 'resource graph and schema are valid');

    const schema = ((rgd.spec as Record<string, unknown>).schema ?? {}) as Record<string, unknown>;
    const crd = instanceCrd(compiled, { name, uid: rgd.metadata.uid as string, schema });
    const kindError = await this.ensureCrd(crd, name);
    if (kindError) {
      conds.set('KindReady', 'False', 'Failed', kindError);
      conds.set('ControllerReady', 'Unknown', 'AwaitingReconciliation', 'waiting for the kind to be ready');
      await this.writeStatus(rgd, conds, compiled);
      return { requeue: true };
    }
    conds.set('KindReady', 'True', 'Ready', `kind ${compiled.schema.kind} has been accepted and ready`);

    this.client.mapper.invalidate();
    const instance = await this.client.mapper.resolve(
      `${compiled.schema.group}/${compiled.schema.apiVersion}`,
      compiled.schema.kind,
    );
    try {
      const previous = this.served.get(name);
      if (previous && previous !== gvrKey(instance)) await this.dynamic.deregister(previous);
      await this.dynamic.register(makeGraph(rgd, compiled, instance, mappings));
      this.served.set(name, gvrKey(instance));
      conds.set('ControllerReady', 'True', 'Running', 'controller is running');
    } catch (e) {
      conds.set('ControllerReady', 'False', 'FailedToStart', (e as Error).message);
      await this.writeStatus(rgd, conds, compiled);
      throw e;
    }
    await this.writeStatus(rgd, conds, compiled);
  }

  /** REST mapping of every resource kind; a kind the server lacks is kro's schema-resolution error. */
  private async resolveKinds(rgd: CompiledRgd): Promise<Map<string, ResourceMapping>> {
    const out = new Map<string, ResourceMapping>();
    for (const r of rgd.resources) {
      try {
        const m = await this.client.mapper.resolve(r.apiVersion, r.kind);
        if (
          !r.external &&
          !m.namespaced &&
          (r.template.metadata as Record<string, unknown>)?.namespace !== undefined
        )
          throw new RgdError(`resource "${r.id}" is cluster-scoped and must not set metadata.namespace`);
        out.set(r.id, m);
      } catch (e) {
        if (!(e instanceof UnknownKindError)) throw e;
        const gv = r.apiVersion.includes('/') ? r.apiVersion : `/${r.apiVersion}`;
        throw new RgdError(
          `failed to build resource "${r.id}": failed to get schema for resource ${r.id}: cannot resolve group version kind "${gv}, Kind=${r.kind}": schema not found`,
        );
      }
    }
    return out;
  }

  /** Creates or updates the instance CRD; waits until Established. Returns an error text or undefined. */
  private async ensureCrd(crd: Record<string, unknown>, rgdName: string): Promise<string | undefined> {
    const name = (crd.metadata as { name: string }).name;
    const current = await this.client.tryGet(crdMapping, undefined, name);
    if (!current) {
      await this.client.createObject(crdMapping, undefined, crd);
    } else {
      const owner = current.metadata.labels?.[LABEL_RGD_NAME];
      if (owner !== rgdName) {
        return `CustomResourceDefinition ${name} exists and is not owned by ResourceGraphDefinition ${rgdName}${owner ? ` (owned by ${owner})` : ''}`;
      }
      const labels = (crd.metadata as { labels: Record<string, string> }).labels;
      // The server adds defaults to what we sent: compare only what we set.
      if (!containsAll(current.spec, crd.spec) || !containsAll(current.metadata.labels, labels)) {
        await this.client.updateObject(crdMapping, {
          ...current,
          metadata: { ...current.metadata, labels: { ...(current.metadata.labels ?? {}), ...labels } },
          spec: crd.spec,
        });
      }
    }
    const deadline = performance.now() + 30_000;
    while (performance.now() < deadline) {
      const c = await this.client.tryGet<KubeObject & { status?: { conditions?: Condition[] } }>(
        crdMapping,
        undefined,
        name,
      );
      if (c?.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True'))
        return undefined;
      await sleep(50);
    }
    return `CustomResourceDefinition ${name} was not Established within 30 s`;
  }

  private async writeStatus(
    rgd: KubeObject,
    conds: RgdConditions,
    compiled: CompiledRgd | undefined,
  ): Promise<void> {
    const { conditions, active } = conds.finish();
    const status: Record<string, unknown> = {
      conditions,
      state: active ? 'Active' : 'Inactive',
      lastIssuedRevision: rgd.metadata.generation ?? 1,
    };
    if (compiled) {
      status.topologicalOrder = compiled.topologicalOrder;
      const byId = new Map(compiled.resources.map((r) => [r.id, r]));
      status.resources = compiled.topologicalOrder
        .map((id) => byId.get(id)!)
        .filter((r) => r.dependencies.length > 0)
        .map((r) => ({ id: r.id, dependencies: r.dependencies.map((d) => ({ id: d })) }));
    }
    const stored = JSON.stringify((rgd as { status?: unknown }).status ?? {});
    if (stored === JSON.stringify(status)) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.updateObject(rgdMapping, { ...rgd, status }, 'status');
        return;
      } catch (e) {
        if (attempt >= 3 || isNotFound(e)) throw e;
        const fresh = await this.client.tryGet(rgdMapping, undefined, rgd.metadata.name!);
        if (!fresh) return;
        rgd = fresh;
      }
    }
  }

  private async unserve(name: string): Promise<void> {
    const gvr = this.served.get(name);
    if (!gvr) return;
    this.served.delete(name);
    await this.dynamic.deregister(gvr);
  }

  private async reconcileDeletion(rgd: KubeObject): Promise<void> {
    const name = rgd.metadata.name!;
    await this.unserve(name);
    if (this.options.allowCrdDeletion) {
      const spec = (rgd.spec as { schema?: { kind?: string; group?: string } }).schema;
      if (spec?.kind) {
        try {
          const compiled = compileRgd(rgd, { engine: this.engine });
          const crd = await this.client.tryGet(crdMapping, undefined, compiled.schema.crdName);
          if (crd && crd.metadata.labels?.[LABEL_RGD_NAME] === name)
            await this.client.deleteObject(crdMapping, undefined, compiled.schema.crdName);
        } catch (e) {
          if (!(e instanceof RgdError)) throw e;
        }
      }
    }
    if (hasFinalizer(rgd, FINALIZER)) {
      await this.client.mergePatch(rgdMapping, undefined, name, {
        metadata: {
          finalizers: withoutFinalizer(rgd, FINALIZER),
          resourceVersion: rgd.metadata.resourceVersion,
        },
      });
    }
  }
}
