/**
 * kro's own end-to-end cases (fixtures adapted in testdata/e2e, see its README) against the embedded
 * control plane with the simulated kro controller, one controller for all cases as on a cluster.
 * Each case runs its steps.yaml: apply, assert (the RGD status, the instance CRD, the instance status
 * and every child kro creates), absent, reject, delete.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../kube/client.js';
import { UnknownKindError } from '../../kube/discovery.js';
import { applyDoc, assertDoc, getDoc, readDoc, startKroEnv, until, type KroEnv } from './test-support.js';

const DIR = fileURLToPath(new URL('./testdata/e2e', import.meta.url));
const cases = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

type Step =
  | { apply: string }
  | { assert: string }
  | { absent: string }
  | { reject: string }
  | { delete: string }
  | { sleep: string };

interface Steps {
  requires?: { apiVersion: string; kind: string };
  steps: Step[];
}

let env: KroEnv;
beforeAll(async () => {
  env = await startKroEnv();
}, 90_000);
afterAll(async () => {
  await env?.stop();
});

/** Extra checks on children whose names kro's asserts cannot spell out. */
const childChecks: Record<string, (ns: string) => Promise<void>> = {
  'cel-random-namespaced-function': async () => {
    const inst = (await getDoc(
      env.client,
      readDoc(join(DIR, 'cel-random-namespaced-function/instance.yaml')),
      ns('cel-random-namespaced-function'),
    ))!;
    const cm = await env.client.mapper.resolve('v1', 'ConfigMap');
    const { items } = await env.client.listAll(cm, 'default', {
      labelSelector: 'kro.run/instance-name=random-fn-app',
    });
    expect(items).toHaveLength(1);
    expect(items[0]!.metadata.name).toMatch(/^[a-z0-9]{10}$/);
    expect((items[0] as KubeObject & { data: Record<string, string> }).data.uid).toBe(inst.metadata.uid);
    expect(items[0]!.metadata.labels).toMatchObject({
      'kro.run/node-id': 'cm',
      'kro.run/instance-id': inst.metadata.uid,
      'kro.run/owned': 'true',
    });
  },
};

const ns = (c: string) => `e2e-${c}`.slice(0, 60);

describe('kro e2e cases with the simulated controller', () => {
  for (const c of cases) {
    it(
      c,
      async () => {
        const plan = parse(readFileSync(join(DIR, c, 'steps.yaml'), 'utf8')) as Steps;
        if (plan.requires) {
          const served = await env.client.mapper
            .resolve(plan.requires.apiVersion, plan.requires.kind)
            .then(() => true)
            .catch((e) => (e instanceof UnknownKindError ? false : Promise.reject(e)));
          if (!served) {
            // Until the embedded control plane serves the kind: kro's answer to such an RGD.
            const rgd = readDoc(join(DIR, c, 'rgd.yaml'));
            expect((await applyDoc(env.client, rgd, ns(c))).status).toBeLessThan(300);
            await assertDoc(
              env.client,
              {
                apiVersion: rgd.apiVersion,
                kind: rgd.kind,
                metadata: { name: rgd.metadata.name },
                status: {
                  state: 'Inactive',
                  'conditions[type=GraphAccepted]': [{ status: 'False', reason: 'InvalidResourceGraph' }],
                },
              } as unknown as KubeObject,
              ns(c),
            );
            const got = await getDoc(env.client, rgd, ns(c));
            const accepted = (
              got!.status as { conditions: { type: string; message: string }[] }
            ).conditions.find((x) => x.type === 'GraphAccepted')!;
            expect(accepted.message).toContain(`Kind=${plan.requires.kind}": schema not found`);
            return;
          }
        }
        for (const step of plan.steps) {
          const [verb, arg] = Object.entries(step)[0] as [string, string];
          if (verb === 'sleep') {
            await new Promise((r) => setTimeout(r, Number.parseFloat(arg) * 1000));
            continue;
          }
          const doc = readDoc(join(DIR, c, arg));
          const where = `${c}: ${verb} ${arg}`;
          if (verb === 'apply') {
            const r = await applyDoc(env.client, doc, ns(c));
            expect(r.status, `${where}: ${r.body.slice(0, 300)}`).toBeLessThan(300);
          } else if (verb === 'assert') {
            await assertDoc(env.client, doc, ns(c));
          } else if (verb === 'absent') {
            expect(await getDoc(env.client, doc, ns(c)), where).toBeUndefined();
          } else if (verb === 'reject') {
            const r = await applyDoc(env.client, doc, ns(c));
            expect(r.status, `${where}: ${r.body.slice(0, 300)}`).toBe(422);
          } else if (verb === 'delete') {
            const m = await env.client.mapper.resolve(doc.apiVersion!, doc.kind!);
            await env.client.delete(
              m,
              m.namespaced ? (doc.metadata.namespace ?? ns(c)) : undefined,
              doc.metadata.name!,
            );
            await until(
              async () => !(await getDoc(env.client, doc, ns(c))),
              `${doc.kind} ${doc.metadata.name} to be gone`,
            );
          } else throw new Error(`${where}: unknown step`);
        }
        await childChecks[c]?.(ns(c));
      },
      90_000,
    );
  }
});
