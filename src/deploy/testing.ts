/**
 * Test helpers (used by *.test.ts only): what the kubelet does with a Job `kubeperf deploy`
 * applied, done locally — the pod's ConfigMap and Secret volumes projected into folders, the
 * service account's token, CA and namespace written where `--kubeconfig in-cluster` reads them,
 * KUBERNETES_SERVICE_HOST/PORT pointing at the cluster — then the container's own arguments run
 * (through the real CLI), `kubectl apply --dry-run=server` of rendered manifests, and reading them.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { kubectlDir } from '../cluster/kubectl-support.js';
import { runCli, type CliResult } from '../cli/test-support.js';
import type { KubeClient } from '../kube/client.js';
import type { TestCluster } from '../kube/testing.js';
import { sleep } from '../load/sleep.js';
import type { Manifest } from './manifests.js';

interface PodSpec {
  containers: {
    args: string[];
    env?: { name: string; value: string }[];
    volumeMounts?: { name: string; mountPath: string }[];
  }[];
  volumes?: {
    name: string;
    configMap?: { name: string; items?: { key: string; path: string }[] };
    secret?: { secretName: string };
    emptyDir?: object;
  }[];
}

export interface LocalPod {
  result: CliResult;
  pod: PodSpec;
  /** Where the pod's mount paths are on this machine. */
  mounts: Record<string, string>;
  env: Record<string, string>;
}

async function getJson<T>(client: KubeClient, path: string): Promise<T | undefined> {
  const r = await client.rest.request({ method: 'GET', path });
  return r.status === 200 ? (JSON.parse(r.body) as T) : undefined;
}

/** Runs Job `namespace/name` of `cluster` (waiting up to a minute for it to exist) as its pod would. */
export async function runJobLocally(o: {
  cluster: TestCluster;
  client: KubeClient;
  namespace: string;
  name: string;
  dir: string;
  timeoutMs?: number;
  /** Called just before the container starts (its volumes are in place). */
  beforeRun?: () => Promise<void>;
}): Promise<LocalPod> {
  const ns = `/api/v1/namespaces/${o.namespace}`;
  let job: { spec: { template: { spec: PodSpec } } } | undefined;
  for (let i = 0; i < 600 && !job; i++) {
    job = await getJson(o.client, `/apis/batch/v1/namespaces/${o.namespace}/jobs/${o.name}`);
    if (!job) await sleep(100);
  }
  if (!job) throw new Error(`Job ${o.namespace}/${o.name} did not appear`);
  const pod = job.spec.template.spec;
  const container = pod.containers[0]!;

  // Volumes, as the kubelet projects them.
  const local = new Map<string, string>();
  for (const v of pod.volumes ?? []) {
    const at = join(o.dir, 'volumes', v.name);
    mkdirSync(at, { recursive: true });
    local.set(v.name, at);
    if (v.configMap) {
      const cm = await getJson<{ data?: Record<string, string> }>(
        o.client,
        `${ns}/configmaps/${v.configMap.name}`,
      );
      if (!cm) throw new Error(`ConfigMap ${v.configMap.name} of volume ${v.name} does not exist`);
      const items = v.configMap.items ?? Object.keys(cm.data ?? {}).map((key) => ({ key, path: key }));
      for (const it of items) {
        mkdirSync(dirname(join(at, it.path)), { recursive: true });
        writeFileSync(join(at, it.path), cm.data![it.key]!);
      }
    }
    if (v.secret) {
      const s = await getJson<{ data?: Record<string, string> }>(
        o.client,
        `${ns}/secrets/${v.secret.secretName}`,
      );
      if (!s) throw new Error(`Secret ${v.secret.secretName} of volume ${v.name} does not exist`);
      for (const [k, b64] of Object.entries(s.data ?? {}))
        writeFileSync(join(at, k), Buffer.from(b64, 'base64'));
    }
  }
  const mounts: Record<string, string> = {};
  for (const m of container.volumeMounts ?? []) mounts[m.mountPath] = local.get(m.name)!;
  const paths = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const args = container.args.map((a) => {
    const m = paths.find((p) => a === p || a.startsWith(`${p}/`));
    return m ? mounts[m] + a.slice(m.length) : a;
  });

  // The service account, as the kubelet mounts it.
  const sa = join(o.dir, 'sa');
  const saDir = join(sa, 'var/run/secrets/kubernetes.io/serviceaccount');
  mkdirSync(saDir, { recursive: true });
  writeFileSync(join(saDir, 'token'), o.cluster.token);
  writeFileSync(join(saDir, 'namespace'), o.namespace);
  const kubeconfig = parseYaml(readFileSync(o.cluster.target.kubeconfigPath!, 'utf8')) as {
    clusters: { cluster: Record<string, string> }[];
  };
  writeFileSync(
    join(saDir, 'ca.crt'),
    Buffer.from(kubeconfig.clusters[0]!.cluster['certificate-authority-data']!, 'base64'),
  );
  const url = new URL(o.cluster.target.server);
  const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
  await o.beforeRun?.();
  const result = await runCli(args, {
    env: {
      ...env,
      KUBECONFIG: '',
      KUBERNETES_SERVICE_HOST: url.hostname,
      KUBERNETES_SERVICE_PORT: url.port,
      KUBEPERF_SERVICEACCOUNT_ROOT: sa,
    },
    timeoutMs: o.timeoutMs ?? 240_000,
  });
  return { result, pod, mounts, env };
}

/** `kubectl.1.28 apply --dry-run=server -f FILE` against a cluster: its stdout, or a thrown stderr. */
export async function kubectlApplyDryRun(cluster: TestCluster, file: string): Promise<string> {
  const r = await promisify(execFile)(join(kubectlDir(), 'kubectl.1.28'), [
    '--kubeconfig',
    cluster.target.kubeconfigPath!,
    'apply',
    '--dry-run=server',
    '-f',
    file,
  ]).catch((e: { stderr: string }) => {
    throw new Error(`kubectl apply --dry-run=server -f ${file}: ${e.stderr}`);
  });
  return r.stdout;
}

/** The manifests of a multi-document YAML (what `deploy --dry-run` prints). */
export const parseManifests = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJS() as Manifest);

/** The first manifest of this kind (undefined when none is), its fields open to the test. */
export const ofKind = (list: Manifest[], kind: string) =>
  list.find((m) => m.kind === kind) as Manifest & Record<string, any>;
