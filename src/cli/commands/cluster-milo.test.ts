/**
 * `kubeperf cluster start --milo` as a user meets it: kubectl (1.33) with an organization- and a
 * project-scoped server URL, and Debian's python3-kubernetes doing what Milo's runner does (a
 * kubeconfig whose server gets the scope's path appended).
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlBinary } from '../../cluster/kubectl-support.js';
import { spawnCli } from '../test-support.js';

const run = promisify(execFile);
const G = '/apis/resourcemanager.miloapis.com/v1alpha1';

describe('kubeperf cluster start --milo', () => {
  let child: ChildProcess;
  let dir: string;
  let kubeconfig: string;
  let server: string;
  const kubectl = async (...args: string[]) => {
    try {
      const r = await run(kubectlBinary('1.33'), [
        '--kubeconfig',
        kubeconfig,
        '--cache-dir',
        join(dir, 'cache'),
        ...args,
      ]);
      return { code: 0, out: r.stdout, err: r.stderr };
    } catch (e) {
      const x = e as { code?: number; stdout?: string; stderr?: string };
      return { code: x.code ?? 1, out: x.stdout ?? '', err: x.stderr ?? '' };
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubeperf-milo-cli-'));
    kubeconfig = join(dir, 'kubeconfig');
    child = spawnCli(['cluster', 'start', '--milo', '--tls', '--kubeconfig-out', kubeconfig]);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`cluster start --milo did not come up: ${out}`)), 60_000);
      child.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('project controller pid')) {
          clearTimeout(t);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    server = /server:\s+(\S+)/.exec(out)![1]!;
  }, 90_000);
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('serves organizations and projects to kubectl, through the scoped server URLs, with projects made Ready', async () => {
    await writeFile(
      join(dir, 'org.yaml'),
      'apiVersion: resourcemanager.miloapis.com/v1alpha1\nkind: Organization\nmetadata: {name: acme}\nspec: {type: Standard}\n',
    );
    await writeFile(
      join(dir, 'project.yaml'),
      'apiVersion: resourcemanager.miloapis.com/v1alpha1\nkind: Project\nmetadata: {name: acme-p-001}\nspec: {ownerRef: {kind: Organization, name: acme}}\n',
    );
    expect((await kubectl('create', '-f', join(dir, 'org.yaml'))).code).toBe(0);
    const orgServer = `${server}${G}/organizations/acme/control-plane`;
    const made = await kubectl('--server', orgServer, 'create', '-f', join(dir, 'project.yaml'));
    expect(made.code, made.err).toBe(0);
    const wait = await kubectl('wait', '--for=condition=Ready', 'project/acme-p-001', '--timeout=30s');
    expect(wait.code, wait.err).toBe(0);
    const table = await kubectl('get', 'projects');
    expect(table.out).toMatch(/NAME\s+READY\s+AGE\s*\nacme-p-001\s+True/);

    const projectServer = `${server}${G}/projects/acme-p-001/control-plane`;
    expect(
      (await kubectl('--server', projectServer, 'create', 'configmap', 'a', '--from-literal=k=v')).code,
    ).toBe(0);
    expect((await kubectl('--server', projectServer, 'get', 'configmaps', '-o', 'name')).out).toContain(
      'configmap/a',
    );
    const root = await kubectl('get', 'configmap', 'a', '-n', 'default');
    expect(root.code).not.toBe(0);
    expect(root.err).toContain('configmaps "a" not found');
    const missing = await kubectl(
      '--server',
      `${server}${G}/projects/nope/control-plane`,
      'get',
      'namespaces',
    );
    expect(missing.code).not.toBe(0);
  });

  it('works with python3-kubernetes the way Milo’s runner builds its scoped clients', async () => {
    const script = `
import json, sys
from kubernetes import client, config
cfg = client.Configuration()
config.load_kube_config(config_file=sys.argv[1], client_configuration=cfg)
def scoped(path):
    c = client.Configuration()
    config.load_kube_config(config_file=sys.argv[1], client_configuration=c)
    c.host = c.host.rstrip('/') + path
    return client.ApiClient(c)
g = "/apis/resourcemanager.miloapis.com/v1alpha1"
co = client.CustomObjectsApi(client.ApiClient(cfg))
org = client.CustomObjectsApi(scoped(g + "/organizations/acme/control-plane"))
org.create_cluster_custom_object("resourcemanager.miloapis.com", "v1alpha1", "projects",
    {"apiVersion": "resourcemanager.miloapis.com/v1alpha1", "kind": "Project",
     "metadata": {"name": "acme-p-002", "labels": {"app": "milo-perf"}},
     "spec": {"ownerRef": {"kind": "Organization", "name": "acme"}}})
import time
for _ in range(300):
    p = org.get_cluster_custom_object("resourcemanager.miloapis.com", "v1alpha1", "projects", "acme-p-002")
    if any(c["type"] == "Ready" and c["status"] == "True" for c in p.get("status", {}).get("conditions", [])): break
    time.sleep(0.1)
v1 = client.CoreV1Api(scoped(g + "/projects/acme-p-002/control-plane"))
v1.create_namespaced_secret("default", client.V1Secret(metadata=client.V1ObjectMeta(name="perf-secret-001",
    labels={"app": "milo-perf"}), string_data={"note": "secret 1"}, type="Opaque"))
names = [s.metadata.name for s in v1.list_namespaced_secret("default", label_selector="app=milo-perf").items]
listed = co.list_cluster_custom_object("resourcemanager.miloapis.com", "v1alpha1", "projects", label_selector="app=milo-perf")
print(json.dumps({"ready": p["status"]["conditions"][0]["reason"], "secrets": names,
                  "projects": [i["metadata"]["name"] for i in listed["items"]]}))
`;
    const r = await run('/usr/bin/python3', ['-c', script, kubeconfig], { timeout: 60_000 });
    expect(JSON.parse(r.stdout)).toEqual({
      ready: 'Ready',
      secrets: ['perf-secret-001'],
      projects: ['acme-p-002'],
    });
  });
});
