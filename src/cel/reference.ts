/**
 * The reference expression set of the kro performance study, the object they are evaluated over
 * (a `spec` with 8 items), hand-written JS equivalents (the "within 3×" baseline) and cel-go v0.16
 * numbers measured on the reference machine (issue 5).
 */
import { parseAddr, parsePrefix } from './lib/netip.js';
import { parseQuantity } from './lib/quantity.js';
import { findAllString } from './lib/regex.js';
import { parseSemver } from './lib/semver.js';
import { parseRequestURI, parseURL } from './lib/url.js';

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

interface LibSpec extends RefSpec {
  memory: string;
  endpoint: string;
  cidr: string;
  ip: string;
  version: string;
  csv: string;
}

/**
 * The Kubernetes/cel-go library functions kro enables, over the reference `spec` plus a few string
 * fields. The baseline calls kubeperf's port of the Go code directly, so the ratio is the cost the
 * CEL layer (interpreter dispatch, boxing) adds on top of the library itself.
 */
export const LIBRARY_EXPRESSIONS: readonly (Omit<ReferenceExpression, 'baseline' | 'celGoReferenceNs'> & {
  baseline: (a: { spec: LibSpec }) => unknown;
})[] = [
  {
    name: 'quantity',
    expression: 'quantity(spec.memory).isLessThan(quantity("1Gi"))',
    baseline: (a) => parseQuantity(a.spec.memory).cmp(parseQuantity('1Gi')) === -1,
  },
  {
    name: 'url',
    expression: 'url(spec.endpoint).getHostname()',
    baseline: (a) => (parseRequestURI(a.spec.endpoint), parseURL(a.spec.endpoint).hostname()),
  },
  {
    name: 'cidr',
    expression: 'cidr(spec.cidr).containsIP(spec.ip)',
    baseline: (a) => parsePrefix(a.spec.cidr).contains(parseAddr(a.spec.ip)),
  },
  {
    name: 'semver',
    expression: 'semver(spec.version).isGreaterThan(semver("1.28.0"))',
    baseline: (a) => parseSemver(a.spec.version).compare(parseSemver('1.28.0')) === 1,
  },
  {
    name: 'regex-findAll',
    expression: 'spec.csv.findAll("[a-z]+")',
    baseline: (a) => findAllString(a.spec.csv, '[a-z]+', -1),
  },
  {
    name: 'two-var-all',
    expression: 'spec.items.all(i, v, v.weight >= 0 && i < 100)',
    baseline: (a) => a.spec.items.every((v, i) => v.weight >= 0n && i < 100),
  },
  {
    name: 'transformMap',
    expression: 'spec.items.transformMap(i, v, v.weight)',
    baseline: (a) => new Map(a.spec.items.map((v, i) => [BigInt(i), v.weight])),
  },
  {
    name: 'sortBy',
    expression: 'spec.items.sortBy(i, i.weight).map(i, i.name)',
    baseline: (a) =>
      [...a.spec.items]
        .sort((x, y) => (x.weight < y.weight ? -1 : x.weight > y.weight ? 1 : 0))
        .map((i) => i.name),
  },
  {
    name: 'lists-sum',
    expression: 'spec.items.map(i, i.weight).sum()',
    baseline: (a) => a.spec.items.reduce((s, i) => s + i.weight, 0n),
  },
];

/** referenceActivation plus the string fields the library expressions read. */
export function libraryActivation(items = 8): { spec: Record<string, unknown> } {
  const a = referenceActivation(items);
  return {
    spec: {
      ...a.spec,
      memory: '768Mi',
      endpoint: 'https://api.example.org:8443/v2?region=eu',
      cidr: '10.0.0.0/8',
      ip: '10.1.2.3',
      version: '1.29.4',
      csv: 'alpha,beta,gamma',
    },
  };
}
