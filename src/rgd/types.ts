/** Model of a compiled ResourceGraphDefinition. */
import type { CelProgram } from '../cel/engine.js';
import type { Dag } from '../graph/dag.js';
import type { OpenApiSchema } from './simpleschema.js';

export type ExpressionKind =
  'template' | 'forEach' | 'includeWhen' | 'readyWhen' | 'status' | 'condition' | 'externalRef';

/** An expression kro would accept that kubeperf cannot check or evaluate (a kubeperf limitation). */
export interface UncheckedExpression {
  /** Resource id, or `instance` for status fields and custom conditions. */
  resource: string;
  kind: ExpressionKind;
  path: string;
  /** The raw YAML string. */
  expression: string;
  /** Plain statement of the gap, e.g. "kubeperf does not support CEL function omit() yet; …". */
  reason: string;
}

export interface CompiledExpression {
  /** Resource id, or `instance` for status fields. */
  resource: string;
  kind: ExpressionKind;
  /** Field path (template), `readyWhen[0]`, `forEach[0].name`, `status.url`. */
  path: string;
  /** The raw YAML string. */
  raw: string;
  /** CEL actually compiled (string templates become concatenations). */
  expression: string;
  standalone: boolean;
  /** Root identifiers referenced (schema, resource ids, iterators, each). */
  references: string[];
  program: CelProgram;
}

export interface CompiledResource {
  id: string;
  index: number;
  apiVersion: string;
  kind: string;
  external: boolean;
  /** forEach dimensions in order: iterator name → list expression. */
  forEach: { name: string; expression: string }[];
  template: Record<string, unknown>;
  dependencies: string[];
  expressions: CompiledExpression[];
  readyWhen: CompiledExpression[];
  includeWhen: CompiledExpression[];
}

export interface CompiledRgd {
  /** ResourceGraphDefinition, or the legacy ResourceGroup. */
  kind: string;
  name: string;
  schema: {
    kind: string;
    apiVersion: string;
    group: string;
    scope: 'Namespaced' | 'Cluster';
    /** Generated CRD name `<plural>.<group>`. */
    crdName: string;
    spec: OpenApiSchema;
  };
  resources: CompiledResource[];
  status: CompiledExpression[];
  dag: Dag;
  topologicalOrder: string[];
  /** kro apply-order wave per resource (deleted highest first). */
  applyOrders: Record<string, number>;
  /** Deletion waves, first deleted first. */
  deletionLayers: string[][];
  depth: number;
  warnings: string[];
  /** Expressions left out of every list above because kubeperf cannot check them (kro would). */
  unchecked: UncheckedExpression[];
}
