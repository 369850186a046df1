/**
 * The API access of a `job` phase, for `kubeperf deploy`'s least-privilege RBAC: the kinds its
 * templates render (iteration 0), or the kinds it selects, with the verbs the job type, its waits,
 * measurements, gc and the run's cleanup use.
 */
import { cleanupVerbs, crdDefines, namespaceAccess, type ApiAccess } from '../../kube/access.js';
import type { CompiledTemplate } from '../../templates/objects.js';
import type { PlanContext } from '../types.js';
import type { JobOptions } from './options.js';

const selectVerbs: Record<string, string[]> = {
  read: ['list', 'get'],
  list: ['list'],
  update: ['list', 'update'],
  patch: ['list', 'patch'],
  delete: ['list', 'delete'],
};

const measured: Record<string, { apiVersion: string; kind: string }[]> = {
  podLatency: [{ apiVersion: 'v1', kind: 'Pod' }],
  jobLatency: [{ apiVersion: 'batch/v1', kind: 'Job' }],
  serviceLatency: [
    { apiVersion: 'v1', kind: 'Service' },
    { apiVersion: 'v1', kind: 'Endpoints' },
  ],
};

export function jobAccess(
  o: JobOptions,
  ctx: PlanContext,
  jobName: string,
  templates: (CompiledTemplate | undefined)[],
): ApiAccess[] {
  const out: ApiAccess[] = [];
  const iterationNs = o.namespacedIterations ? '*' : o.namespace;
  if (o.jobType !== 'create') {
    for (const x of o.objects) {
      out.push({
        apiVersion: x.apiVersion!,
        kind: x.kind!,
        verbs: selectVerbs[o.jobType]!,
        namespace: '*',
        reason: `job ${jobName}: ${o.jobType} ${x.kind} selected by label`,
      });
    }
    return out;
  }
  let namespaced: { apiVersion: string; kind: string } | undefined;
  for (const [j, spec] of o.objects.entries()) {
    const objs = templates[j]!.renderObjects({
      ...spec.inputVars,
      Iteration: 0,
      Replica: 1,
      JobName: jobName,
      UUID: ctx.runId,
      RunID: ctx.runId,
    });
    for (const obj of objs) {
      const verbs = ['create', ...cleanupVerbs];
      if (spec.wait || o.verifyObjects) verbs.push('list');
      if (spec.wait) verbs.push('watch');
      if (!obj.metadata.namespace) namespaced ??= { apiVersion: obj.apiVersion!, kind: obj.kind! };
      const defines = crdDefines(obj);
      out.push({
        apiVersion: obj.apiVersion!,
        kind: obj.kind!,
        verbs,
        namespace: obj.metadata.namespace ?? iterationNs,
        reason: `job ${jobName}: create ${obj.kind}${spec.wait ? ', readiness watch' : ''}${o.gc ? ', gc' : ''}`,
        ...(defines ? { defines } : {}),
      });
      if (spec.waitOptions?.kind)
        out.push({
          apiVersion: spec.waitOptions.apiVersion!,
          kind: spec.waitOptions.kind,
          verbs: ['list'],
          namespace: iterationNs,
          reason: `job ${jobName}: waitOptions.kind ${spec.waitOptions.kind}`,
        });
    }
  }
  for (const m of o.measure)
    for (const k of measured[m]!)
      out.push({ ...k, verbs: ['list', 'watch'], namespace: iterationNs, reason: `job ${jobName}: ${m}` });
  if (namespaced)
    out.push(
      namespaceAccess(
        `job ${jobName}: namespaces ${o.namespacedIterations ? `${o.namespace}-N` : o.namespace}`,
        namespaced,
      ),
    );
  return out;
}
