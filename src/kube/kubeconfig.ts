/**
 * Loading a kubeconfig the way the user named it, and nothing else: an explicit file (`--kubeconfig`
 * or `target.kubeconfig`), or KUBECONFIG/~/.kube/config only together with an explicit `--context`.
 * `in-cluster` loads the pod's service account. Every mistake is an InputError naming what to fix.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { InputError } from '../core/errors.js';

export const IN_CLUSTER = 'in-cluster';

export interface KubeconfigSelection {
  kubeconfig?: string;
  context?: string;
}

/** The file a selection refers to ('in-cluster' for the service account). */
export function kubeconfigPathFor(sel: KubeconfigSelection): string {
  if (sel.kubeconfig) return sel.kubeconfig === IN_CLUSTER ? IN_CLUSTER : resolve(sel.kubeconfig);
  if (!sel.context) {
    throw new InputError('no kubeconfig target was given', {
      hint: 'pass --kubeconfig FILE (and optionally --context NAME), or omit both to use the embedded control plane',
    });
  }
  const env = process.env.KUBECONFIG?.split(':').filter(Boolean)[0];
  return resolve(env ?? resolve(homedir(), '.kube', 'config'));
}

export function loadKubeConfig(sel: KubeconfigSelection): { kc: KubeConfig; path: string } {
  const path = kubeconfigPathFor(sel);
  const kc = new KubeConfig();
  if (path === IN_CLUSTER) {
    if (!process.env.KUBERNETES_SERVICE_HOST) {
      throw new InputError('--kubeconfig in-cluster was given but this process is not running in a pod', {
        hint: 'KUBERNETES_SERVICE_HOST is not set; pass a kubeconfig file instead',
      });
    }
    // KUBEPERF_SERVICEACCOUNT_ROOT prefixes the service-account paths (token, ca.crt), so the
    // in-cluster code path runs outside a pod too (tests; debugging a Job's command locally).
    kc.loadFromCluster(process.env.KUBEPERF_SERVICEACCOUNT_ROOT ?? '');
    return { kc, path };
  }
  if (!existsSync(path)) {
    throw new InputError(`kubeconfig file ${path} does not exist`, {
      hint: sel.kubeconfig ? 'check the --kubeconfig path' : 'set KUBECONFIG or pass --kubeconfig FILE',
    });
  }
  try {
    kc.loadFromFile(path);
  } catch (e) {
    throw new InputError(`${path}: not a valid kubeconfig: ${(e as Error).message}`, {
      hint: 'check the file with `kubectl --kubeconfig FILE config view`',
      cause: e,
    });
  }
  if (sel.context) {
    const names = kc.getContexts().map((c) => c.name);
    if (!names.includes(sel.context)) {
      throw new InputError(`${path}: context "${sel.context}" does not exist`, {
        hint: names.length ? `contexts in this file: ${names.join(', ')}` : 'the file has no contexts',
      });
    }
    kc.setCurrentContext(sel.context);
  } else if (!kc.getCurrentContext()) {
    throw new InputError(`${path}: the kubeconfig has no current-context`, { hint: 'pass --context NAME' });
  }
  if (!kc.getCurrentCluster()) {
    throw new InputError(
      `${path}: context "${kc.getCurrentContext()}" names a cluster that is not in the file`,
      {
        hint: "fix the context's cluster entry",
      },
    );
  }
  return { kc, path };
}
