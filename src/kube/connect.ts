/**
 * Build a KubeClient for a Target: credentials from its kubeconfig (the embedded control plane writes
 * one too), the fast REST pool, and a lazily filled REST mapping.
 */
import { KubeperfError } from '../core/errors.js';
import type { Target } from '../phases/types.js';
import { KubeClient } from './client.js';
import { credentialsFromKubeConfig, credentialsFromToken } from './credentials.js';
import { loadKubeConfig } from './kubeconfig.js';
import { RestClient } from './rest.js';

export async function connect(
  target: Target,
  opts: { connections?: number; allowH2?: boolean; userAgent?: string } = {},
): Promise<KubeClient> {
  if (target.kind === 'none') throw new KubeperfError('this run has no Kubernetes target to connect to');
  const creds = target.kubeconfigPath
    ? await credentialsFromKubeConfig(
        loadKubeConfig({ kubeconfig: target.kubeconfigPath, context: target.context }).kc,
      )
    : credentialsFromToken(target.server);
  const rest = new RestClient(creds, {
    connections: opts.connections,
    allowH2: opts.allowH2,
    userAgent: opts.userAgent,
  });
  return new KubeClient(rest, target.version);
}
