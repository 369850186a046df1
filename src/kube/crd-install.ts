/**
 * Installs the CRDs a target lacks and waits until discovery serves their kinds. A CRD that exists is
 * used as it is and never changed, whoever installed it; the ones installed here carry the labels the
 * caller gives (a study's run labels, so the run's cleanup removes them).
 */
import { KubeperfError } from '../core/errors.js';
import { sleep } from '../load/sleep.js';
import type { KubeClient, KubeObject } from './client.js';
import { crdMapping, UnknownKindError, type ResourceMapping } from './discovery.js';
import { describeResponse } from './response.js';

export interface CrdInstall {
  /** CRD names created by this call. */
  installed: string[];
  /** CRD names that were already there (left untouched). */
  existing: string[];
}

/** Creates each CRD that does not exist; `hint` says what to do when one cannot be created. */
export async function installCrds(
  client: KubeClient,
  crds: readonly KubeObject[],
  o: { labels?: Record<string, string>; hint: string },
): Promise<CrdInstall> {
  const out: CrdInstall = { installed: [], existing: [] };
  for (const crd of crds) {
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
          hint: o.hint,
        },
      );
  }
  return out;
}

/** Waits until discovery serves each kind (a new CRD's kind appears once it is Established). */
export async function waitServed(
  client: KubeClient,
  kinds: readonly ResourceMapping[],
  o: { timeoutMs?: number; what: string },
): Promise<void> {
  const timeoutMs = o.timeoutMs ?? 30_000;
  const deadline = performance.now() + timeoutMs;
  for (const m of kinds) {
    for (;;) {
      try {
        await client.mapper.resolve(`${m.group}/${m.version}`, m.kind);
        break;
      } catch (e) {
        if (!(e instanceof UnknownKindError)) throw e;
        if (performance.now() > deadline)
          throw new KubeperfError(`${o.what} but ${m.kind} is not served after ${timeoutMs / 1000} s`);
        client.mapper.invalidate();
        await sleep(50);
      }
    }
  }
}
