/**
 * jobTypes read, list, update, patch and delete: select objects by kind, apiVersion and labelSelector
 * (always narrowed to kubeperf's run label, so only objects kubeperf created are ever changed), then
 * send one request per object per iteration under the load model.
 */
import { parse as parseYaml } from 'yaml';
import type { KubeClient, KubeObject, PatchType } from '../../kube/client.js';
import { apiVersionOf, type ResourceMapping } from '../../kube/discovery.js';
import { LABEL_RUN_ID } from '../../kube/labels.js';
import { isSuccess } from '../../kube/response.js';
import { runTasks } from '../../load/model.js';
import { ownedBy, shareLoad } from '../../load/share.js';
import { sleep } from '../../load/sleep.js';
import { parseDuration } from '../../config/duration.js';
import type { CompiledTemplate } from '../../templates/objects.js';
import type { PhaseContext } from '../types.js';
import { defaultJobConcurrency, type JobObject, type JobOptions } from './options.js';
import { listIterations } from './share.js';

export function selectorOf(spec: JobObject, runId: string, anyRun: boolean): string {
  const parts = Object.entries(spec.labelSelector).map(([k, v]) => `${k}=${v}`);
  if (!(LABEL_RUN_ID in spec.labelSelector)) parts.push(anyRun ? LABEL_RUN_ID : `${LABEL_RUN_ID}=${runId}`);
  return parts.join(',');
}

export interface SelectJobResult {
  selected: number;
  requests: number;
  failed: number;
  warnings: string[];
}

export async function runSelectJob(
  o: JobOptions,
  ctx: PhaseContext,
  client: KubeClient,
  jobName: string,
  templates: (CompiledTemplate | undefined)[],
): Promise<SelectJobResult> {
  const res: SelectJobResult = { selected: 0, requests: 0, failed: 0, warnings: [] };
  const rec = { recorder: ctx.recorder, signal: ctx.signal };
  // A worker of a distributed run drives its part of the rate over the objects it owns.
  const load = shareLoad(o, ctx.share);
  const delayMs = o.jobIterationDelay !== undefined ? parseDuration(o.jobIterationDelay)! : 0;
  for (const [j, spec] of o.objects.entries()) {
    const m: ResourceMapping = await client.mapper.resolve(spec.apiVersion!, spec.kind!);
    const selector = selectorOf(spec, ctx.runId, o.anyRun);
    const done = (r: { status: number } | undefined) => {
      res.requests++;
      const ok = !!r && r.status >= 200 && r.status < 300;
      if (!ok) res.failed++;
      ctx.progress.advance(1, ok ? 0 : 1);
    };
    if (o.jobType === 'list') {
      await runTasks(
        load,
        listIterations(o, ctx.share),
        async (_i, t) => {
          let cont: string | undefined;
          let first = true;
          do {
            const r = await client.list(
              m,
              undefined,
              { labelSelector: selector, limit: o.listLimit || undefined, continue: cont },
              'list',
              { ...rec, intendedMs: first ? t : undefined },
            );
            first = false;
            done(r);
            cont =
              r && r.status === 200 && o.listLimit
                ? (JSON.parse(r.body) as { metadata: { continue?: string } }).metadata.continue || undefined
                : undefined;
          } while (cont && !ctx.signal.aborted);
        },
        { defaultConcurrency: defaultJobConcurrency, signal: ctx.signal },
      );
      continue;
    }
    const { items } = await client.listAll<KubeObject>(m, undefined, { labelSelector: selector });
    // Defence in depth: never touch an object without our run label, whatever the selector said.
    const targets = items.filter(
      (x) =>
        x.metadata.labels?.[LABEL_RUN_ID] !== undefined &&
        !x.metadata.deletionTimestamp &&
        ownedBy(x, ctx.share),
    );
    for (const x of targets) {
      // List items of built-ins carry no apiVersion/kind.
      x.apiVersion ??= apiVersionOf(m);
      x.kind ??= m.kind;
    }
    res.selected += targets.length;
    if (!targets.length) {
      res.warnings.push(`objects[${j}]: no ${m.resource} matched ${selector}`);
      continue;
    }
    const iterations = o.jobType === 'delete' ? 1 : o.jobIterations;
    const patchType: PatchType = spec.patchType ?? 'merge';
    // With jobIterationDelay, one pass over the objects per iteration with a pause between passes.
    const passes = delayMs ? iterations : 1;
    const perPass = delayMs ? targets.length : targets.length * iterations;
    for (let pass = 0; pass < passes && !ctx.signal.aborted; pass++) {
      if (pass > 0) await sleep(delayMs, ctx.signal).catch(() => {});
      await runTasks(
        load,
        perPass,
        async (kk, t) => {
          const k = kk + pass * perPass;
          const obj = targets[k % targets.length]!;
          const iteration = Math.floor(k / targets.length);
          const ns = obj.metadata.namespace;
          const name = obj.metadata.name!;
          const so = { ...rec, intendedMs: t };
          switch (o.jobType) {
            case 'read':
              return done(await client.get(m, ns, name, 'get', so));
            case 'delete':
              return done(await client.delete(m, ns, name, 'delete', so));
            case 'update': {
              const body = structuredClone(obj);
              delete body.metadata.resourceVersion; // unconditional update for built-ins; CRs need it
              if (m.group) body.metadata.resourceVersion = obj.metadata.resourceVersion;
              body.metadata.annotations = {
                ...((obj.metadata.annotations as Record<string, string>) ?? {}),
                'kubeperf.io/updated': String(iteration),
              };
              delete (body.metadata as Record<string, unknown>).managedFields;
              const r = await client.update(m, ns, name, JSON.stringify(body), 'update', so);
              if (r && isSuccess(r)) targets[k % targets.length] = JSON.parse(r.body) as KubeObject;
              return done(r);
            }
            case 'patch': {
              const tpl = templates[j];
              const body = tpl
                ? patchFromTemplate(
                    tpl,
                    patchType,
                    {
                      ...spec.inputVars,
                      Iteration: iteration,
                      Replica: 1,
                      JobName: jobName,
                      UUID: ctx.runId,
                      RunID: ctx.runId,
                      Name: name,
                      Namespace: ns ?? '',
                    },
                    obj,
                  )
                : defaultPatch(patchType, iteration, obj);
              return done(await client.patch(m, ns, name, body, patchType, 'patch', so));
            }
          }
        },
        { defaultConcurrency: defaultJobConcurrency, signal: ctx.signal },
      );
    }
    if (o.jobType === 'delete' && o.waitWhenFinished) {
      // Wait until they are gone (finalizers), bounded by maxWaitTimeout; not recorded as load.
      const deadline = performance.now() + parseDuration(o.maxWaitTimeout)!;
      for (;;) {
        const r = await client.list(m, undefined, { labelSelector: selector, limit: 1 });
        const left = r?.status === 200 ? (JSON.parse(r.body) as { items: unknown[] }).items.length : 0;
        if (!left || performance.now() > deadline || ctx.signal.aborted) break;
        await sleep(100).catch(() => {});
      }
    }
  }
  return res;
}

