/**
 * One CRUD cycle: create N objects, then get, update, patch, list (full and paged) and delete them,
 * each op under the load model, each request recorded once from its intended start.
 */
import { randomBytes } from 'node:crypto';
import type { Recorder } from '../../metrics/recorder.js';
import type { ProgressReporter } from '../../core/progress.js';
import type { KubeClient, PatchType } from '../../kube/client.js';
import { apiVersionOf, type ResourceMapping } from '../../kube/discovery.js';
import { LABEL_ITERATION, LABEL_JOB, LABEL_RUN_ID, runLabels } from '../../kube/labels.js';
import { describeResponse, isSuccess, type KubeResponse } from '../../kube/response.js';
import { InputError } from '../../core/errors.js';
import {
  addPacing,
  hasVaryingRate,
  limiterFor,
  roundSlices,
  roundsFor,
  runTasks,
  type LoadModelOptions,
} from '../../load/model.js';
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

/**
 * The JSON bodies of the built-in objects (no template) for create (rev 0) and update (rev 1, with
 * the resourceVersion): serialised once with placeholders, then filled per request by joining
 * strings, not by building and stringifying an object each time (the client's CPU per request is
 * taken from the server it measures). Undefined with a template, which renders per object anyway.
 */
export function bodyFactory(
  s: CycleSpec,
  data: string,
): ((name: string, index: number, rv?: string) => string) | undefined {
  if (s.template) return undefined;
  const ph = { name: '\u0001n\u0001', index: '\u0001i\u0001', rev: '\u0001v\u0001', rv: '\u0001r\u0001' };
  const obj = buildObject(s, ph.name, 0, data);
  const md = obj.metadata as {
    labels: Record<string, string>;
    annotations: Record<string, string>;
    resourceVersion?: string;
  };
  md.labels[LABEL_ITERATION] = ph.index;
  md.annotations['kubeperf.io/rev'] = ph.rev;
  md.resourceVersion = ph.rv;
  // The placeholders as JSON writes them (control characters are escaped).
  const enc = (x: string) => JSON.stringify(x).slice(1, -1);
  const create = JSON.stringify({ ...obj, metadata: { ...md, resourceVersion: undefined } })
    .split(enc(ph.name))
    .map((part) => part.split(enc(ph.index)).map((p) => p.replace(enc(ph.rev), '0')));
  const update = JSON.stringify(obj)
    .split(enc(ph.name))
    .map((part) => part.split(enc(ph.index)).map((p) => p.replace(enc(ph.rev), '1')));
  const fill = (parts: string[][], name: string, index: string) => parts.map((p) => p.join(index)).join(name);
  return (name, index, rv) =>
    rv === undefined
      ? fill(create, name, String(index))
      : fill(update, name, String(index)).replace(enc(ph.rv), rv);
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

/**
 * Runs the cycle in interleaved rounds (default 10): round r creates its share of the objects, then
 * gets, updates, patches, lists and deletes them, so every op is measured several times spread over
 * the run (the units that carry run-to-run noise) and nothing is left between rounds.
 */
export async function runCycle(s: CycleSpec): Promise<CycleOutcome> {
  const { client, mapping: m, namespace: ns, recorder, signal } = s;
  const offset = s.offset ?? 0;
  const names = Array.from({ length: s.objects }, (_, i) => `${s.job}-${offset + i}`);
  const rv: (string | undefined)[] = new Array(s.objects);
  const exists: boolean[] = new Array(s.objects).fill(false);
  const data = payload(s.payloadBytes);
  const fast = bodyFactory(s, data);
  const pacing: Record<string, PacingStats> = {};
  const o = { recorder, signal };
  const want = new Set(s.ops);
  const wantsRv = want.has('update');
  const rounds = roundsFor(s.load, s.objects);
  // One client-side rate limiter for the whole cycle, as one client-go client has.
  const limiter = limiterFor(s.load);
  const run = { defaultConcurrency: defaultCrudConcurrency, signal, limiter };
  if (hasVaryingRate(s.load)) for (const op of s.ops) recorder.markVaryingRate(op);
  const advance = (r: { status: number } | undefined) =>
    s.progress.advance(1, r && r.status >= 200 && r.status < 300 ? 0 : 1);
  let firstCreateError: KubeResponse | undefined;
  const each = async (op: string, [a, b]: [number, number], fn: (i: number, t: number) => Promise<void>) => {
    if (signal.aborted || b <= a) return;
    // One status line per round, not per op: a plain log (CI) gets 10 lines, not 70.
    if (rounds === 1) s.progress.status(`${op} ×${b - a}`);
    pacing[op] = addPacing(pacing[op], await runTasks(s.load, b - a, (k, t) => fn(a + k, t), run));
  };
  const selector = `${LABEL_RUN_ID}=${s.runId},${LABEL_JOB}=${s.job}`;

  for (const [r, slice] of roundSlices(s.objects, rounds).entries()) {
    if (signal.aborted) break;
    recorder.beginRound(rounds > 1 ? r : -1);
    if (rounds > 1) s.progress.status(`round ${r + 1}/${rounds}: ${slice[1] - slice[0]} objects`);
    await each('create', slice, async (i, t) => {
      const body = fast
        ? fast(names[i]!, offset + i)
        : JSON.stringify(buildObject(s, names[i]!, offset + i, data));
      const r = await client.create(m, ns, body, 'create', { ...o, intendedMs: t });
      advance(r);
      if (r && isSuccess(r)) {
        exists[i] = true;
        // The update sends it back (optimistic concurrency); nothing else needs the body.
        if (wantsRv) rv[i] = rvRe.exec(r.body)?.[1];
      } else if (r && !firstCreateError) firstCreateError = r;
    });
    if (r === 0 && !exists.some(Boolean) && !signal.aborted) {
      // Every create was refused: the object body is wrong for this kind, not a load result.
      const first = firstCreateError;
      if (first && [400, 403, 404, 415, 422].includes(first.status)) {
        throw new InputError(`crud: the server refused every ${m.kind} create: ${describeResponse(first)}`, {
          hint: `give the phase an objectTemplate with a valid ${m.kind} body (.Name .Namespace .Payload are available)`,
        });
      }
    }
    if (want.has('get')) {
      await each('get', slice, async (i, t) =>
        advance(await client.get(m, ns, names[i]!, 'get', { ...o, intendedMs: t })),
      );
    }
    if (want.has('update')) {
      await each('update', slice, async (i, t) => {
        let body: string;
        if (fast && rv[i]) body = fast(names[i]!, offset + i, rv[i]);
        else {
          const obj = buildObject(s, names[i]!, offset + i, data);
          const md = obj.metadata as { annotations?: Record<string, string>; resourceVersion?: string };
          md.annotations = { ...(md.annotations ?? {}), 'kubeperf.io/rev': '1' };
          if (rv[i]) md.resourceVersion = rv[i];
          body = JSON.stringify(obj);
        }
        advance(await client.update(m, ns, names[i]!, body, 'update', { ...o, intendedMs: t }));
      });
    }
    if (want.has('patch')) {
      await each('patch', slice, async (i, t) => {
        const body = patchBody(s.patchType, offset + i, () => buildObject(s, names[i]!, offset + i, data));
        advance(await client.patch(m, ns, names[i]!, body, s.patchType, 'patch', { ...o, intendedMs: t }));
      });
    }
    // Lists are spread over the rounds too; each sees the objects of its round.
    const lists = Math.floor(((r + 1) * s.lists) / rounds) - Math.floor((r * s.lists) / rounds);
    if (want.has('list') && lists > 0 && !signal.aborted) {
      if (rounds === 1) s.progress.status(`list ×${lists}`);
      pacing.list = addPacing(
        pacing.list,
        await runTasks(
          s.load,
          lists,
          async (_i, t) =>
            advance(await client.list(m, ns, { labelSelector: selector }, 'list', { ...o, intendedMs: t })),
          { ...run, defaultConcurrency: Math.min(4, s.load.concurrency ?? defaultCrudConcurrency) },
        ),
      );
    }
    if (want.has('list-paged') && s.pagedLists !== 0 && !signal.aborted) {
      if (rounds === 1) s.progress.status(`list-paged (limit ${s.listPageSize})`);
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
    // Delete always runs, so a round leaves nothing behind (recorded only when asked for).
    const record = want.has('delete');
    await each('delete', slice, async (i, t) => {
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
  }
  recorder.beginRound(-1);
  return { pacing, leftover: exists.filter(Boolean).length };
}

/** Requests a cycle will send (for progress totals and the plan). */
export function cycleRequests(
  objects: number,
  ops: CrudOp[],
  lists: number,
  pageSize: number,
  rounds = 1,
): number {
  let n = 0;
  for (const op of ops) {
    if (op === 'list') n += lists;
    else if (op === 'list-paged')
      for (const [a, b] of roundSlices(objects, rounds)) n += Math.max(1, Math.ceil((b - a) / pageSize));
    else n += objects;
  }
  if (!ops.includes('create')) n += objects;
  return n;
}
