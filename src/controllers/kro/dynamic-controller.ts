/**
 * kro's dynamic controller (pkg/dynamiccontroller): ONE rate-limited work queue
 * ("dynamic-controller-queue") and one pool of workers for the instances of every registered RGD.
 * Each instance GVR gets a parent informer; adds and deletes enqueue, updates only when
 * metadata.generation changed (status and label writes do not), or when reconciliation was just
 * un-suspended. Registering an RGD again (on every RGD reconcile) enqueues its existing instances.
 * Child and external-reference events reach the queue through the coordinator.
 */
import type { Logger } from '../../core/logger.js';
import type { KubeObject } from '../../kube/client.js';
import type { ControllerClient } from '../runtime/client.js';
import { ControllerLoop } from '../runtime/controller.js';
import { Informer } from '../runtime/informer.js';
import type { ControllerMetrics } from '../runtime/metrics.js';
import { controllerRateLimiter } from '../runtime/rate-limiter.js';
import { WorkQueue } from '../runtime/workqueue.js';
import { QUEUE_NAME } from './constants.js';
import { Coordinator } from './coordinator.js';
import type { Graph } from './graph.js';
import { InstanceReconciler, isSuspended } from './instance.js';
import type { KroMetrics } from './metrics.js';
import type { KroControllerOptions } from './options.js';

interface Registration {
  graph: Graph;
  reconciler: InstanceReconciler;
  informer: Informer;
}

/** Queue keys: `<gvrKey>|<namespace>|<name>`. */
export function instanceKey(gvr: string, namespace: string | undefined, name: string): string {
  return `${gvr}|${namespace ?? ''}|${name}`;
}

export class DynamicController {
  readonly queue: WorkQueue;
  readonly coordinator: Coordinator;
  private readonly loop: ControllerLoop;
  private readonly registrations = new Map<string, Registration>();

  constructor(
    private readonly client: ControllerClient,
    private readonly options: KroControllerOptions,
    metrics: ControllerMetrics,
    private readonly kro: KroMetrics,
    private readonly log: Logger,
  ) {
    this.queue = new WorkQueue(
      QUEUE_NAME,
      controllerRateLimiter({
        backoffBaseMs: options.backoffBaseMs,
        backoffMaxMs: options.backoffMaxMs,
        bucketQps: options.queueQps,
        bucketBurst: options.queueBurst,
      }),
      metrics.workqueue(QUEUE_NAME),
    );
    this.coordinator = new Coordinator(client, (k) => this.queue.add(k), kro, log);
    this.loop = new ControllerLoop({
      name: 'dynamic-controller',
      queue: this.queue,
      workers: options.workers,
      maxRetries: options.maxRetries,
      metrics: metrics.reconciler('dynamic-controller', options.workers),
      log,
      reconcile: (key) => this.reconcile(key),
      onReconciled: (key, outcome, seconds, error) => {
        const gvr = key.slice(0, key.indexOf('|'));
        const reg = this.registrations.get(gvr);
        kro.reconcileTotal.inc({ gvr });
        kro.reconcileDuration.observe({ gvr }, seconds);
        if (outcome === 'requeue_after') kro.requeueTotal.inc({ gvr, type: 'requeue_after' });
        if (outcome === 'error') {
          kro.requeueTotal.inc({ gvr, type: 'rate_limited' });
          kro.handlerErrors.inc({ gvr });
          this.log.debug(`reconcile ${key}: ${(error as Error)?.message ?? String(error)}`);
        }
        if (reg) {
          kro.instanceTotal.inc({ gvr: reg.graph.gvrString });
          kro.instanceDuration.observe({ gvr: reg.graph.gvrString }, seconds);
          if (outcome === 'error') kro.instanceErrors.inc({ gvr: reg.graph.gvrString });
        }
      },
    });
  }

  start(): void {
    this.loop.start();
  }

  private async reconcile(key: string) {
    this.kro.queueLength.set(this.queue.length);
    const [gvr, ns, name] = key.split('|') as [string, string, string];
    const reg = this.registrations.get(gvr);
    // The RGD was deregistered while the key waited: drop it (kro does the same).
    if (!reg) return;
    return reg.reconciler.reconcile(key, ns || undefined, name);
  }

  /** Starts (or refreshes) the micro-controller of an RGD's instance GVR. */
  async register(graph: Graph): Promise<void> {
    const existing = this.registrations.get(graph.gvrKey);
    const reconciler = new InstanceReconciler(graph, {
      client: this.client,
      options: this.options,
      metrics: this.kro,
      coordinator: this.coordinator,
      log: this.log,
    });
    if (existing) {
      existing.graph = graph;
      existing.reconciler = reconciler;
      for (const o of existing.informer.list()) this.enqueue(graph, o);
      return;
    }
    const informer = new Informer(this.client, graph.instance, {
      log: this.log,
      onAdd: (o) => this.event(graph.gvrKey, 'add', o),
      onDelete: (o) => this.event(graph.gvrKey, 'delete', o),
      onUpdate: (old, o) => {
        const unsuspended = isSuspended(old) && !isSuspended(o);
        if (old.metadata.generation === o.metadata.generation && !unsuspended) return;
        this.event(graph.gvrKey, 'update', o);
      },
    });
    const reg: Registration = { graph, reconciler, informer };
    this.registrations.set(graph.gvrKey, reg);
    try {
      await informer.start();
    } catch (e) {
      this.registrations.delete(graph.gvrKey);
      throw e;
    }
    this.kro.gvrCount.set(this.registrations.size);
  }

  private event(gvr: string, type: string, o: KubeObject): void {
    this.kro.informerEvents.inc({ gvr, event_type: type });
    this.queue.add(instanceKey(gvr, o.metadata.namespace, o.metadata.name!));
  }

  private enqueue(graph: Graph, o: KubeObject): void {
    this.queue.add(instanceKey(graph.gvrKey, o.metadata.namespace, o.metadata.name!));
  }

  async deregister(gvr: string): Promise<void> {
    const reg = this.registrations.get(gvr);
    if (!reg) return;
    this.registrations.delete(gvr);
    await reg.informer.stop();
    this.kro.gvrCount.set(this.registrations.size);
  }

  isRegistered(gvr: string): boolean {
    return this.registrations.has(gvr);
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.all([...this.registrations.values()].map((r) => r.informer.stop()));
    await this.coordinator.stop();
  }
}