function defaultPatch(type: PatchType, iteration: number, obj: KubeObject): string {
  switch (type) {
    case 'json':
      return JSON.stringify(
        obj.metadata.annotations
          ? [{ op: 'add', path: '/metadata/annotations/kubeperf.io~1patched', value: String(iteration) }]
          : [
              {
                op: 'add',
                path: '/metadata/annotations',
                value: { 'kubeperf.io/patched': String(iteration) },
              },
            ],
      );
    case 'apply':
      return JSON.stringify({
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        metadata: {
          name: obj.metadata.name,
          namespace: obj.metadata.namespace,
          annotations: { 'kubeperf.io/patched': String(iteration) },
        },
      });
    default:
      return JSON.stringify({ metadata: { annotations: { 'kubeperf.io/patched': String(iteration) } } });
  }
}

/** A patch template renders YAML (or JSON); sent as JSON (apply needs apiVersion/kind/name filled in). */
function patchFromTemplate(
  tpl: CompiledTemplate,
  type: PatchType,
  vars: Record<string, unknown>,
  obj: KubeObject,
): string {
  const text = tpl.renderText(vars as never);
  const parsed = (type === 'json' ? JSON.parse(text) : parseYaml(text)) as Record<string, unknown>;
  if (type === 'apply') {
    parsed.apiVersion ??= obj.apiVersion;
    parsed.kind ??= obj.kind;
    const md = (parsed.metadata ??= {}) as Record<string, unknown>;
    md.name ??= obj.metadata.name;
    if (obj.metadata.namespace) md.namespace ??= obj.metadata.namespace;
  }
  return JSON.stringify(parsed);
}
