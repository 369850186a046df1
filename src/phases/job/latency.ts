/**
 * kube-burner's podLatency, jobLatency and serviceLatency, measured from watches opened before the
 * job's first create: each latency runs from the first watch event showing the object (its creation,
 * as seen by us, ms precision) to the first event showing the condition, both on our monotonic clock.
 * kube-burner subtracts 1-second condition timestamps instead (docs/kube-burner.md says how the two
 * differ). Recorded as ops `podLatency.<Condition>`, `jobLatency.Complete`, `serviceLatency.Ready`, so
 * thresholds such as `podLatency.Ready.p99 < 2s` apply.
 */
import type { KubeClient, KubeObject } from '../../kube/client.js';
import { watch, type Watcher } from '../../kube/watch.js';
import type { Recorder } from '../../metrics/recorder.js';
import { sleep } from '../../load/sleep.js';
import type { latencyMeasurements } from './options.js';

type Measure = (typeof latencyMeasurements)[number];

const podConditions = ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'];

interface Seen {
  firstMs: number;
  done: Set<string>;
}

type Cond = { type?: string; status?: string };
const conditionsOf = (o: KubeObject): Cond[] =>
  ((o.status as { conditions?: Cond[] } | undefined)?.conditions ?? []) as Cond[];
const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export class LatencyWatch {
  private readonly watchers: Watcher[] = [];
  private readonly pods = new Map<string, Seen>();
  private readonly jobs = new Map<string, Seen>();
  private readonly services = new Map<string, Seen>();
  /** Endpoints seen with addresses before their Service's first event (two watches race). */
  private readonly endpointsReady = new Map<string, number>();
  readonly lost: string[] = [];

  private constructor(private readonly recorder: Recorder) {}

  static async start(
    client: KubeClient,
    measures: readonly Measure[],
    labelSelector: string,
    recorder: Recorder,
  ): Promise<LatencyWatch> {
    const lw = new LatencyWatch(recorder);
    const open = async (kind: string, apiVersion: string, onEvent: (o: KubeObject, at: number) => void) => {
      const m = await client.mapper.resolve(apiVersion, kind);
      lw.watchers.push(
        await watch(client, m, {
          labelSelector,
          onEvent: (e) => {
            if (e.type !== 'DELETED') onEvent(e.object, e.receivedMs);
          },
          onLost: (reason) => lw.lost.push(`${kind} latency watch lost: ${reason}`),
        }),
      );
    };
    if (measures.includes('podLatency'))
      await open('Pod', 'v1', (o, at) => lw.conditions(lw.pods, o, at, podConditions, 'podLatency'));
    if (measures.includes('jobLatency'))
      await open('Job', 'batch/v1', (o, at) => lw.conditions(lw.jobs, o, at, ['Complete'], 'jobLatency'));
    if (measures.includes('serviceLatency')) {
      await open('Service', 'v1', (o, at) => lw.service(o, at));
      await open('Endpoints', 'v1', (o, at) => lw.endpoints(o, at));
    }
    return lw;
  }

  private conditions(seen: Map<string, Seen>, o: KubeObject, at: number, types: string[], op: string) {
    const k = keyOf(o);
    let s = seen.get(k);
    if (!s) seen.set(k, (s = { firstMs: at, done: new Set() }));
    for (const c of conditionsOf(o)) {
      if (c.status !== 'True' || !c.type || !types.includes(c.type) || s.done.has(c.type)) continue;
      s.done.add(c.type);
      this.recorder.record(`${op}.${c.type}`, s.firstMs, at);
    }
  }

  private service(o: KubeObject, at: number) {
    const k = keyOf(o);
    if (this.services.has(k)) return;
    const s: Seen = { firstMs: at, done: new Set() };
    this.services.set(k, s);
    const early = this.endpointsReady.get(k);
    if (early !== undefined) this.serviceReady(s, early);
  }

  private endpoints(o: KubeObject, at: number) {
    const subsets = (o as { subsets?: { addresses?: unknown[] }[] }).subsets ?? [];
    if (!subsets.some((x) => (x.addresses?.length ?? 0) > 0)) return;
    const k = keyOf(o);
    const s = this.services.get(k);
    if (s) this.serviceReady(s, at);
    else if (!this.endpointsReady.has(k)) this.endpointsReady.set(k, at);
  }

  private serviceReady(s: Seen, at: number) {
    if (s.done.has('Ready')) return;
    s.done.add('Ready');
    this.recorder.record('serviceLatency.Ready', s.firstMs, Math.max(at, s.firstMs));
  }

  /** Whether every object seen so far reached its last condition. */
  private complete(): boolean {
    const done = (m: Map<string, Seen>, last: string) => [...m.values()].every((x) => x.done.has(last));
    return done(this.pods, 'Ready') && done(this.jobs, 'Complete') && done(this.services, 'Ready');
  }

  /**
   * The job's own wait watched other kinds (a Deployment's readiness arrives on its own stream): give
   * these streams until everything seen completed, at most `ms`, so no late event is cut off.
   */
  async settle(ms: number, signal: AbortSignal): Promise<void> {
    const end = performance.now() + ms;
    while (!this.complete() && performance.now() < end && !signal.aborted) await sleep(25).catch(() => {});
  }

  /** What was seen and what never completed, for the phase's data and warnings. */
  summary(): { data: Record<string, { seen: number; complete: number }>; warnings: string[] } {
    const data: Record<string, { seen: number; complete: number }> = {};
    const warnings: string[] = [...this.lost];
    const add = (name: string, seen: Map<string, Seen>, last: string, what: string) => {
      if (!this.watchers.length) return;
      const complete = [...seen.values()].filter((s) => s.done.has(last)).length;
      data[name] = { seen: seen.size, complete };
      if (complete < seen.size) warnings.push(`${name}: ${seen.size - complete} of ${seen.size} ${what}`);
    };
    if (this.watchers.length) {
      add('podLatency', this.pods, 'Ready', 'pods never became Ready while the job ran');
      add('jobLatency', this.jobs, 'Complete', 'jobs never completed while the job ran');
      add(
        'serviceLatency',
        this.services,
        'Ready',
        'services never had a ready endpoint while the job ran (no selector, or no ready pod)',
      );
    }
    for (const k of Object.keys(data)) if (data[k]!.seen === 0) delete data[k];
    return { data, warnings };
  }

  async stop(): Promise<void> {
    await Promise.all(this.watchers.map((w) => w.stop()));
  }
}
