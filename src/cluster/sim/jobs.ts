/**
 * Simulated job controller: runs up to `parallelism` pods (`<job>-xxxxx`, controlled by the Job)
 * until `completions` have succeeded (the simulated kubelet finishes pods that do not restart after
 * `jobs.runDuration`), then marks the Job Complete with its completionTime. Status fields, their order
 * and the SuccessfulCreate/Completed events follow kube-controller-manager's.
 */
import type { ApiContext } from '../api/context.js';
import { nowSeconds } from '../api/objects.js';
import { remove } from './controller-kit.js';
import type { EventRecorder } from './events.js';
import {
  activePod,
  conditionTrue,
  createPodsFromTemplate,
  isReady,
  isTerminating,
  owned,
  ownerController,
  ownerRef,
  podPhase,
  updateStatus,
} from './workloads.js';

type Obj = Record<string, unknown>;

export function startJobController(ctx: ApiContext, events: EventRecorder): () => void {
  const jobRt = ctx.registry.get('batch/v1', 'jobs')!;
  const podRt = ctx.registry.get('v1', 'pods')!;

  const sync = (key: string): void => {
    const s = ctx.store.get('jobs.batch', key);
    if (!s) return;
    const job = s.obj;
    if (isTerminating(job)) return;
    const uid = job.metadata.uid as string;
    if (conditionTrue(job, 'Complete') || conditionTrue(job, 'Failed')) return;
    const spec = (job.spec as Obj) ?? {};
    const completions = typeof spec.completions === 'number' ? spec.completions : undefined;
    const parallelism = typeof spec.parallelism === 'number' ? spec.parallelism : 1;
    const pods = owned(ctx, 'pods', s.ns, uid);
    const succeeded = pods.filter((p) => podPhase(p) === 'Succeeded').length;
    const failed = pods.filter((p) => podPhase(p) === 'Failed').length;
    let active = pods.filter(activePod);
    const involved = { apiVersion: 'batch/v1', kind: 'Job', obj: job };
    const done = completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0;
    if (!done && spec.suspend !== true) {
      const want = Math.min(parallelism, completions !== undefined ? completions - succeeded : parallelism);
      active = [
        ...active,
        ...createPodsFromTemplate(
          ctx,
          events,
          {
            ns: s.ns,
            name: s.name,
            template: spec.template as Obj,
            owner: ownerRef(job, 'batch/v1', 'Job'),
            involved,
            component: 'job-controller',
          },
          want - active.length,
        ),
      ];
    } else if (spec.suspend === true) {
      for (const p of active) remove(ctx, podRt, s.ns, p.metadata.name);
      active = [];
    }
    const now = nowSeconds();
    updateStatus(ctx, jobRt, s.ns, s.name, (o) => {
      const prev = (o.status as Obj) ?? {};
      const status: Obj = {};
      if (done)
        status.conditions = [
          { type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now },
        ];
      status.startTime = prev.startTime ?? now;
      if (done) status.completionTime = now;
      if (!done && active.length) status.active = active.length;
      if (succeeded) status.succeeded = succeeded;
      if (failed) status.failed = failed;
      status.uncountedTerminatedPods = {};
      status.ready = done ? 0 : active.filter(isReady).length;
      o.status = status;
    });
    if (done) events.event({ component: 'job-controller' }, involved, 'Normal', 'Completed', 'Job completed');
  };

  return ownerController(ctx, 'jobs.batch', sync);
}
