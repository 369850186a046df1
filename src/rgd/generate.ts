/**
 * Deterministic scale-test RGDs: N resources (Deployments, Services, ConfigMaps, Secrets, Ingresses in
 * rotation) wired by a shape, with expressions at a chosen complexity. Same options + seed → same RGD.
 */
import type { Complexity } from '../cel/complexity.js';
import { seededRandom as rng } from '../core/random.js';

export type Shape = 'chain' | 'tree' | 'layered' | 'random';
export const SHAPES: readonly Shape[] = ['chain', 'tree', 'layered', 'random'];

export interface GenerateOptions {
  resources: number;
  /** Dependencies per resource (random/layered), branching factor (tree); chain ignores it. */
  deps?: number;
  shape?: Shape;
  complexity?: Complexity;
  seed?: number;
  /** Schema kind (default ScaleTest). */
  kind?: string;
}

/** Dependency lists (indices into earlier resources, so the result is always acyclic). */
export function generateEdges(n: number, shape: Shape, k: number, seed: number): number[][] {
  const rand = rng(seed);
  const deps: number[][] = Array.from({ length: n }, () => []);
  const pick = (from: number[], count: number, into: number[]) => {
    const pool = from.slice();
    for (let c = 0; c < count && pool.length > 0; c++) {
      const j = Math.floor(rand() * pool.length);
      into.push(pool[j]!);
      pool[j] = pool[pool.length - 1]!;
      pool.pop();
    }
    into.sort((a, b) => a - b);
  };
  if (shape === 'chain') {
    for (let i = 1; i < n; i++) deps[i]!.push(i - 1);
  } else if (shape === 'tree') {
    const b = Math.max(1, k);
    for (let i = 1; i < n; i++) deps[i]!.push(Math.floor((i - 1) / b));
  } else if (shape === 'layered') {
    const width = Math.max(1, Math.round(Math.sqrt(n)));
    for (let i = width; i < n; i++) {
      const layer = Math.floor(i / width);
      const prev = Array.from({ length: width }, (_, j) => (layer - 1) * width + j);
      pick(prev, Math.max(1, k), deps[i]!);
    }
  } else {
    for (let i = 1; i < n; i++) {
      const count = Math.min(i, Math.max(0, k));
      if (i <= 64) {
        pick(
          Array.from({ length: i }, (_, j) => j),
          count,
          deps[i]!,
        );
      } else {
        // Large graphs: sample without building the whole pool (O(k) per node).
        const chosen = new Set<number>();
        while (chosen.size < count) chosen.add(Math.floor(rand() * i));
        deps[i]!.push(...[...chosen].sort((a, b) => a - b));
      }
    }
  }
  return deps;
}

const KINDS = ['Deployment', 'Service', 'ConfigMap', 'Secret', 'Ingress'] as const;

function idFor(i: number): string {
  const k = KINDS[i % KINDS.length]!;
  return `${k[0]!.toLowerCase()}${k.slice(1)}${i}`;
}

/** An expression (inside ${}) referencing dependency `dep` at the given complexity. */
function depExpression(dep: string, c: Complexity): string {
  switch (c) {
    case 'simple':
      return `${dep}.metadata.name`;
    case 'medium':
      return `${dep}.metadata.name + "-" + schema.spec.name`;
    case 'complex':
      return `${dep}.metadata.name.split("-")[0]`;
    default:
      return `[${dep}.metadata.name].filter(n, n.size() > 0).map(n, n + "-ok").join(",")`;
  }
}

/** A schema-only expression (string-valued) at the given complexity. */
function schemaExpression(c: Complexity): string {
  switch (c) {
    case 'simple':
      return 'schema.spec.name';
    case 'medium':
      return 'schema.spec.replicas > 1 ? "multiple" : "single"';
    case 'complex':
      return 'schema.spec.items[0].name';
    default:
      return 'schema.spec.items.exists(i, schema.spec.items.all(j, j.weight <= i.weight)) ? "ordered" : "unordered"';
  }
}

function template(i: number, deps: string[], c: Complexity): Record<string, unknown> {
  const kind = KINDS[i % KINDS.length]!;
  const id = idFor(i);
  const annotations: Record<string, string> = { 'kubeperf.io/expr': `\${${schemaExpression(c)}}` };
  deps.forEach((d, k) => (annotations[`kubeperf.io/dep-${k}`] = `\${${depExpression(d, c)}}`));
  const metadata = {
    name: `\${schema.spec.name}-${id.toLowerCase()}`,
    labels: { app: '${schema.spec.name}' },
    annotations,
  };
  switch (kind) {
    case 'Deployment':
      return {
        apiVersion: 'apps/v1',
        kind,
        metadata,
        spec: {
          replicas: '${schema.spec.replicas}',
          selector: { matchLabels: { app: '${schema.spec.name}' } },
          template: {
            metadata: { labels: { app: '${schema.spec.name}' } },
            spec: {
              containers: [
                {
                  name: 'app',
                  image: '${schema.spec.image}',
                  ports: [{ containerPort: '${schema.spec.port}' }],
                },
              ],
            },
          },
        },
      };
    case 'Service':
      return {
        apiVersion: 'v1',
        kind,
        metadata,
        spec: {
          selector: { app: '${schema.spec.name}' },
          ports: [{ port: '${schema.spec.port}', targetPort: '${schema.spec.port}' }],
        },
      };
    case 'ConfigMap':
      return {
        apiVersion: 'v1',
        kind,
        metadata,
        data: { name: '${schema.spec.name}', image: '${schema.spec.image}' },
      };
    case 'Secret':
      return {
        apiVersion: 'v1',
        kind,
        metadata,
        type: 'Opaque',
        stringData: { token: '${schema.spec.name}-token' },
      };
    default:
      return {
        apiVersion: 'networking.k8s.io/v1',
        kind,
        metadata,
        spec: {
          rules: [
            {
              host: '${schema.spec.name}.example.com',
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: {
                      service: { name: '${schema.spec.name}', port: { number: '${schema.spec.port}' } },
                    },
                  },
                ],
              },
            },
          ],
        },
      };
  }
}

export function generateRgd(options: GenerateOptions): Record<string, unknown> {
  const n = options.resources;
  const shape = options.shape ?? 'random';
  const complexity = options.complexity ?? 'simple';
  const seed = options.seed ?? 1;
  const edges = generateEdges(n, shape, options.deps ?? 2, seed);
  const ids = Array.from({ length: n }, (_, i) => idFor(i));
  const resources = ids.map((id, i) => ({
    id,
    template: template(
      i,
      edges[i]!.map((d) => ids[d]!),
      complexity,
    ),
  }));
  const kind = options.kind ?? 'ScaleTest';
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: `${kind.toLowerCase()}-${shape}-${complexity}-${n}-s${seed}.kro.run` },
    spec: {
      schema: {
        apiVersion: 'v1alpha1',
        kind,
        spec: {
          name: 'string | default=app',
          image: 'string | default=nginx:1.27',
          replicas: 'integer | default=2 minimum=0',
          port: 'integer | default=8080',
          items:
            '[]Item | default=[{"name":"a","enabled":true,"weight":3},{"name":"b","enabled":false,"weight":1},{"name":"c","enabled":true,"weight":2},{"name":"d","enabled":true,"weight":5}]',
        },
        types: { Item: { name: 'string', enabled: 'boolean', weight: 'integer' } },
        ...(n > 0 ? { status: { firstName: `\${${ids[0]}.metadata.name}` } } : {}),
      },
      resources,
    },
  };
}
