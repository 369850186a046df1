/**
 * Installs the Gateway API CRDs a target lacks (crds.ts) and waits until discovery serves every kind.
 * A CRD that exists is used as it is and never changed, whoever installed it; the ones installed here
 * carry the labels the caller gives (a study's run labels, so the run's cleanup removes them).
 */
import { KubeperfError } from '../core/errors.js';
import type { KubeClient } from '../kube/client.js';
import { crdMapping, UnknownKindError } from '../kube/discovery.js';
import { describeResponse } from '../kube/response.js';
import { sleep } from '../load/sleep.js';
import { gatewayApiCrds } from './crds.js';
import { gatewayClassMapping, gatewayMapping, httpRouteMapping, referenceGrantMapping } from './resources.js';

export interface CrdInstall {
  /** CRD names created by this call. */
  installed: string[];
  /** CRD names that were already there (left untouched). */
  existing: string[];
}

export async function ensureGatewayApiCrds(
  client: KubeClient,
  o: { labels?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CrdInstall> {
  const out: CrdInstall = { installed: [], existing: [] };
  for (const crd of gatewayApiCrds) {
    const name = crd.metadata.name!;
    const got = await client.get(crdMapping, undefined, name, 'setup');
    if (got?.status === 200) {
      out.existing.push(name);
      continue;
    }
    const body = structuredClone(crd);
    if (o.labels) body.metadata.labels = { ...o.labels };
    const r = await client.create(crdMapping, undefined, JSON.stringify(body), 'setup');
    if (r?.status === 409) out.existing.push(name);
    else if (r && r.status >= 200 && r.status < 300) out.installed.push(name);
    else
      throw new KubeperfError(
        `cannot install CRD ${name}: ${r ? describeResponse(r) : 'connection failed'}`,
        {
          hint: 'install the Gateway API CRDs yourself (standard-install.yaml) or use credentials that may create CRDs',
        },
      );
  }
  if (out.installed.length) await waitServed(client, o.timeoutMs ?? 30_000);
  return out;
}

/** Discovery serves a CRD's kind once it is Established. */
async function waitServed(client: KubeClient, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (const m of [gatewayClassMapping, gatewayMapping, httpRouteMapping, referenceGrantMapping]) {
    for (;;) {
      try {
        await client.mapper.resolve(`${m.group}/${m.version}`, m.kind);
        break;
      } catch (e) {
        if (!(e instanceof UnknownKindError) || performance.now() > deadline)
          throw new KubeperfError(
            `the Gateway API CRDs were installed but ${m.kind} is not served after ${timeoutMs / 1000} s`,
          );
        client.mapper.invalidate();
        await sleep(50);
      }
    }
  }
}
