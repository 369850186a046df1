/**
 * One CRUD cycle: create N objects, then get, update, patch, list (full and paged) and delete them,
 * each op under the load model, each request recorded once from its intended start.
 */
import { randomBytes } from 'node:crypto';
import type { Recorder } from '../../metrics/recorder.js';
import type { ProgressReporter } from '../../core/progress.js';
import type { KubeClient, PatchType } from '../../kube/client.js';
import { apiVersionOf, type ResourceMapping } from '../../kube/discovery.js';
import { LABEL_JOB, LABEL_RUN_ID, runLabels } from '../../kube/labels.js';
import { describeResponse, isSuccess, type KubeResponse } from '../../kube/response.js';
import { InputError } from '../../core/errors.js';
import { runTasks, type LoadModelOptions } from '../../load/model.js';
import type { PacingStats } from '../../load/executor.js';
import type { CompiledTemplate } from '../../templates/objects.js';
import { defaultCrudConcurrency, type CrudOp } from './options.js';

export interface CycleSpec {
  client: KubeClient;
  mapping: ResourceMapping;
  namespace?: string;
  runId: string;
  /** Label value for kubeperf.io/job: unique per cycle so lists select exactly this cycle. */
  job: string;
  objects: number;
  /** Global index of the first object (a worker's share starts past the others'). */
  offset?: number;
  /** Labels added to every object (a worker's index). */
  extraLabels?: Record<string, string>;
  payloadBytes: number;
  ops: CrudOp[];
  patchType: PatchType;
  lists: number;
  listPageSize: number;
  /** Paged list walks (default 1; a distributed run gives the walk to one worker). */
  pagedLists?: number;
  load: LoadModelOptions;
  template?: CompiledTemplate;
  recorder: Recorder;
  progress: ProgressReporter;
  signal: AbortSignal;
}

export interface CycleOutcome {
  pacing: Record<string, PacingStats>;
  /** Objects that could not be deleted by the cycle (left for GC). */
  leftover: number;
}

function payload(n: number): string {
  // base64 of random bytes, trimmed to exactly n characters: incompressible, label/annotation safe.
  return randomBytes(Math.ceil((n * 3) / 4) + 3)
    .toString('base64')
    .replace(/[+/=]/g, 'x')
    .slice(0, n);
}

export function buildObject(
  s: CycleSpec,
  name: string,
  index: number,
  data: string,
): Record<string, unknown> {
  const labels = s.extraLabels
    ? { ...runLabels(s.runId, s.job, index), ...s.extraLabels }
    : runLabels(s.runId, s.job, index);
  if (s.template) {
    const [obj] = s.template.renderObjects({
      Iteration: index,
      Replica: 1,
      JobName: s.job,
      UUID: s.runId,
      RunID: s.runId,
      Name: name,
      Namespace: s.namespace ?? '',
      Payload: data,
      Index: index,
    });
    obj!.metadata.name = name;
    if (s.namespace && s.mapping.namespaced) obj!.metadata.namespace = s.namespace;
    obj!.metadata.labels = { ...(obj!.metadata.labels ?? {}), ...labels };
    return obj!;
  }
  const metadata: Record<string, unknown> = { name, labels, annotations: { 'kubeperf.io/rev': '0' } };
  if (s.namespace && s.mapping.namespaced) metadata.namespace = s.namespace;
  if (s.mapping.kind === 'ConfigMap' || s.mapping.kind === 'Secret') {
    return {
      apiVersion: apiVersionOf(s.mapping),
      kind: s.mapping.kind,
      metadata,
      data: { payload: s.mapping.kind === 'Secret' ? Buffer.from(data).toString('base64') : data },
    };
  }
  (metadata.annotations as Record<string, string>)['kubeperf.io/payload'] = data;
  return {
    apiVersion: apiVersionOf(s.mapping),
    kind: s.mapping.kind,
    metadata,
    ...defaultSpec(s.mapping.kind, name),
  };
}

const pause = { name: 'pause', image: 'registry.k8s.io/pause:3.9' };

/** Minimal valid specs for kinds that need one; a Deployment has 0 replicas so CRUD stays CRUD. */
function defaultSpec(kind: string, name: string): Record<string, unknown> {
  const sel = { 'kubeperf.io/crud': name };
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      return {
        spec: {
          replicas: 0,
          selector: { matchLabels: sel },
          ...(kind === 'StatefulSet' ? { serviceName: name } : {}),
          template: { metadata: { labels: sel }, spec: { containers: [pause] } },
        },
      };
    case 'Pod':
      return { spec: { containers: [pause] } };
    case 'Service':
      return { spec: { ports: [{ port: 80 }], selector: sel } };
    default:
      return {};
  }
}

function patchBody(type: PatchType, i: number, full: () => Record<string, unknown>): string {
  switch (type) {
    case 'merge':
    case 'strategic':
      return JSON.stringify({ metadata: { annotations: { 'kubeperf.io/patched': String(i) } } });
    case 'json':
      return JSON.stringify([
        { op: 'add', path: '/metadata/annotations/kubeperf.io~1patched', value: String(i) },
      ]);
    case 'apply': {
      const o = full();
      (o.metadata as { annotations: Record<string, string> }).annotations['kubeperf.io/patched'] = String(i);
      return JSON.stringify(o);
    }
  }
}

const rvRe = /"resourceVersion":"(\d+)"/;

