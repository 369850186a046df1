/**
 * Writes a kubeconfig for the embedded cluster: one cluster, one bearer-token user, one context.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export const embeddedContextName = 'kubeperf-embedded';

export function kubeconfigYaml(opts: {
  server: string;
  token: string;
  caPem?: string;
  name?: string;
}): string {
  const name = opts.name ?? embeddedContextName;
  const cluster: Record<string, unknown> = { server: opts.server };
  if (opts.caPem) cluster['certificate-authority-data'] = Buffer.from(opts.caPem).toString('base64');
  // @kubernetes/client-node refuses http:// servers unless this is set (there is no TLS to verify).
  else if (opts.server.startsWith('http://')) cluster['insecure-skip-tls-verify'] = true;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name, user: { token: opts.token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

export async function writeKubeconfig(
  path: string,
  opts: { server: string; token: string; caPem?: string },
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, kubeconfigYaml(opts), { mode: 0o600 });
}
