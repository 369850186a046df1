/**
 * The reconcile of Milo's project controller (internal/controllers/resourcemanager/project_controller.go),
 * without the infrastructure cluster (no ProjectControlPlane) and without add-ons:
 * - deleting: purge the project's control plane (delete its namespaces; requeue after 2 s until
 *   they are gone), then remove the finalizer with a merge patch;
 * - no finalizer yet: add it with a merge patch and return (the update event reconciles again);
 * - ensure the project's `default` namespace in its own control plane (GET, then create with
 *   `miloapis.com/project-default=true`); on any error requeue after 2 s without marking Ready;
 * - set Ready=True (reason Ready, message "Project is ready", observedGeneration) through the status
 *   subresource; like Milo, a failed status update is ignored (the next event reconciles again).
 * Root requests go through the controller's throttled client; project control-plane requests use
 * a client of their own per project, as Milo builds one per reconcile, so they are not throttled.
 */
import type { Logger } from '../../core/logger.js';
import type { KubeObject } from '../../kube/client.js';
import { namespaceMapping } from '../../kube/namespaces.js';
import { RestClient } from '../../kube/rest.js';
import { ApiError, ControllerClient, isConflict, isNotFound } from '../runtime/client.js';
import { ControllerLoop, type ReconcileResult } from '../runtime/controller.js';
import { Informer } from '../runtime/informer.js';
import type { ControllerMetrics } from '../runtime/metrics.js';
import {
  findCondition,
  hasFinalizer,
  setCondition,
  withoutFinalizer,
  type Condition,
} from '../runtime/objects.js';
import { controllerRateLimiter, defaultRateLimiterOptions } from '../runtime/rate-limiter.js';
import { WorkQueue } from '../runtime/workqueue.js';
import { PROJECT_DEFAULT_LABEL, PROJECT_FINALIZER, projects, projectScope } from './api.js';
import type { ProjectControllerOptions } from './options.js';

export class ProjectController {
  private readonly queue: WorkQueue;
  private readonly loop: ControllerLoop;
  private readonly informer: Informer;
  /** Unthrottled pool for the projects' own control planes (views per project share it). */
  private readonly scoped: RestClient;

  constructor(
    private readonly client: ControllerClient,
    private readonly o: ProjectControllerOptions,
    metrics: ControllerMetrics,
    private readonly log: Logger,
  ) {
    this.queue = new WorkQueue(
      'project',
      controllerRateLimiter({
        ...defaultRateLimiterOptions,
        bucketQps: o.queueQps,
        bucketBurst: o.queueBurst,
      }),
      metrics.workqueue('project'),
    );
    this.loop = new ControllerLoop({
      name: 'project',
      queue: this.queue,
      workers: o.workers,
      reconcile: (key) => this.reconcile(key),
      metrics: metrics.reconciler('project', o.workers),
      log,
    });
    const enqueue = (p: KubeObject) => this.queue.add(p.metadata.name!);
    this.informer = new Informer(client, projects, {
      onAdd: enqueue,
      onUpdate: (_, p) => enqueue(p),
      onDelete: enqueue,
      log,
    });
    this.scoped = new RestClient(client.rest.credentials, {
      connections: 16,
      allowH2: false,
      userAgent: 'kubeperf-controller/project',
    });
  }

  async start(): Promise<void> {
    await this.informer.start();
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.informer.stop();
    await this.loop.stop();
    await this.scoped.close();
  }

  /** A client of the project's own control plane. */
  private projectClient(name: string): ControllerClient {
    return new ControllerClient(this.scoped.withPathPrefix(projectScope(name)), this.client.version);
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const project = this.informer.get(undefined, name);
    if (!project) return;
    const retry = { requeueAfterMs: this.o.requeueAfterMs };
    if (project.metadata.deletionTimestamp) {
      if (!hasFinalizer(project, PROJECT_FINALIZER)) return;
      if (!(await this.purge(name))) return retry;
      await this.client.mergePatch(projects, undefined, name, {
        metadata: { finalizers: withoutFinalizer(project, PROJECT_FINALIZER) },
      });
      return;
    }
    if (!hasFinalizer(project, PROJECT_FINALIZER)) {
      const finalizers = [
        ...((project.metadata.finalizers as string[] | undefined) ?? []),
        PROJECT_FINALIZER,
      ];
      await this.client.mergePatch(projects, undefined, name, { metadata: { finalizers } });
      return;
    }
    try {
      await this.ensureDefaultNamespace(name);
    } catch (e) {
      this.log.warn(`project ${name}: ensure default namespace failed: ${(e as Error).message}`);
      return retry;
    }
    if (findCondition(project, 'Ready')?.status !== 'True') {
      const status = (project.status ?? {}) as { conditions?: Condition[] };
      const conditions = setCondition(status.conditions, {
        type: 'Ready',
        status: 'True',
        reason: 'Ready',
        message: 'Project is ready',
        observedGeneration: project.metadata.generation ?? 0,
      });
      try {
        await this.client.updateObject(projects, { ...project, status: { ...status, conditions } }, 'status');
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        this.log.debug(`project ${name}: status update failed: ${e.message}`);
      }
    }
  }

  private async ensureDefaultNamespace(project: string): Promise<void> {
    const c = this.projectClient(project);
    if (await c.tryGet(namespaceMapping, undefined, 'default')) return;
    try {
      await c.createObject(namespaceMapping, undefined, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'default', labels: { [PROJECT_DEFAULT_LABEL]: 'true' } },
      });
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  }

  /** Deletes the project's namespaces; true once none is left. */
  private async purge(project: string): Promise<boolean> {
    const c = this.projectClient(project);
    let left: KubeObject[];
    try {
      left = await c.listObjects(namespaceMapping, undefined);
    } catch (e) {
      if (isNotFound(e)) return true;
      throw e;
    }
    for (const ns of left) {
      if (!ns.metadata.deletionTimestamp)
        await c.deleteObject(namespaceMapping, undefined, ns.metadata.name!);
    }
    return left.length === 0;
  }
}
