import { describe, expect, it } from 'vitest';
import type { KubeObject } from './client.js';
import { readinessFor } from './readiness.js';

const obj = (kind: string, rest: Record<string, unknown>, generation?: number): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name: 'x', generation },
  ...rest,
});

describe('readiness rules', () => {
  it('built-in kinds', () => {
    expect(
      readinessFor('Pod')(obj('Pod', { status: { conditions: [{ type: 'Ready', status: 'True' }] } })),
    ).toBe(true);
    expect(
      readinessFor('Pod')(obj('Pod', { status: { conditions: [{ type: 'Ready', status: 'False' }] } })),
    ).toBe(false);
    const dep = (ready: number, observed: number) =>
      obj(
        'Deployment',
        {
          spec: { replicas: 3 },
          status: { observedGeneration: observed, readyReplicas: ready, updatedReplicas: ready },
        },
        2,
      );
    expect(readinessFor('Deployment')(dep(3, 2))).toBe(true);
    expect(readinessFor('Deployment')(dep(3, 1))).toBe(false); // status of an older generation
    expect(readinessFor('Deployment')(dep(2, 2))).toBe(false);
    expect(
      readinessFor('Job')(obj('Job', { status: { conditions: [{ type: 'Complete', status: 'True' }] } })),
    ).toBe(true);
    expect(readinessFor('Namespace')(obj('Namespace', { status: { phase: 'Active' } }))).toBe(true);
    expect(
      readinessFor('CustomResourceDefinition')(
        obj('CustomResourceDefinition', {
          status: { conditions: [{ type: 'Established', status: 'True' }] },
        }),
      ),
    ).toBe(true);
    expect(readinessFor('ConfigMap')(obj('ConfigMap', {}))).toBe(true); // exists = ready
  });

  it('generic condition and CEL (missing fields mean not ready yet)', () => {
    const synced = readinessFor('Widget', { condition: { type: 'Synced' } });
    expect(synced(obj('Widget', { status: { conditions: [{ type: 'Synced', status: 'True' }] } }))).toBe(
      true,
    );
    expect(synced(obj('Widget', {}))).toBe(false);
    const cel = readinessFor('Widget', { cel: 'self.status.readyReplicas == self.spec.replicas' });
    expect(cel(obj('Widget', { spec: { replicas: 2 }, status: { readyReplicas: 2 } }))).toBe(true);
    expect(cel(obj('Widget', { spec: { replicas: 2 }, status: { readyReplicas: 1 } }))).toBe(false);
    expect(cel(obj('Widget', { spec: { replicas: 2 } }))).toBe(false);
  });
});
