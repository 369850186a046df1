import { describe, expect, it } from 'vitest';
import { formatKroRounds } from './format.js';
import type { RoundResult } from './round.js';

const round = (over: Partial<RoundResult>): RoundResult =>
  ({
    index: 0,
    rgd: {
      name: 'webapp.kro.run',
      kind: 'WebApp',
      label: 'webapp.yaml',
      resources: 3,
      depth: 3,
      topologicalOrder: [],
    },
    instances: 200,
    created: 200,
    active: 200,
    neverReconciled: 0,
    timedOut: 0,
    windowS: 50.713,
    createWindowS: 0.1,
    curve: [],
    childrenPerInstance: 3,
    instanceEventsPerInstance: 13.51,
    queue: [],
    shaper: {
      limiting: 'client-qps',
      throughput: 3.94,
      text: 'throughput 3.9 instances/s is capped by the client QPS limit',
    },
    invalidReasons: [],
    warnings: [],
    ...over,
  }) as RoundResult;

describe('kro phase in the terminal summary', () => {
  it('says per round what one instance cost and which shaper limited it', () => {
    const text = formatKroRounds({
      kro: {
        controllerDescription: 'simulated kro controller (1 worker)',
        rounds: [
          round({ apiServer: { perInstance: 29.1 } as RoundResult['apiServer'] }),
          round({
            index: 1,
            active: 150,
            shaper: { limiting: 'none', throughput: 0, text: '' } as RoundResult['shaper'],
            invalidReasons: ['no controller reconciled 50/200 instances in 60 s'],
          }),
        ],
      },
    });
    expect(text.split('\n')).toEqual([
      'controller: simulated kro controller (1 worker)',
      'round 1: 200/200 WebApp ACTIVE in 50.7 s (3 resources, depth 3); per instance: 3.0 children, 29.1 API requests, 13.5 watch events',
      'round 1: throughput 3.9 instances/s is capped by the client QPS limit',
      'round 2: 150/200 WebApp ACTIVE in 50.7 s (3 resources, depth 3); per instance: 3.0 children, 13.5 watch events',
      'round 2: invalid: no controller reconciled 50/200 instances in 60 s',
    ]);
  });

  it('prints nothing for data that is not the kro phase', () => {
    expect(formatKroRounds(undefined)).toBe('');
    expect(formatKroRounds({ other: 1 })).toBe('');
  });
});
