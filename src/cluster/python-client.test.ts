/**
 * Acceptance: Debian's python3-kubernetes (installed by scripts/test-deps.sh) watches the embedded
 * control plane. Its Watch sends `?watch=True`, which kube-apiserver streams (any value but "0"
 * and "false" is true); the server used to answer it with a plain list.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../kube/testing.js';

const run = promisify(execFile);

const script = `
import json, sys
from kubernetes import client, config, watch
config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()
v1.create_namespaced_config_map('default', {'metadata': {'name': 'py-a'}, 'data': {'k': 'v'}})
w = watch.Watch()
seen = []
for ev in w.stream(v1.list_namespaced_config_map, 'default', timeout_seconds=20):
    seen.append([ev['type'], ev['object'].metadata.name])
    if len(seen) == 1:
        # Created while the watch is open: it arrives only if the response really streams.
        v1.create_namespaced_config_map('default', {'metadata': {'name': 'py-b'}, 'data': {'k': 'v'}})
    if ev['object'].metadata.name == 'py-b':
        w.stop()
print(json.dumps(seen))
`;

let c: TestCluster;
let dir: string;
beforeAll(async () => {
  c = await startTestCluster();
  dir = await mkdtemp(join(tmpdir(), 'kubeperf-py-'));
  await writeFile(join(dir, 'watch.py'), script);
});
afterAll(async () => {
  await c?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("Debian's python3-kubernetes", () => {
  it('Watch().stream(list_namespaced_config_map) gets the existing object and a live one', async () => {
    const r = await run('/usr/bin/python3', [join(dir, 'watch.py'), c.target.kubeconfigPath!], {
      timeout: 60_000,
    });
    expect(JSON.parse(r.stdout)).toEqual([
      ['ADDED', 'py-a'],
      ['ADDED', 'py-b'],
    ]);
  }, 90_000);
});
