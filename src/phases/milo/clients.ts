/**
 * The two clusters of Milo's runner: the cluster the run targets (where its Job runs and the
 * `perf-results` ConfigMap lives, in NS) and Milo's API server (MILO_KUBECONFIG_PATH, or a kubeconfig
 * read from the Secret MILO_KUBECONFIG_SECRET_NAME/_KEY in NS). Without either, the target is Milo.
 * AUTH_BEARER_TOKEN replaces the Milo kubeconfig's credentials with that token, as the runner does.
 * One connection pool per cluster; the organization and project control planes are path views of it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { organizationScope, projectScope } from '../../controllers/project/api.js';
import { KubeClient } from '../../kube/client.js';
import { connect } from '../../kube/connect.js';
import { credentialsFromKubeConfig } from '../../kube/credentials.js';
import { loadKubeConfig } from '../../kube/kubeconfig.js';
import { RestClient } from '../../kube/rest.js';
import { describeResponse } from '../../kube/response.js';
import { fetchVersion } from '../../kube/target.js';
import type { Target } from '../types.js';
import type { MiloOptions } from './options.js';

export interface MiloApi {
  /** The root control plane (Organizations, listing Projects). */
  root: KubeClient;
  /** Milo as a Target (the run's, or its own kubeconfig), for scraping its /metrics/cadvisor. */
  target: Target;
  /** Whether Milo is the run's own target. */
  isRunTarget: boolean;
  /** The organization's control plane (create and delete its Projects). */
  org(name: string): KubeClient;
  /** A project's own control plane (namespaces, Secrets, ConfigMaps). */
  project(name: string): KubeClient;
  close(): Promise<void>;
}

const connections = 64;

function views(rest: RestClient, version: string) {
  return {
    org: (name: string) => new KubeClient(rest.withPathPrefix(organizationScope(name)), version),
    project: (name: string) => new KubeClient(rest.withPathPrefix(projectScope(name)), version),
  };
}

/** The run target's client (perf-results) — one connection is plenty. */
export function connectRunTarget(target: Target): Promise<KubeClient> {
  return connect(target, { connections: 4 });
}

async function kubeconfigFromSecret(results: KubeClient, o: MiloOptions): Promise<string> {
  const path = `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/secrets/${encodeURIComponent(o.miloKubeconfigSecretName)}`;
  const r = await results.rest.request({ method: 'GET', path });
  if (r.status !== 200) {
    throw new InputError(
      `MILO_KUBECONFIG_SECRET_NAME: cannot read Secret ${o.namespace}/${o.miloKubeconfigSecretName}: ${describeResponse(r)}`,
      { hint: 'create the Secret, or set MILO_KUBECONFIG_PATH to a kubeconfig file' },
    );
  }
  const data = (JSON.parse(r.body) as { data?: Record<string, string> }).data ?? {};
  const value = data[o.miloKubeconfigSecretKey];
  if (!value) {
    throw new InputError(
      `MILO_KUBECONFIG_SECRET_KEY: Secret ${o.namespace}/${o.miloKubeconfigSecretName} has no key "${o.miloKubeconfigSecretKey}"`,
      { hint: `its keys: ${Object.keys(data).join(', ') || 'none'}` },
    );
  }
  return Buffer.from(value, 'base64').toString('utf8');
}

export async function connectMilo(runTarget: Target, results: KubeClient, o: MiloOptions): Promise<MiloApi> {
  let tmp: string | undefined;
  let kubeconfig = o.miloKubeconfig || undefined;
  if (!kubeconfig && o.miloKubeconfigSecretName) {
    tmp = await mkdtemp(join(tmpdir(), 'kubeperf-milo-'));
    kubeconfig = join(tmp, 'milo-kubeconfig');
    await writeFile(kubeconfig, await kubeconfigFromSecret(results, o), { mode: 0o600 });
  }
  const selection = kubeconfig
    ? { kubeconfig }
    : runTarget.kubeconfigPath
      ? { kubeconfig: runTarget.kubeconfigPath, context: runTarget.context }
      : undefined;
  if (!selection) throw new InputError('the milo phase needs a Kubernetes target');
  const { kc, path } = loadKubeConfig(selection);
  const creds = await credentialsFromKubeConfig(kc);
  if (o.authBearerToken) {
    creds.headers = { ...creds.headers, authorization: `Bearer ${o.authBearerToken}` };
    creds.refresh = async () => {};
  }
  const rest = new RestClient(creds, { connections, userAgent: 'kubeperf-milo' });
  const version = kubeconfig
    ? await fetchVersion(rest, creds.server, kc.getCurrentContext())
    : runTarget.version;
  const target: Target = kubeconfig
    ? {
        kind: 'kubeconfig',
        server: creds.server,
        kubeconfigPath: path,
        context: kc.getCurrentContext(),
        version,
      }
    : runTarget;
  return {
    root: new KubeClient(rest, version),
    target,
    isRunTarget: !kubeconfig,
    ...views(rest, version),
    close: async () => {
      await rest.close();
      if (tmp) await rm(tmp, { recursive: true, force: true });
    },
  };
}
