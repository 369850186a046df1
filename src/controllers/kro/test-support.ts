/**
 * Test helpers (used by *.test.ts only): the embedded control plane and the simulated kro controller,
 * each in its own process, a client, and chainsaw-like steps — apply a YAML document (server-side
 * apply), assert a subset of an object until it holds, wait for conditions.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import { connect } from '../../kube/connect.js';
import { objectPath, type ResourceMapping } from '../../kube/discovery.js';
import { ensureNamespace } from '../../kube/namespaces.js';
import { launchTestCluster, type TestCluster } from '../../kube/testing.js';
import { launchController, type ControllerProcess } from '../runtime/launch.js';

export interface KroEnv {
  cluster: TestCluster;
  controller: ControllerProcess;
  client: KubeClient;
  stop(): Promise<void>;
}

export async function startKroEnv(options: Record<string, unknown> = {}): Promise<KroEnv> {
  const cluster = await launchTestCluster();
  try {
    const controller = await launchController('kro', { kubeconfig: cluster.target.kubeconfigPath!, options });
    const client = await connect(cluster.target);
    return {
      cluster,
      controller,
      client,
      stop: async () => {
        await client.close();
        await controller.stop();
        await cluster.stop();
      },
    };
  } catch (e) {
    await cluster.stop();
    throw e;
  }
}

export function readDoc(file: string): KubeObject {
  return parse(readFileSync(file, 'utf8')) as KubeObject;
}

export async function mappingOf(client: KubeClient, o: KubeObject): Promise<ResourceMapping> {
  return client.mapper.resolve(o.apiVersion!, o.kind!);
}

const nsOf = (m: ResourceMapping, o: KubeObject, ns: string) =>
  m.namespaced ? (o.metadata.namespace ?? ns) : undefined;

/** Server-side apply (creates or updates); returns the HTTP status and the body. */
export async function applyDoc(client: KubeClient, o: KubeObject, ns: string) {
  const m = await mappingOf(client, o);
  const namespace = nsOf(m, o, ns);
  if (namespace) await ensureNamespace(client, namespace, { runId: 'kro-e2e', job: 'e2e' });
  const body = { ...o, metadata: { ...o.metadata, ...(namespace ? { namespace } : {}) } };
  const r = await client.send('apply', {
    method: 'PATCH',
    path: `${objectPath(m, namespace, o.metadata.name!)}?fieldManager=kubeperf-e2e&force=true`,
    body: JSON.stringify(body),
    contentType: 'application/apply-patch+yaml',
  });
  if (!r) throw new Error(`apply ${o.kind} ${o.metadata.name}: connection failed`);
  return { status: r.status, body: r.body };
}

export async function getDoc(client: KubeClient, o: KubeObject, ns: string): Promise<KubeObject | undefined> {
  const m = await mappingOf(client, o);
  const r = await client.get(m, nsOf(m, o, ns), o.metadata.name!);
  if (r?.status === 404) return undefined;
  if (r?.status !== 200) throw new Error(`get ${o.kind} ${o.metadata.name}: HTTP ${r?.status}`);
  return JSON.parse(r.body) as KubeObject;
}

/**
 * chainsaw-style subset match: every expected key must match; lists match element by element with
 * the same length; a key `list[field=value]` filters the actual list first. Returns the first
 * mismatch as "path: expected X, got Y", or undefined.
 */
export function mismatch(actual: unknown, expected: unknown, path = ''): string | undefined {
  if (expected === null || typeof expected !== 'object') {
    return actual === expected
      ? undefined
      : `${path || '.'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length)
      return `${path}: expected a list of ${expected.length}, got ${JSON.stringify(actual)?.slice(0, 300)}`;
    for (let i = 0; i < expected.length; i++) {
      const m = mismatch(actual[i], expected[i], `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual))
    return `${path}: expected an object, got ${JSON.stringify(actual)?.slice(0, 300)}`;
  for (const [k, v] of Object.entries(expected)) {
    const filter = /^([A-Za-z0-9_]+)\[([A-Za-z0-9_]+)=([^\]]+)\]$/.exec(k);
    if (filter) {
      const list = (actual as Record<string, unknown>)[filter[1]!];
      const picked = Array.isArray(list)
        ? list.filter((x) => (x as Record<string, unknown>)?.[filter[2]!] === filter[3])
        : list;
      const m = mismatch(picked, v, `${path}.${k}`);
      if (m) return m;
      continue;
    }
    const m = mismatch((actual as Record<string, unknown>)[k], v, path ? `${path}.${k}` : k);
    if (m) return m;
  }
  return undefined;
}

export async function until<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string | (() => string),
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end)
      throw new Error(
        `timed out after ${timeoutMs / 1000} s waiting for ${typeof what === 'string' ? what : what()}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls until the object matches the expected subset; fails with the last mismatch. */
export async function assertDoc(
  client: KubeClient,
  expected: KubeObject,
  ns: string,
  timeoutMs = 30_000,
): Promise<KubeObject> {
  let last = 'not found';
  return until(
    async () => {
      const actual = await getDoc(client, expected, ns);
      if (!actual) return undefined;
      const m = mismatch(actual, expected);
      if (m) last = m;
      return m ? undefined : actual;
    },
    () => `${expected.kind} ${expected.metadata.name} to match: ${last}`,
    timeoutMs,
  );
}
