/**
 * Deletes what kubeperf created and nothing else: objects selected by the run label (one run, or any
 * run with --all) in every listable, deletable resource, then the namespaces kubeperf itself created
 * (labelled kubeperf.io/created-namespace). Labels are checked again on our side before each delete.
 * Waits until the objects are gone (bounded), reporting progress and a per-resource summary.
 */
import type { Logger } from '../core/logger.js';
import type { ProgressReporter } from '../core/progress.js';
import type { Target } from '../phases/types.js';
import { sleep } from '../load/sleep.js';
import type { KubeClient, KubeObject } from './client.js';
import { connect } from './connect.js';
import { collectionPath, type ResourceMapping } from './discovery.js';
import { LABEL_CREATED_NAMESPACE, LABEL_RUN_ID } from './labels.js';

export interface CleanupResult {
  deleted: number;
  byResource: Record<string, number>;
}

/** Every top-level resource of the server's preferred group versions that can be listed and deleted. */
export async function discoverDeletableResources(client: KubeClient): Promise<ResourceMapping[]> {
  const getJson = async <T>(path: string): Promise<T | undefined> => {
    const r = await client.rest.request({ method: 'GET', path });
    return r.status === 200 ? (JSON.parse(r.body) as T) : undefined;
  };
  const gvs: { group: string; version: string }[] = [{ group: '', version: 'v1' }];
  const groups = await getJson<{ groups: { name: string; preferredVersion: { version: string } }[] }>(
    '/apis',
  );
  for (const g of groups?.groups ?? []) gvs.push({ group: g.name, version: g.preferredVersion.version });
  const out: ResourceMapping[] = [];
  await Promise.all(
    gvs.map(async ({ group, version }) => {
      const list = await getJson<{
        resources: { name: string; kind: string; namespaced: boolean; verbs: string[] }[];
      }>(group ? `/apis/${group}/${version}` : `/api/${version}`);
      for (const r of list?.resources ?? []) {
        if (r.name.includes('/') || !r.verbs?.includes('list') || !r.verbs.includes('delete')) continue;
        out.push({
          group,
          version,
          resource: r.name,
          kind: r.kind,
          namespaced: r.namespaced,
          verbs: r.verbs,
        });
      }
    }),
  );
  return out;
}

/** Objects of one resource in one namespace from which deletecollection is used. */
const BULK_MIN = 20;

const keyOf = (m: ResourceMapping) => (m.group ? `${m.resource}.${m.group}` : m.resource);

export async function cleanupRun(
  target: Target,
  opts: { runId?: string; all?: boolean; log: Logger; progress?: ProgressReporter; timeoutMs?: number },
): Promise<CleanupResult> {
  if (!opts.runId && !opts.all) throw new Error('cleanupRun needs a runId or all');
  const client = await connect(target, { connections: 16 });
  try {
    return await cleanupWith(client, opts);
  } finally {
    await client.close();
  }
}

