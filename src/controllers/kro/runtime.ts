/**
 * One reconcile's view of the graph (kro's pkg/runtime): the instance as `schema`, the observed
 * object of every node, readiness (observed exists and every readyWhen holds; for collections, every
 * desired item is observed and passes readyWhen with `each`), includeWhen with kro's contagious skip,
 * and desired objects rendered by evaluating each `${}` with the CEL engine against the dependencies'
 * observed state. CEL errors that mean "the data is not there yet" (kro's four substrings) are
 * DataPending; any other CEL error is a real error.
 */
import { fromCelValue, toCelValue } from '../../cel/values.js';
import type { KubeObject } from '../../kube/client.js';
import { pathSegments } from '../../rgd/extract.js';
import { cartesian } from '../../rgd/sample.js';
import type { CompiledExpression, CompiledResource } from '../../rgd/types.js';
import type { Graph } from './graph.js';

export class DataPending extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataPending';
  }
}

const PENDING = /no such key|no such field|no such attribute|index out of bounds/i;

export const MAX_COLLECTION_SIZE = 1000;

function evaluate(e: CompiledExpression, activation: Record<string, unknown>): unknown {
  try {
    return e.program.evaluate(activation);
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0]!;
    if (PENDING.test(msg)) throw new DataPending(`${e.resource} ${e.path}: ${msg}`);
    throw new Error(`failed to evaluate ${e.kind} expression "${e.raw}" at ${e.resource}.${e.path}: ${msg}`);
  }
}

function setAt(obj: Record<string, unknown>, path: string, value: unknown): void {
  const segs = pathSegments(path);
  let cur: Record<string | number, unknown> = obj;
  for (let i = 0; i < segs.length - 1; i++) {
    const next = cur[segs[i]!];
    if (next === null || typeof next !== 'object') cur[segs[i]!] = {};
    cur = cur[segs[i]!] as Record<string | number, unknown>;
  }
  cur[segs[segs.length - 1]!] = value;
}

export class GraphRuntime {
  private readonly observed = new Map<string, KubeObject | KubeObject[]>();
  private readonly celObserved = new Map<string, unknown>();
  private readonly ignored = new Set<string>();
  private readonly byId: Map<string, CompiledResource>;
  readonly schema: unknown;

  constructor(
    readonly graph: Graph,
    instance: KubeObject,
  ) {
    this.byId = new Map(graph.rgd.resources.map((r) => [r.id, r]));
    const { status: _status, ...rest } = instance as KubeObject & { status?: unknown };
    this.schema = toCelValue(rest, { type: 'object', properties: { spec: graph.rgd.schema.spec } });
  }

  resource(id: string): CompiledResource {
    return this.byId.get(id)!;
  }

  setObserved(id: string, obj: KubeObject | KubeObject[] | undefined): void {
    this.celObserved.delete(id);
    if (obj === undefined) this.observed.delete(id);
    else this.observed.set(id, obj);
  }

  getObserved(id: string): KubeObject | KubeObject[] | undefined {
    return this.observed.get(id);
  }

  ignore(id: string): void {
    this.ignored.add(id);
  }

  isIgnored(id: string): boolean {
    return this.ignored.has(id);
  }

  private cel(id: string): unknown {
    let v = this.celObserved.get(id);
    if (v === undefined && this.observed.has(id)) {
      v = toCelValue(this.observed.get(id));
      this.celObserved.set(id, v);
    }
    return v;
  }

  /** schema plus the observed objects of the given ids (and any extra bindings). */
  activation(ids: Iterable<string>, extra?: Record<string, unknown>): Record<string, unknown> {
    const a: Record<string, unknown> = { schema: this.schema };
    for (const id of ids) {
      const v = this.cel(id);
      if (v !== undefined) a[id] = v;
    }
    return extra ? { ...a, ...extra } : a;
  }

  /** Observed and every readyWhen true (collections: all desired items observed and ready). */
  isReady(id: string, desiredCount?: number): boolean {
    const res = this.byId.get(id)!;
    const obs = this.observed.get(id);
    if (obs === undefined) return false;
    if (Array.isArray(obs)) {
      if (desiredCount !== undefined && obs.length < desiredCount) return false;
      if (!res.readyWhen.length) return true;
      return obs.every((item) => this.readyWhenHolds(res, { each: toCelValue(item) }));
    }
    return this.readyWhenHolds(res, { [id]: this.cel(id) });
  }

