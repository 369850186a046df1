/**
 * kube-burner's churn: after a create job, delete a contiguous, randomly placed share of its
 * iterations and re-create them, cycle after cycle, until `cycles` or `duration` is reached. Mode
 * namespaces deletes the iterations' namespaces; mode objects deletes the churnable objects in them.
 * Deletes are recorded as `churn.delete`, re-creates as `churn.create` with their own readiness, so
 * the first creates' numbers stay apart.
 */
import { parseDuration } from '../../config/duration.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import type { ResourceMapping } from '../../kube/discovery.js';
import { LABEL_CREATED_NAMESPACE, LABEL_ITERATION, LABEL_RUN_ID } from '../../kube/labels.js';
import { namespaceMapping } from '../../kube/namespaces.js';
import { sleep } from '../../load/sleep.js';
import type { PhaseContext } from '../types.js';
import { namespaceFor, type ChurnConfig, type JobOptions } from './options.js';

export interface ChurnDeps {
  client: KubeClient;
  ctx: PhaseContext;
  /** Iterations this process owns. */
  iterations: number[];
  mappings(): ResourceMapping[];
  selector: string;
  ensureNamespaces(iterations: readonly number[]): Promise<unknown>;
  /** Creates the iterations' (churnable) objects again and waits for them. */
  recreate(iterations: number[]): Promise<void>;
}

export async function runChurn(
  o: JobOptions,
  c: ChurnConfig,
  d: ChurnDeps,
): Promise<{ cycles: number; iterations: number }> {
  const { client, ctx } = d;
  const endAt = parseDuration(c.duration)! > 0 ? performance.now() + parseDuration(c.duration)! : Infinity;
  const delayMs = parseDuration(c.delay)!;
  // Whole namespaces churn together: pick among namespace groups, then take their iterations.
  const groups = new Map<string, number[]>();
  for (const i of d.iterations) {
    const ns = namespaceFor(o, i);
    groups.set(ns, [...(groups.get(ns) ?? []), i]);
  }
  const names = [...groups.keys()];
  const take = Math.max(1, Math.round((names.length * c.percent) / 100));
  let cycles = 0;
  let churned = 0;
  while (names.length && !ctx.signal.aborted && (c.cycles === 0 || cycles < c.cycles)) {
    if (performance.now() >= endAt) break;
    const start = Math.floor(Math.random() * Math.max(1, names.length - take + 1));
    const chosen = names.slice(start, start + take);
    const its = chosen.flatMap((ns) => groups.get(ns)!);
    ctx.progress.status(`churn cycle ${cycles + 1}: ${chosen.length} namespace(s)`);
    if (c.mode === 'namespaces') await deleteNamespaces(client, chosen, ctx);
    else await deleteObjects(client, d.mappings(), d.selector, its, ctx);
    await d.ensureNamespaces(its);
    await d.recreate(its);
    cycles++;
    churned += its.length;
    if (delayMs && performance.now() + delayMs < endAt) await sleep(delayMs, ctx.signal).catch(() => {});
  }
  return { cycles, iterations: churned };
}

const gone = async (client: KubeClient, m: ResourceMapping, ns: string | undefined, selector: string) => {
  for (let t = 0; t < 2400; t++) {
    const { items } = await client.listAll<KubeObject>(m, ns, { labelSelector: selector, limit: 1 });
    if (!items.length) return;
    await sleep(50);
  }
};

async function deleteNamespaces(client: KubeClient, names: string[], ctx: PhaseContext) {
  await Promise.all(
    names.map(async (ns) => {
      // Only namespaces this run created are ever deleted.
      const r = await client.get(namespaceMapping, undefined, ns, 'setup');
      const labels = r?.status === 200 ? (JSON.parse(r.body) as KubeObject).metadata.labels : undefined;
      if (labels?.[LABEL_RUN_ID] !== ctx.runId || labels?.[LABEL_CREATED_NAMESPACE] !== 'true') return;
      await client.delete(namespaceMapping, undefined, ns, 'churn.delete', {
        recorder: ctx.recorder,
        signal: ctx.signal,
      });
    }),
  );
  // ensureNamespace waits for a terminating namespace to go before creating it afresh.
}

async function deleteObjects(
  client: KubeClient,
  mappings: ResourceMapping[],
  selector: string,
  iterations: number[],
  ctx: PhaseContext,
) {
  const sel = `${selector},${LABEL_ITERATION} in (${iterations.join(',')})`;
  for (const m of mappings) {
    if (m.resource === 'namespaces' && !m.group) continue;
    const { items } = await client.listAll<KubeObject>(m, undefined, { labelSelector: sel });
    await Promise.all(
      items.map((x) =>
        client.delete(m, x.metadata.namespace, x.metadata.name!, 'churn.delete', {
          recorder: ctx.recorder,
          signal: ctx.signal,
        }),
      ),
    );
    await gone(client, m, undefined, sel);
  }
}
