import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../kube/client.js';
import { matchesSelector, selectorString } from './label-selector.js';
import {
  hasFinalizer,
  hasLabels,
  isOwnedBy,
  ownerReference,
  setCondition,
  setLabels,
  withoutFinalizer,
} from './objects.js';

const obj = (meta: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'x', ...meta },
});

describe('object helpers', () => {
  it('setCondition keeps lastTransitionTime while the status holds and moves it when it changes', () => {
    let c = setCondition(undefined, { type: 'Ready', status: 'False', reason: 'A' }, 't1');
    c = setCondition(c, { type: 'Ready', status: 'False', reason: 'B', message: 'still' }, 't2');
    expect(c).toEqual([
      { type: 'Ready', status: 'False', reason: 'B', message: 'still', lastTransitionTime: 't1' },
    ]);
    c = setCondition(c, { type: 'Ready', status: 'True', reason: 'C' }, 't3');
    c = setCondition(c, { type: 'Synced', status: 'True' }, 't4');
    expect(c.map((x) => [x.type, x.lastTransitionTime])).toEqual([
      ['Ready', 't3'],
      ['Synced', 't4'],
    ]);
  });

  it('finalizers, owner references and labels', () => {
    const o = obj({ finalizers: ['a', 'kro.run/finalizer'], uid: 'u1' });
    expect(hasFinalizer(o, 'kro.run/finalizer')).toBe(true);
    expect(withoutFinalizer(o, 'kro.run/finalizer')).toEqual(['a']);
    const ref = ownerReference(o, { controller: true, blockOwnerDeletion: true });
    expect(ref).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'x',
      uid: 'u1',
      controller: true,
      blockOwnerDeletion: true,
    });
    expect(isOwnedBy(obj({ ownerReferences: [ref] }), o)).toBe(true);
    expect(isOwnedBy(obj({}), o)).toBe(false);
    const l = setLabels(obj({ labels: { a: '1' } }), { b: '2' });
    expect(hasLabels(l, { a: '1', b: '2' })).toBe(true);
    expect(hasLabels(l, { a: '2' })).toBe(false);
  });

  it('label selectors: query string and matching', () => {
    const sel = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In' as const, values: ['a', 'b'] },
        { key: 'skip', operator: 'DoesNotExist' as const },
      ],
    };
    expect(selectorString(sel)).toBe('app=web,tier in (a,b),!skip');
    expect(matchesSelector({ app: 'web', tier: 'b' }, sel)).toBe(true);
    expect(matchesSelector({ app: 'web', tier: 'c' }, sel)).toBe(false);
    expect(matchesSelector({ app: 'web', tier: 'a', skip: '' }, sel)).toBe(false);
  });
});