export async function runCycle(s: CycleSpec): Promise<CycleOutcome> {
  const { client, mapping: m, namespace: ns, recorder, signal } = s;
  const offset = s.offset ?? 0;
  const names = Array.from({ length: s.objects }, (_, i) => `${s.job}-${offset + i}`);
  const rv: (string | undefined)[] = new Array(s.objects);
  const exists: boolean[] = new Array(s.objects).fill(false);
  const data = payload(s.payloadBytes);
  const pacing: Record<string, PacingStats> = {};
  const o = { recorder, signal };
  const advance = (r: { status: number } | undefined) =>
    s.progress.advance(1, r && isSuccess(r as never) ? 0 : 1);
  const each = async (op: string, fn: (i: number, intendedMs: number) => Promise<void>) => {
    if (signal.aborted) return;
    s.progress.status(`${op} ×${s.objects}`);
    pacing[op] = await runTasks(s.load, s.objects, fn, {
      defaultConcurrency: defaultCrudConcurrency,
      signal,
    });
  };
  const want = new Set(s.ops);
  let firstCreateError: KubeResponse | undefined;

  await each('create', async (i, t) => {
    const r = await client.create(
      m,
      ns,
      JSON.stringify(buildObject(s, names[i]!, offset + i, data)),
      'create',
      {
        ...o,
        intendedMs: t,
      },
    );
    advance(r);
    if (r && isSuccess(r)) {
      exists[i] = true;
      rv[i] = rvRe.exec(r.body)?.[1];
    } else if (r && !firstCreateError) firstCreateError = r;
  });
  if (!exists.some(Boolean) && s.objects > 0 && !signal.aborted) {
    // Every create was refused: the object body is wrong for this kind, not a load result.
    const first = firstCreateError;
    if (first && [400, 403, 404, 415, 422].includes(first.status)) {
      throw new InputError(`crud: the server refused every ${m.kind} create: ${describeResponse(first)}`, {
        hint: `give the phase an objectTemplate with a valid ${m.kind} body (.Name .Namespace .Payload are available)`,
      });
    }
  }
  if (want.has('get')) {
    await each('get', async (i, t) =>
      advance(await client.get(m, ns, names[i]!, 'get', { ...o, intendedMs: t })),
    );
  }
  if (want.has('update')) {
    await each('update', async (i, t) => {
      const obj = buildObject(s, names[i]!, offset + i, data);
      const md = obj.metadata as { annotations?: Record<string, string>; resourceVersion?: string };
      md.annotations = { ...(md.annotations ?? {}), 'kubeperf.io/rev': '1' };
      if (rv[i]) md.resourceVersion = rv[i];
      const r = await client.update(m, ns, names[i]!, JSON.stringify(obj), 'update', { ...o, intendedMs: t });
      advance(r);
      if (r && isSuccess(r)) rv[i] = rvRe.exec(r.body)?.[1];
    });
  }
  if (want.has('patch')) {
    await each('patch', async (i, t) => {
      const body = patchBody(s.patchType, offset + i, () => buildObject(s, names[i]!, offset + i, data));
      advance(await client.patch(m, ns, names[i]!, body, s.patchType, 'patch', { ...o, intendedMs: t }));
    });
  }
  const selector = `${LABEL_RUN_ID}=${s.runId},${LABEL_JOB}=${s.job}`;
  if (want.has('list') && s.lists > 0) {
    s.progress.status(`list ×${s.lists}`);
    pacing.list = await runTasks(
      s.load,
      s.lists,
      async (_i, t) =>
        advance(await client.list(m, ns, { labelSelector: selector }, 'list', { ...o, intendedMs: t })),
      { defaultConcurrency: Math.min(4, s.load.concurrency ?? defaultCrudConcurrency), signal },
    );
  }
  if (want.has('list-paged') && s.pagedLists !== 0) {
    s.progress.status(`list-paged (limit ${s.listPageSize})`);
    let cont: string | undefined;
    let pages = 0;
    do {
      const r = await client.list(
        m,
        ns,
        { labelSelector: selector, limit: s.listPageSize, continue: cont },
        'list-paged',
        o,
      );
      advance(r);
      pages++;
      cont =
        r && r.status === 200
          ? (JSON.parse(r.body) as { metadata: { continue?: string } }).metadata.continue || undefined
          : undefined;
    } while (cont && !signal.aborted && pages < 100_000);
  }
  // Delete always runs, so a cycle leaves nothing behind (recorded only when asked for).
  const record = want.has('delete');
  await each('delete', async (i, t) => {
    if (!exists[i]) return;
    const r = await client.delete(
      m,
      ns,
      names[i]!,
      record ? 'delete' : 'cleanup',
      record ? { ...o, intendedMs: t } : { signal },
    );
    if (record) advance(r);
    if (r && (isSuccess(r) || r.status === 404)) exists[i] = false;
  });
  return { pacing, leftover: exists.filter(Boolean).length };
}

/** Requests a cycle will send (for progress totals). */
export function cycleRequests(objects: number, ops: CrudOp[], lists: number, pageSize: number): number {
  let n = 0;
  for (const op of ops) {
    if (op === 'list') n += lists;
    else if (op === 'list-paged') n += Math.max(1, Math.ceil(objects / pageSize));
    else n += objects;
  }
  if (!ops.includes('create')) n += objects;
  return n;
}
