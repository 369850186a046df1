/**
 * Acceptance: the kubectl binaries of the machine (1.28 and 1.33) against a started cluster over
 * TLS (kubectl never sends a bearer token over plain HTTP).
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClusterServer, type ClusterServer } from './server.js';
import { kubectlFor, type Kubectl } from './kubectl-support.js';

const versions = ['1.28', '1.33'];

describe.each(versions)('kubectl %s', (version) => {
  let server: ClusterServer;
  let kubectl: Kubectl;
  let dir: string;
  const k = (...args: string[]): Promise<string> => kubectl.out(...args);

  beforeAll(async () => {
    server = await startClusterServer({ tls: true });
    kubectl = await kubectlFor(version, server);
    dir = kubectl.dir;
  });
  afterAll(async () => {
    await server?.close();
    await kubectl?.cleanup();
  });

  it('get ns, create configmap, apply twice, get -l -o json, delete', async () => {
    expect(await k('get', 'ns')).toMatch(/NAME\s+STATUS\s+AGE\n(.*\n)*default\s+Active\s+\d+s/);
    expect(await k('create', 'configmap', 'made', '--from-literal=a=b')).toMatch(/configmap\/made created/);
    // kubectl 1.33 sends this create as protobuf: the decoded object must be intact.
    const made = JSON.parse(await k('get', 'cm', 'made', '-o', 'json', '--show-managed-fields'));
    expect([made.metadata.name, made.data]).toEqual(['made', { a: 'b' }]);
    expect(made.metadata.managedFields[0].manager).toBe('kubectl-create');
    const file = join(dir, 'cm.yaml');
    await writeFile(
      file,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  labels: {app: x}\ndata: {a: "1"}\n',
    );
    expect(await k('apply', '-f', file)).toMatch(/configmap\/applied created/);
    await writeFile(
      file,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  labels: {app: x}\ndata: {a: "2", b: "3"}\n',
    );
    expect(await k('apply', '-f', file)).toMatch(/configmap\/applied configured/);
    const list = JSON.parse(await k('get', 'cm', '-l', 'app=x', '-o', 'json'));
    expect(list.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['applied']);
    expect(list.items[0].data).toEqual({ a: '2', b: '3' });
    expect(await k('apply', '--server-side', '-f', file)).toMatch(/serverside-applied/);
    expect(await k('delete', 'configmap', 'applied')).toMatch(/"applied" deleted/);
    await expect(k('get', 'cm', 'applied')).rejects.toThrow(/NotFound|not found/);
  });

  it('create deployment / secret / namespace (protobuf bodies in 1.33) and table output', async () => {
    expect(await k('create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2', '--port=80')).toMatch(
      /deployment.apps\/web created/,
    );
    const d = JSON.parse(await k('get', 'deploy', 'web', '-o', 'json'));
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0]).toMatchObject({
      name: 'nginx',
      image: 'nginx:1.25',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });
    expect(d.spec.template.spec.containers[0].workingDir).toBeUndefined();
    expect(await k('create', 'secret', 'generic', 's1', '--from-literal=a=b')).toMatch(/secret\/s1 created/);
    expect(JSON.parse(await k('get', 'secret', 's1', '-o', 'json')).data).toEqual({ a: 'Yg==' });
    expect(await k('create', 'namespace', 'made-ns')).toMatch(/namespace\/made-ns created/);
    expect(await k('get', 'deploy')).toMatch(/NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+0\/2/);
  });

  it('auth can-i and auth whoami answer (self-review APIs), also with --as', async () => {
    expect(await k('auth', 'can-i', 'create', 'deployments')).toBe('yes\n');
    expect(await k('auth', 'can-i', 'list', 'configmaps', '-n', 'kube-system')).toBe('yes\n');
    await expect(k('auth', 'can-i', 'list', 'pods', '--as', 'someone')).rejects.toMatchObject({
      stdout: 'no\n',
    });
    expect(await k('auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}')).toBe('kubeperf-admin');
    expect(await k('auth', 'whoami', '--as', 'jane', '-o', 'jsonpath={.status.userInfo.username}')).toBe(
      'jane',
    );
    expect(await k('auth', 'can-i', '--list')).toMatch(/\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
  });

  it('get --watch sees a change', async () => {
    await k('create', 'configmap', 'watched', '--from-literal=a=1');
    const child = spawn(
      kubectl.bin,
      kubectl.args('get', 'cm', 'watched', '--watch', '-o', 'jsonpath={.data.a}{"\\n"}'),
    );
    try {
      const seen: string[] = [];
      let buf = '';
      const got = (v: string) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`timed out waiting for ${v}; saw ${JSON.stringify(seen)}`)),
            15_000,
          );
          const check = () => {
            if (seen.includes(v)) {
              clearTimeout(timer);
              resolve();
            }
          };
          child.stdout.on('data', check);
          check();
        });
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split('\n');
        buf = lines.pop()!;
        seen.push(...lines.filter(Boolean));
      });
      await got('1');
      await k('patch', 'configmap', 'watched', '--type=merge', '-p', '{"data":{"a":"2"}}');
      await got('2');
    } finally {
      child.kill();
    }
  });

  it('applies a CRD, waits for Established, serves custom objects by plural and short name, patches status', async () => {
    const crd = join(dir, 'crd.yaml');
    await writeFile(
      crd,
      `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
    - name: v1
      served: true
      storage: true
      subresources: {status: {}}
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                replicas: {type: integer, minimum: 0}
                maxReplicas: {type: integer, default: 10}
            status:
              type: object
              properties:
                phase: {type: string}
`,
    );
    expect(await k('apply', '-f', crd)).toMatch(
      /customresourcedefinition.apiextensions.k8s.io\/widgets.example.com created/,
    );
    expect(
      await k('wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=20s'),
    ).toMatch(/condition met/);
    const w = join(dir, 'w.yaml');
    await writeFile(
      w,
      'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  replicas: 2\n',
    );
    expect(await k('apply', '-f', w)).toMatch(/widget.example.com\/w1 created/);
    const byPlural = JSON.parse(await k('get', 'widgets', 'w1', '-o', 'json'));
    expect(byPlural.spec).toEqual({ replicas: 2, maxReplicas: 10 });
    expect(await k('get', 'wd')).toMatch(/NAME\s+AGE\nw1\s+\d+s/);
    expect(
      await k(
        'patch',
        'wd',
        'w1',
        '--subresource=status',
        '--type=merge',
        '-p',
        '{"status":{"phase":"Ready"}}',
      ),
    ).toMatch(/patched/);
    const after = JSON.parse(await k('get', 'widget', 'w1', '-o', 'json'));
    expect(after.status).toEqual({ phase: 'Ready' });
    expect(after.metadata.generation).toBe(1);
  });
});
