/**
 * The simulated kro controller's behaviour against the embedded control plane, observed through
 * watches opened before anything is created: dependency order and readiness gating along a 3-level
 * chain (the test sets each child's readiness itself, after a delay it chooses), readyWhen holding an
 * instance IN_PROGRESS, deletion in reverse order with the finalizer last and nothing else touched,
 * forEach collections with includeWhen and status projection, and kro's answer to invalid RGDs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../kube/client.js';
import type { ResourceMapping } from '../../kube/discovery.js';
import { watch, type Watcher } from '../../kube/watch.js';
import { compileRgd, RgdError } from '../../rgd/build.js';
import { applyDoc, getDoc, startKroEnv, until, type KroEnv } from './test-support.js';

let env: KroEnv;
let cm: ResourceMapping;
const watchers: Watcher[] = [];
beforeAll(async () => {
  env = await startKroEnv({ requeueAfterMs: 3000 });
  cm = await env.client.mapper.resolve('v1', 'ConfigMap');
}, 90_000);
afterAll(async () => {
  await Promise.all(watchers.map((w) => w.stop()));
  await env?.stop();
});

const rgd = (name: string, kind: string, resources: unknown[], extra: Record<string, unknown> = {}) =>
  ({
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name },
    spec: { schema: { apiVersion: 'v1alpha1', kind, spec: {}, ...extra }, resources },
  }) as unknown as KubeObject;

const configMap = (id: string, data: Record<string, string>, readyWhen?: string) => ({
  id,
  template: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `\${schema.metadata.name}-${id}` },
    data,
  },
  ...(readyWhen ? { readyWhen: [readyWhen] } : {}),
});
const readyFlag = (id: string) => `\${${id}.data.?ready.orValue("") == "true"}`;

async function activeRgd(doc: KubeObject): Promise<ResourceMapping> {
  expect((await applyDoc(env.client, doc, 'default')).status).toBeLessThan(300);
  await until(
    async () =>
      ((await getDoc(env.client, doc, 'default'))?.status as { state?: string })?.state === 'Active',
    `RGD ${doc.metadata.name} to be Active`,
  );
  const kind = (doc.spec as { schema: { kind: string } }).schema.kind;
  return env.client.mapper.resolve('kro.run/v1alpha1', kind);
}

const stateOf = (o: KubeObject | undefined) => (o?.status as { state?: string } | undefined)?.state;

interface Seen {
  type: string;
  name: string;
  at: number;
  obj: KubeObject;
}

async function record(m: ResourceMapping, namespace: string, labelSelector?: string): Promise<Seen[]> {
  const seen: Seen[] = [];
  watchers.push(
    await watch(env.client, m, {
      namespace,
      labelSelector,
      onEvent: (e) =>
        seen.push({ type: e.type, name: e.object.metadata.name!, at: e.receivedMs, obj: e.object }),
    }),
  );
  return seen;
}

describe('simulated kro controller', () => {
  it('3-level chain: each child is created only after its dependency is ready; time to ACTIVE ≥ the readiness delays summed', async () => {
    const m = await activeRgd(
      rgd('chain3', 'ChainThree', [
        configMap('a', { v: 'a' }, readyFlag('a')),
        configMap('b', { from: '${a.metadata.name}' }, readyFlag('b')),
        configMap('c', { from: '${b.metadata.name}' }, readyFlag('c')),
      ]),
    );
    const cms = await record(cm, 'default', 'kro.run/instance-name=chain');
    const insts = await record(m, 'default');
    const delays: Record<string, number> = { 'chain-a': 400, 'chain-b': 250, 'chain-c': 150 };
    const readyAt: Record<string, number> = {};
    const driven = new Set<string>();
    const drive = setInterval(() => {
      for (const e of cms) {
        if (e.type !== 'ADDED' || driven.has(e.name)) continue;
        driven.add(e.name);
        setTimeout(() => {
          readyAt[e.name] = performance.now();
          void env.client.patch(cm, 'default', e.name, JSON.stringify({ data: { ready: 'true' } }), 'merge');
        }, delays[e.name]);
      }
    }, 5);
    const t0 = performance.now();
    await env.client.create(
      m,
      'default',
      JSON.stringify({
        apiVersion: 'kro.run/v1alpha1',
        kind: 'ChainThree',
        metadata: { name: 'chain' },
        spec: {},
      }),
    );
    const active = await until(
      () => insts.find((e) => stateOf(e.obj) === 'ACTIVE'),
      'the instance to become ACTIVE',
    );
    clearInterval(drive);
    const added = (n: string) => cms.find((e) => e.type === 'ADDED' && e.name === n)!.at;
    expect(cms.filter((e) => e.type === 'ADDED').map((e) => e.name)).toEqual([
      'chain-a',
      'chain-b',
      'chain-c',
    ]);
    // b exists only after a was made ready, c only after b.
    expect(added('chain-b')).toBeGreaterThan(readyAt['chain-a']!);
    expect(added('chain-c')).toBeGreaterThan(readyAt['chain-b']!);
    expect(active.at).toBeGreaterThan(readyAt['chain-c']!);
    expect(active.at - t0).toBeGreaterThanOrEqual(400 + 250 + 150);
    // Every status the instance showed before the last readiness flip was IN_PROGRESS.
    const before = insts.filter((e) => e.at < readyAt['chain-c']! && stateOf(e.obj));
    expect(before.length).toBeGreaterThan(0);
    expect(new Set(before.map((e) => stateOf(e.obj)))).toEqual(new Set(['IN_PROGRESS']));
    // kro's labels and apply order on the children.
    const c = cms.find((e) => e.name === 'chain-c')!.obj;
    expect(c.metadata.labels).toMatchObject({
      'kro.run/owned': 'true',
      'kro.run/instance-name': 'chain',
      'kro.run/instance-namespace': 'default',
      'kro.run/instance-kind': 'ChainThree',
      'kro.run/node-id': 'c',
      'app.kubernetes.io/managed-by': 'kro',
      'kro.run/instance-id': active.obj.metadata.uid,
    });
    expect(c.metadata.annotations).toMatchObject({ 'internal.kro.run/apply-order': '3' });
  }, 60_000);

  it('readyWhen false keeps the instance IN_PROGRESS through requeues; flipping the child makes it ACTIVE', async () => {
    const m = await activeRgd(rgd('gate', 'Gate', [configMap('cm', { v: '1' }, readyFlag('cm'))]));
    await env.client.create(
      m,
      'default',
      JSON.stringify({ apiVersion: 'kro.run/v1alpha1', kind: 'Gate', metadata: { name: 'gate' }, spec: {} }),
    );
    const inst = { apiVersion: 'kro.run/v1alpha1', kind: 'Gate', metadata: { name: 'gate' } } as KubeObject;
    await until(
      async () => stateOf(await getDoc(env.client, inst, 'default')) === 'IN_PROGRESS',
      'IN_PROGRESS',
    );
    await until(
      async () =>
        getDoc(env.client, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gate-cm' } }, 'default'),
      'the child',
    );
    // Past the 3 s requeue: still waiting, with kro's condition.
    await new Promise((r) => setTimeout(r, 3500));
    const waiting = await getDoc(env.client, inst, 'default');
    expect(stateOf(waiting)).toBe('IN_PROGRESS');
    const rr = (
      waiting!.status as { conditions: { type: string; status: string; reason: string; message: string }[] }
    ).conditions.find((c) => c.type === 'ResourcesReady')!;
    expect(rr).toMatchObject({ status: 'False', reason: 'NotReady' });
    expect(rr.message).toMatch(/^awaiting resource readiness: .*cm/);
    await env.client.patch(cm, 'default', 'gate-cm', JSON.stringify({ data: { ready: 'true' } }), 'merge');
    await until(
      async () => stateOf(await getDoc(env.client, inst, 'default')) === 'ACTIVE',
      'ACTIVE after the flip',
    );
  }, 60_000);

  it('deletion: children go in reverse topological order, the finalizer last; nothing unlabelled or of another instance is touched', async () => {
    const m = await activeRgd(
      rgd('del3', 'DelThree', [
        configMap('a', { v: 'a' }),
        configMap('b', { from: '${a.metadata.name}' }),
        configMap('c', { from: '${b.metadata.name}' }),
      ]),
    );
    await env.client.create(
      cm,
      'default',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'del-bystander' },
        data: { x: '1' },
      }),
    );
    for (const name of ['del', 'keep']) {
      await env.client.create(
        m,
        'default',
        JSON.stringify({ apiVersion: 'kro.run/v1alpha1', kind: 'DelThree', metadata: { name }, spec: {} }),
      );
    }
    for (const name of ['del', 'keep']) {
      const inst = { apiVersion: 'kro.run/v1alpha1', kind: 'DelThree', metadata: { name } } as KubeObject;
      await until(
        async () => stateOf(await getDoc(env.client, inst, 'default')) === 'ACTIVE',
        `${name} ACTIVE`,
      );
    }
    const cms = await record(cm, 'default');
    const insts = await record(m, 'default');
    await env.client.delete(m, 'default', 'del');
    await until(() => insts.find((e) => e.type === 'DELETED' && e.name === 'del'), 'the instance to be gone');
    const deleted = cms.filter((e) => e.type === 'DELETED').map((e) => e.name);
    expect(deleted).toEqual(['del-c', 'del-b', 'del-a']);
    const instGone = insts.find((e) => e.type === 'DELETED' && e.name === 'del')!.at;
    expect(instGone).toBeGreaterThan(cms.find((e) => e.name === 'del-a' && e.type === 'DELETED')!.at);
    // While children were deleted, the instance showed DELETING with kro's condition.
    const deleting = insts.find((e) => e.name === 'del' && stateOf(e.obj) === 'DELETING');
    expect(deleting).toBeDefined();
    for (const name of ['del-bystander', 'keep-a', 'keep-b', 'keep-c']) {
      expect(
        await getDoc(
          env.client,
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } } as KubeObject,
          'default',
        ),
      ).toBeDefined();
    }
    expect(cms.filter((e) => e.type !== 'DELETED' && e.name.startsWith('keep-')).map((e) => e.type)).toEqual(
      [],
    );
    expect(
      stateOf(
        await getDoc(
          env.client,
          { apiVersion: 'kro.run/v1alpha1', kind: 'DelThree', metadata: { name: 'keep' } } as KubeObject,
          'default',
        ),
      ),
    ).toBe('ACTIVE');
  }, 60_000);

  it('forEach collections, includeWhen and status projection follow spec changes (prune included)', async () => {
    const m = await activeRgd(
      rgd(
        'coll',
        'Coll',
        [
          {
            id: 'cms',
            forEach: [{ i: '${lists.range(schema.spec.count)}' }],
            template: {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: '${schema.metadata.name + "-item-" + string(i)}' },
              data: { index: '${string(i)}' },
            },
          },
          {
            id: 'extra',
            includeWhen: ['${schema.spec.extra}'],
            template: {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: '${schema.metadata.name}-extra' },
              data: { n: '${string(size(cms))}' },
            },
          },
        ],
        {
          spec: { count: 'integer | default=3', extra: 'boolean | default=false' },
          status: { count: '${size(cms)}', first: '${cms[0].metadata.name}' },
        },
      ),
    );
    const inst = { apiVersion: 'kro.run/v1alpha1', kind: 'Coll', metadata: { name: 'coll' } } as KubeObject;
    await env.client.create(m, 'default', JSON.stringify({ ...inst, spec: {} }));
    let got = await until(async () => {
      const o = await getDoc(env.client, inst, 'default');
      return stateOf(o) === 'ACTIVE' && (o!.status as { count?: number }).count === 3 ? o : undefined;
    }, 'ACTIVE with 3 items');
    expect(got.status).toMatchObject({ count: 3, first: 'coll-item-0' });
    const items = await env.client.listAll(cm, 'default', {
      labelSelector: 'kro.run/instance-name=coll,kro.run/node-id=cms',
    });
    expect(
      items.items
        .map((o) => [
          o.metadata.name,
          o.metadata.labels?.['kro.run/collection-index'],
          o.metadata.labels?.['kro.run/collection-size'],
        ])
        .sort(),
    ).toEqual([
      ['coll-item-0', '0', '3'],
      ['coll-item-1', '1', '3'],
      ['coll-item-2', '2', '3'],
    ]);
    expect(
      await getDoc(
        env.client,
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coll-extra' } } as KubeObject,
        'default',
      ),
    ).toBeUndefined();
    await env.client.patch(
      m,
      'default',
      'coll',
      JSON.stringify({ spec: { count: 1, extra: true } }),
      'merge',
    );
    got = await until(async () => {
      const o = await getDoc(env.client, inst, 'default');
      return (o?.status as { count?: number })?.count === 1 && stateOf(o) === 'ACTIVE' ? o : undefined;
    }, 'count 1');
    await until(async () => {
      const { items: left } = await env.client.listAll(cm, 'default', {
        labelSelector: 'kro.run/instance-name=coll,kro.run/node-id=cms',
      });
      return left.length === 1 && left[0]!.metadata.name === 'coll-item-0';
    }, 'items 1 and 2 pruned');
    const extra = await until(
      () =>
        getDoc(
          env.client,
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coll-extra' } } as KubeObject,
          'default',
        ),
      'the included resource',
    );
    expect((extra as KubeObject & { data: Record<string, string> }).data.n).toBe('1');
  }, 60_000);

  it("invalid RGD: GraphAccepted=False with the message rgd inspect prints; an unknown kind is kro's schema error", async () => {
    const cyclic = rgd('cyclic', 'Cyclic', [
      configMap('a', { x: '${b.metadata.name}' }),
      configMap('b', { x: '${a.metadata.name}' }),
    ]);
    let expected = '';
    try {
      compileRgd(cyclic);
    } catch (e) {
      expected = (e as RgdError).message;
    }
    expect(expected).toMatch(/graph contains a cycle/);
    const unknown = rgd('unknownkind', 'UsesWidget', [
      { id: 'w', template: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } } },
    ]);
    for (const [doc, message] of [
      [cyclic, expected],
      [
        unknown,
        'failed to build resource "w": failed to get schema for resource w: cannot resolve group version kind "example.com/v1, Kind=Widget": schema not found',
      ],
    ] as const) {
      await applyDoc(env.client, doc, 'default');
      const got = await until(async () => {
        const o = await getDoc(env.client, doc, 'default');
        return (o?.status as { state?: string })?.state ? o : undefined;
      }, `${doc.metadata.name} status`);
      const status = got.status as {
        state: string;
        conditions: { type: string; status: string; reason: string; message: string }[];
      };
      expect(status.state).toBe('Inactive');
      expect(status.conditions.find((c) => c.type === 'GraphAccepted')).toMatchObject({
        status: 'False',
        reason: 'InvalidResourceGraph',
        message,
      });
      expect(status.conditions.find((c) => c.type === 'Ready')).toMatchObject({
        status: 'False',
        reason: 'InvalidResourceGraph',
      });
    }
  }, 60_000);
});
