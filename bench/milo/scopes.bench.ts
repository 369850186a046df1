/**
 * What a path-scoped control plane costs the embedded API server (Milo's project control planes):
 * heap per project scope holding its `default` namespace, and server+client CPU per ConfigMap create
 * through a project's scope against the same creates at the root (a ratio within one run, so the
 * machine's load cancels out). In-process server, HTTP over loopback.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startClusterServer } from '../../src/cluster/server.js';
import { finish } from '../client/util.js';

const SCOPES = 500;
const CREATES = 3000;
const G = '/apis/resourcemanager.miloapis.com/v1alpha1';
// A forced collection around the heap measurement (scripts/bench.mjs does not pass --expose-gc).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const s = await startClusterServer({ milo: true });
const headers = { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' };
const post = async (path: string, body: unknown) => {
  const r = await fetch(s.url + path, { method: 'POST', headers, body: JSON.stringify(body) });
  await r.arrayBuffer();
  if (r.status >= 300) throw new Error(`${path}: ${r.status}`);
};
const project = (i: number) => `p-${i}`;
const scope = (p: string) => `${G}/projects/${p}/control-plane`;

await post(`${G}/organizations`, {
  apiVersion: 'resourcemanager.miloapis.com/v1alpha1',
  kind: 'Organization',
  metadata: { name: 'acme' },
  spec: { type: 'Standard' },
});
for (let i = 0; i < SCOPES; i++)
  await post(`${G}/organizations/acme/control-plane${G}/projects`, {
    apiVersion: 'resourcemanager.miloapis.com/v1alpha1',
    kind: 'Project',
    metadata: { name: project(i) },
    spec: {},
  });
gc();
const heap0 = process.memoryUsage().heapUsed;
for (let i = 0; i < SCOPES; i++)
  await post(`${scope(project(i))}/api/v1/namespaces`, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'default' },
  });
gc();
const perScopeKb = (process.memoryUsage().heapUsed - heap0) / SCOPES / 1024;

async function creates(prefix: (i: number) => string, tag: string): Promise<number> {
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < CREATES; i += 16) {
    await Promise.all(
      Array.from({ length: 16 }, (_, j) =>
        post(`${prefix(i + j)}/api/v1/namespaces/default/configmaps`, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `${tag}-${i + j}` },
          data: { k: 'v' },
        }),
      ),
    );
  }
  const c = process.cpuUsage(cpu0);
  return (c.user + c.system) / CREATES;
}
// Warm up both paths, then measure root and scoped alternately.
await creates(() => '', 'warm');
await creates((i) => scope(project(i % SCOPES)), 'warm');
const root = await creates(() => '', 'root');
const scoped = await creates((i) => scope(project(i % SCOPES)), 'scoped');
await s.close();

const { loadavg } = await import('node:os');
const results = [
  {
    name: 'heapPerProjectScope',
    value: Math.round(perScopeKb * 10) / 10,
    unit: 'KB',
    target: '≤ 50 KB',
    pass: perScopeKb <= 50,
  },
  { name: 'cpuPerCreateRoot', value: Math.round(root), unit: 'µs' },
  { name: 'cpuPerCreateScoped', value: Math.round(scoped), unit: 'µs' },
  {
    name: 'scopedOverRoot',
    value: Math.round((scoped / root) * 100) / 100,
    unit: '×',
    target: '≤ 1.2',
    pass: scoped / root <= 1.2,
  },
];
finish(
  'milo/scopes',
  results,
  `${SCOPES} project scopes, ${CREATES} creates each way, 16 in flight, in-process server (CPU of server and client); load average ${loadavg()[0]!.toFixed(1)}`,
);
