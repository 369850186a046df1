/**
 * Simulated disruption controller: a PodDisruptionBudget's status from the pods its selector matches
 * (expected, currently healthy, desired healthy from minAvailable or maxUnavailable, disruptions
 * allowed, the DisruptionAllowed condition). Expected pods are counted from matching pods, not from
 * their controllers' scale as the real controller does.
 */
import type { ApiContext } from '../api/context.js';
import { nowSeconds } from '../api/objects.js';
import type { StoreEvent } from '../store/store.js';
import { selectorMatches } from '../validation/selector.js';
import { specChanged, stopper, WorkQueue } from './controller-kit.js';
import { isReady, isTerminating, scaled, updateStatus } from './workloads.js';

type Obj = Record<string, unknown>;

export function startDisruptionController(ctx: ApiContext): () => void {
  const pdbRt = ctx.registry.get('policy/v1', 'poddisruptionbudgets')!;

  const sync = (key: string): void => {
    const s = ctx.store.get('poddisruptionbudgets.policy', key);
    if (!s || isTerminating(s.obj)) return;
    const spec = (s.obj.spec as Obj) ?? {};
    const prefix = `${s.ns}/`;
    const objects = ctx.store.objects('pods');
    let expected = 0;
    let healthy = 0;
    for (const k of ctx.store.sortedKeys('pods')) {
      if (!k.startsWith(prefix)) continue;
      const p = objects.get(k)!.obj;
      if (isTerminating(p) || !selectorMatches(spec.selector ?? {}, p.metadata.labels)) continue;
      expected++;
      if (isReady(p)) healthy++;
    }
    const desired =
      spec.minAvailable !== undefined
        ? scaled(spec.minAvailable, expected, true)
        : spec.maxUnavailable !== undefined
          ? Math.max(0, expected - scaled(spec.maxUnavailable, expected, true))
          : 0;
    const allowed = Math.max(0, healthy - desired);
    updateStatus(ctx, pdbRt, s.ns, s.name, (o) => {
      const prev = (((o.status as Obj) ?? {}).conditions as Obj[] | undefined)?.[0];
      const status = allowed > 0 ? 'True' : 'False';
      o.status = {
        observedGeneration: s.obj.metadata.generation,
        disruptionsAllowed: allowed,
        currentHealthy: healthy,
        desiredHealthy: desired,
        expectedPods: expected,
        conditions: [
          {
            type: 'DisruptionAllowed',
            status,
            observedGeneration: s.obj.metadata.generation,
            lastTransitionTime: prev?.status === status ? prev.lastTransitionTime : nowSeconds(),
            reason: allowed > 0 ? 'SufficientPods' : 'InsufficientPods',
            message: '',
          },
        ],
      };
    });
  };

  const queue = new WorkQueue(sync);
  return stopper(queue, [
    ctx.store.subscribe('poddisruptionbudgets.policy', (e: StoreEvent) => {
      if (e.type !== 'DELETED' && specChanged(e)) queue.add(e.cur.key);
    }),
    ctx.store.subscribe('pods', (e: StoreEvent) => {
      const prefix = `${e.cur.ns}/`;
      const pdbs = ctx.store.objects('poddisruptionbudgets.policy');
      if (!pdbs.size) return;
      for (const k of ctx.store.sortedKeys('poddisruptionbudgets.policy')) {
        if (!k.startsWith(prefix)) continue;
        const sel = ((pdbs.get(k)!.obj.spec as Obj | undefined)?.selector ?? {}) as Obj;
        if (
          selectorMatches(sel, e.cur.obj.metadata.labels) ||
          (e.prev && selectorMatches(sel, e.prev.obj.metadata.labels))
        )
          queue.add(k);
      }
    }),
  ]);
}
