/**
 * The reference expression set of the kro performance study, the object they are evaluated over
 * (a `spec` with 8 items), hand-written JS equivalents (the "within 3×" baseline) and cel-go v0.16
 * numbers measured on the reference machine (issue 5).
 */

export interface ReferenceExpression {
  name: string;
  expression: string;
  /** Same computation as plain JS over the same converted activation. */
  baseline: (a: { spec: RefSpec }) => unknown;
  /** cel-go v0.16 eval ns/op on the reference machine. */
  celGoReferenceNs: number;
}

interface RefItem {
  name: string;
  enabled: boolean;
  weight: bigint;
}
interface RefSpec {
  replicas: bigint;
  items: RefItem[];
  template: { spec: { containers: { resources: { limits: { cpu: string } } }[] } };
}

export const REFERENCE_EXPRESSIONS: readonly ReferenceExpression[] = [
  { name: 'simple', expression: 'spec.replicas', baseline: (a) => a.spec.replicas, celGoReferenceNs: 56 },
  {
    name: 'medium',
    expression: "spec.replicas > 1 ? 'multiple' : 'single'",
    baseline: (a) => (a.spec.replicas > 1n ? 'multiple' : 'single'),
    celGoReferenceNs: 129,
  },
  {
    name: 'complex',
    expression: 'spec.template.spec.containers[0].resources.limits.cpu',
    baseline: (a) => a.spec.template.spec.containers[0]!.resources.limits.cpu,
    celGoReferenceNs: 279,
  },
  {
    name: 'very-complex',
    expression:
      'spec.items.filter(i, i.enabled).map(i, i.name).size() > 2 && spec.items.all(i, i.weight >= 0)',
    baseline: (a) =>
      a.spec.items.filter((i) => i.enabled).map((i) => i.name).length > 2 &&
      a.spec.items.every((i) => i.weight >= 0n),
    celGoReferenceNs: 18_000,
  },
  {
    name: 'nested-quantifier',
    expression: 'spec.items.exists(i, spec.items.all(j, j.weight <= i.weight))',
    baseline: (a) => a.spec.items.some((i) => a.spec.items.every((j) => j.weight <= i.weight)),
    celGoReferenceNs: 44_000,
  },
];

/** The activation as JSON (numbers); convert with toCelValue before evaluating. */
export function referenceActivation(items = 8): { spec: Record<string, unknown> } {
  return {
    spec: {
      replicas: 3,
      items: Array.from({ length: items }, (_, i) => ({
        name: `item-${i}`,
        enabled: i % 3 !== 0,
        weight: (i * 7) % 10,
      })),
      template: {
        spec: {
          containers: [
            { name: 'app', image: 'nginx:1.27', resources: { limits: { cpu: '500m', memory: '256Mi' } } },
          ],
        },
      },
    },
  };
}

export function referenceByExpression(expression: string): ReferenceExpression | undefined {
  return REFERENCE_EXPRESSIONS.find((r) => r.expression === expression);
}
