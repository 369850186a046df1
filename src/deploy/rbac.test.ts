/**
 * Every built-in phase type that talks to a cluster says which API access it needs, so
 * `kubeperf deploy` can compute the RBAC of any study made of them (a type without `access()` makes
 * deploy exit 2 unless the study writes `deploy.rules` by hand).
 */
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../phases/builtin.js';

/** Types that never send a request (PhasePlan.needsCluster is always false). */
const CPU_ONLY = ['pause', 'cel', 'graph'];

describe('phase types and kubeperf deploy', () => {
  it('every built-in phase type that uses a cluster declares access()', () => {
    const registry = builtinRegistry();
    const missing = registry
      .names()
      .filter((n) => !CPU_ONLY.includes(n) && !registry.get(n)!.access)
      .map((n) => `${n}: declare PhaseType.access (src/kube/access.ts, docs/deploy.md)`);
    expect(missing).toEqual([]);
  });
});
