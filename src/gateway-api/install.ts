/**
 * Installs the Gateway API CRDs a target lacks (crds.ts) and waits until discovery serves every kind
 * (kube/crd-install.ts: existing CRDs are never changed; the ones installed here carry the caller's
 * labels).
 */
import type { KubeClient } from '../kube/client.js';
import { installCrds, waitServed, type CrdInstall } from '../kube/crd-install.js';
import { gatewayApiCrds } from './crds.js';
import { gatewayClassMapping, gatewayMapping, httpRouteMapping, referenceGrantMapping } from './resources.js';

export async function ensureGatewayApiCrds(
  client: KubeClient,
  o: { labels?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CrdInstall> {
  const out = await installCrds(client, gatewayApiCrds, {
    labels: o.labels,
    hint: 'install the Gateway API CRDs yourself (standard-install.yaml) or use credentials that may create CRDs',
  });
  if (out.installed.length)
    await waitServed(client, [gatewayClassMapping, gatewayMapping, httpRouteMapping, referenceGrantMapping], {
      timeoutMs: o.timeoutMs,
      what: 'the Gateway API CRDs were installed',
    });
  return out;
}