export async function cleanupWith(
  client: KubeClient,
  opts: {
    runId?: string;
    all?: boolean;
    log: Logger;
    progress?: ProgressReporter;
    timeoutMs?: number;
    /** Narrows the selection further (e.g. `kubeperf.io/job in (a,b)`); never widens it. */
    extraSelector?: string;
    /** Also delete namespaces kubeperf created (default true). */
    namespaces?: boolean;
  },
): Promise<CleanupResult> {
  const base = opts.runId ? `${LABEL_RUN_ID}=${opts.runId}` : LABEL_RUN_ID;
  const selector = opts.extraSelector ? `${base},${opts.extraSelector}` : base;
  const owned = (o: KubeObject) => {
    const v = o.metadata.labels?.[LABEL_RUN_ID];
    return v !== undefined && (opts.all || v === opts.runId);
  };
  const resources = await discoverDeletableResources(client);
  const namespaces = resources.find((r) => r.group === '' && r.resource === 'namespaces');
  const others = resources.filter((r) => r !== namespaces);

  // Find everything first, so progress has a total.
  const targets: { m: ResourceMapping; o: KubeObject }[] = [];
  await Promise.all(
    others.map(async (m) => {
      try {
        const { items } = await client.listAll(m, undefined, { labelSelector: selector });
        for (const o of items) if (owned(o) && !o.metadata.deletionTimestamp) targets.push({ m, o });
      } catch (e) {
        opts.log.debug(`cleanup: cannot list ${keyOf(m)}: ${(e as Error).message}`);
      }
    }),
  );
  const nsTargets: KubeObject[] = [];
  if (namespaces && opts.namespaces !== false) {
    const { items } = await client.listAll(namespaces, undefined, {
      labelSelector: `${selector},${LABEL_CREATED_NAMESPACE}=true`,
    });
    for (const o of items)
      if (owned(o) && o.metadata.labels?.[LABEL_CREATED_NAMESPACE] === 'true') nsTargets.push(o);
  }
  const total = targets.length + nsTargets.length;
  opts.progress?.start(total, 'objects');
  const byResource: Record<string, number> = {};
  let deleted = 0;
  const del = async (m: ResourceMapping, o: KubeObject) => {
    const r = await client.delete(m, o.metadata.namespace, o.metadata.name!, 'cleanup', {});
    const ok = !!r && (r.status === 200 || r.status === 202 || r.status === 404);
    if (ok) {
      byResource[keyOf(m)] = (byResource[keyOf(m)] ?? 0) + 1;
      deleted++;
    } else {
      opts.log.warn(
        `cleanup: delete ${keyOf(m)} ${o.metadata.namespace ?? ''}/${o.metadata.name}: ${r ? `HTTP ${r.status}` : 'connection failed'}`,
      );
    }
    opts.progress?.advance(1, ok ? 0 : 1);
  };
  // Many objects of one resource in one namespace: one DELETE on the collection with the same label
  // selector (the server applies exactly the selector we listed with), instead of one per object.
  const groups = new Map<string, { m: ResourceMapping; ns?: string; objs: KubeObject[] }>();
  for (const t of targets) {
    const k = `${keyOf(t.m)}/${t.o.metadata.namespace ?? ''}`;
    const g = groups.get(k) ?? { m: t.m, ns: t.o.metadata.namespace, objs: [] };
    g.objs.push(t.o);
    groups.set(k, g);
  }
  const single: { m: ResourceMapping; o: KubeObject }[] = [];
  const bulk: { m: ResourceMapping; ns?: string; objs: KubeObject[] }[] = [];
  for (const g of groups.values()) {
    if (g.objs.length >= BULK_MIN && g.m.verbs.includes('deletecollection') && (g.ns || !g.m.namespaced))
      bulk.push(g);
    else for (const o of g.objs) single.push({ m: g.m, o });
  }
  await pool(bulk, 4, async (g) => {
    const r = await client.rest.request({
      method: 'DELETE',
      path: `${collectionPath(g.m, g.ns)}?labelSelector=${encodeURIComponent(selector)}&propagationPolicy=Background`,
    });
    if (r.status === 200) {
      const n = (JSON.parse(r.body) as { items?: unknown[] }).items?.length ?? g.objs.length;
      byResource[keyOf(g.m)] = (byResource[keyOf(g.m)] ?? 0) + n;
      deleted += n;
      opts.progress?.advance(g.objs.length, 0);
    } else {
      // Not allowed or not supported after all: fall back to one DELETE per object.
      for (const o of g.objs) await del(g.m, o);
    }
  });
  await pool(single, 16, (t) => del(t.m, t.o));
  // Namespaces last: deleting one removes what is left in it, but only after our own objects went.
  await pool(nsTargets, 8, (o) => del(namespaces!, o));
  opts.progress?.finish();

  // Wait for them to be gone (finalizers, namespace termination), bounded.
  const deadline = performance.now() + (opts.timeoutMs ?? 120_000);
  const pending = new Map<string, ResourceMapping>();
  for (const t of targets) pending.set(keyOf(t.m), t.m);
  if (nsTargets.length && namespaces) pending.set('namespaces', namespaces);
  for (const [key, m] of pending) {
    for (;;) {
      const sel = m === namespaces ? `${selector},${LABEL_CREATED_NAMESPACE}=true` : selector;
      const r = await client.rest.request({
        method: 'GET',
        path: `${collectionPath(m)}?labelSelector=${encodeURIComponent(sel)}&limit=1`,
      });
      const left = r.status === 200 ? (JSON.parse(r.body) as { items: unknown[] }).items.length : 0;
      if (left === 0) break;
      if (performance.now() > deadline) {
        opts.log.warn(`cleanup: some ${key} are still terminating after the timeout (finalizers?)`);
        break;
      }
      await sleep(200);
    }
  }
  return { deleted, byResource };
}

/** Runs fn over items with at most n (≥ 1) in flight. */
export async function pool<T>(items: readonly T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}