  private readyWhenHolds(res: CompiledResource, activation: Record<string, unknown>): boolean {
    for (const c of res.readyWhen) {
      try {
        const v = fromCelValue(c.program.evaluate(activation));
        if (v !== true) return false;
      } catch {
        return false;
      }
    }
    return true;
  }

  /**
   * kro's IsIgnored: a node whose dependency is ignored is ignored; otherwise includeWhen decides,
   * and an includeWhen over resources waits (DataPending) until they are ready.
   */
  checkIncluded(id: string): boolean {
    const res = this.byId.get(id)!;
    if (res.dependencies.some((d) => this.ignored.has(d))) return false;
    for (const c of res.includeWhen) {
      const refs = c.references.filter((r) => r !== 'schema');
      for (const r of refs)
        if (!this.isReady(r)) throw new DataPending(`includeWhen of ${id} waits for ${r}`);
      if (fromCelValue(evaluate(c, this.activation(refs))) !== true) return false;
    }
    return true;
  }

  /** Every dependency that is not ignored must be ready before the node can be rendered. */
  checkDependenciesReady(id: string): void {
    for (const d of this.byId.get(id)!.dependencies) {
      if (this.ignored.has(d)) continue;
      const obs = this.observed.get(d);
      if (!this.isReady(d, Array.isArray(obs) ? obs.length : undefined))
        throw new DataPending(`resource ${id} waits for ${d} to be ready`);
    }
  }

  /** Desired objects: one for a resource or external ref, one per forEach combination for a collection. */
  desired(id: string, instanceNamespace: string | undefined): KubeObject[] {
    const res = this.byId.get(id)!;
    const base = this.activation(res.dependencies);
    if (res.forEach.length === 0) return [this.render(res, base, instanceNamespace)];
    const dims = res.forEach.map((d, k) => {
      const e = res.expressions.find((x) => x.kind === 'forEach' && x.path.startsWith(`forEach[${k}]`))!;
      const v = evaluate(e, base);
      if (v === null || v === undefined)
        throw new Error(`resource ${id}: forEach ${d.name} evaluated to null`);
      if (!Array.isArray(v)) throw new Error(`resource ${id}: forEach ${d.name} must return a list`);
      return { name: d.name, values: v };
    });
    const size = dims.reduce((p, d) => p * d.values.length, 1);
    if (size > MAX_COLLECTION_SIZE)
      throw new Error(
        `collection size of ${size} is over the maximum collection size of ${MAX_COLLECTION_SIZE}`,
      );
    const items = cartesian(dims).map((combo) => this.render(res, { ...base, ...combo }, instanceNamespace));
    const seen = new Set<string>();
    for (const o of items) {
      const k = `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      if (seen.has(k)) throw new Error(`resource ${id}: duplicate collection item identity ${k}`);
      seen.add(k);
    }
    return items;
  }

  private render(
    res: CompiledResource,
    activation: Record<string, unknown>,
    instanceNamespace?: string,
  ): KubeObject {
    const obj = structuredClone(res.template) as KubeObject;
    for (const e of res.expressions) {
      if (e.kind !== 'template' && e.kind !== 'externalRef') continue;
      setAt(obj, e.path, fromCelValue(evaluate(e, activation)));
    }
    const m = this.graph.mappings.get(res.id)!;
    if (m.namespaced && !obj.metadata.namespace && instanceNamespace)
      obj.metadata.namespace = instanceNamespace;
    return obj;
  }

  /** Instance status fields whose data is there now (soft: pending fields are left out). */
  projectStatus(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const e of this.graph.rgd.status) {
      const refs = e.references.filter((r) => r !== 'schema');
      if (refs.some((r) => this.ignored.has(r) || !this.observed.has(r))) continue;
      try {
        const v = fromCelValue(e.program.evaluate(this.activation(refs)));
        if (v === undefined) continue;
        setAt(out, e.path.replace(/^status\.?/, ''), v);
      } catch {
        // data pending or a failing expression: kro omits the field
      }
    }
    return out;
  }
}
