/**
 * Watches on the resources instances own or read, and the routing of their events back to the
 * instance (kro's WatchCoordinator): one informer per child GVR, across all namespaces, shared by
 * every instance; an event enqueues the instance whose uid is in the object's kro.run/instance-id
 * label, the instances that registered the object by name (external references), and those whose
 * label selector matches it (external collections). Registrations are replaced on every reconcile.
 */
import type { Logger } from '../../core/logger.js';
import type { KubeObject } from '../../kube/client.js';
import type { ResourceMapping } from '../../kube/discovery.js';
import type { ControllerClient } from '../runtime/client.js';
import { Informer } from '../runtime/informer.js';
import { LABEL_INSTANCE_ID } from './constants.js';
import { gvrKey } from './graph.js';
import type { KroMetrics } from './metrics.js';

type Match = (o: KubeObject) => boolean;

export class Coordinator {
  private readonly informers = new Map<string, Promise<Informer>>();
  private readonly uidToKey = new Map<string, string>();
  private readonly names = new Map<string, Set<string>>();
  private readonly selectors = new Map<string, Map<string, Match>>();
  private readonly byInstance = new Map<string, { names: string[]; selectors: string[] }>();

  constructor(
    private readonly client: ControllerClient,
    private readonly enqueue: (instanceKey: string) => void,
    private readonly metrics: KroMetrics,
    private readonly log: Logger,
  ) {}

  /** Starts (once) and waits for the shared informer of a child GVR. */
  ensureWatch(m: ResourceMapping): Promise<Informer> {
    const gvr = gvrKey(m);
    let p = this.informers.get(gvr);
    if (!p) {
      const route = (type: string) => (o: KubeObject) => {
        this.metrics.informerEvents.inc({ gvr, event_type: type });
        this.route(gvr, o);
      };
      const inf = new Informer(this.client, m, {
        onAdd: route('add'),
        onUpdate: (_, o) => route('update')(o),
        onDelete: route('delete'),
        log: this.log,
      });
      p = inf.start().then(() => inf);
      p.catch(() => this.informers.delete(gvr));
      this.informers.set(gvr, p);
    }
    return p;
  }

  private route(gvr: string, o: KubeObject): void {
    const owner = o.metadata.labels?.[LABEL_INSTANCE_ID];
    const k = owner ? this.uidToKey.get(owner) : undefined;
    if (k) this.enqueue(k);
    const byName = this.names.get(`${gvr}|${o.metadata.namespace ?? ''}|${o.metadata.name}`);
    if (byName) for (const key of byName) this.enqueue(key);
    const sel = this.selectors.get(gvr);
    if (sel) for (const [key, match] of sel) if (match(o)) this.enqueue(key);
  }

  /** The instance with this uid is `key` (children carry the uid in kro.run/instance-id). */
  bindUid(uid: string, key: string): void {
    this.uidToKey.set(uid, key);
  }

  /** Drops the instance's name and selector registrations (called at the start of each reconcile). */
  reset(key: string): void {
    const r = this.byInstance.get(key);
    if (!r) return;
    for (const n of r.names) this.names.get(n)?.delete(key);
    for (const g of r.selectors) this.selectors.get(g)?.delete(key);
    this.byInstance.delete(key);
  }

  private registrations(key: string) {
    let r = this.byInstance.get(key);
    if (!r) this.byInstance.set(key, (r = { names: [], selectors: [] }));
    return r;
  }

  async watchName(
    key: string,
    m: ResourceMapping,
    namespace: string | undefined,
    name: string,
  ): Promise<void> {
    await this.ensureWatch(m);
    const n = `${gvrKey(m)}|${namespace ?? ''}|${name}`;
    let set = this.names.get(n);
    if (!set) this.names.set(n, (set = new Set()));
    set.add(key);
    this.registrations(key).names.push(n);
  }

  async watchSelector(key: string, m: ResourceMapping, match: Match): Promise<void> {
    await this.ensureWatch(m);
    const g = gvrKey(m);
    let map = this.selectors.get(g);
    if (!map) this.selectors.set(g, (map = new Map()));
    map.set(key, match);
    this.registrations(key).selectors.push(g);
  }

  /** The instance is gone: forget everything about it. */
  forget(key: string, uid?: string): void {
    this.reset(key);
    if (uid) this.uidToKey.delete(uid);
  }

  get watchCount(): number {
    return this.informers.size;
  }

  async stop(): Promise<void> {
    const all = await Promise.allSettled(this.informers.values());
    await Promise.all(all.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
  }
}
