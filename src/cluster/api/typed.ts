/**
 * Field types for server-side apply and key order, as structured-merge-diff sees them: built-in
 * kinds from the type table (src/cluster/types: Go field order, maps, patch strategies, list types),
 * custom resources from the CRD's openAPIV3Schema (x-kubernetes-list-type / -list-map-keys /
 * -map-type), "any JSON" for the rest (granular maps, atomic lists, client key order).
 *
 * What the table lacks is listed here, from the Go types: which struct fields exist in Go's zero
 * value (non-pointer structs and fields without omitempty: a managedFields `"."` marks only maps
 * and items that did not), `+structType=atomic` and `+mapType=atomic`, and list-map key defaults.
 */
import type { Schema } from '../crd/schema.js';
import { definitionFor, message, type FieldInfo, type MessageInfo } from '../types/index.js';
import type { ResourceType } from './resources.js';

export type GoType =
  | { k: 'scalar' }
  | { k: 'any' }
  | { k: 'raw' }
  | { k: 'struct'; s: GoStruct }
  | { k: 'map'; elem: GoType; atomic: boolean }
  | { k: 'list'; elem: GoType; list: 'atomic' | 'set' }
  | { k: 'list'; elem: GoType; list: 'map'; keys: string[]; defaults: Record<string, unknown> };

interface GoField {
  name: string;
  readonly type: GoType;
  /** Present in Go's zero value of the enclosing struct. */
  zero: boolean;
}

export interface GoStruct {
  fields: GoField[];
  byName: Map<string, GoField>;
  atomic: boolean;
}

export const scalar: GoType = { k: 'scalar' };
const anyJson: GoType = { k: 'any' };
const raw: GoType = { k: 'raw' };

const core = 'io.k8s.api.core.v1';
const metaV1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** `+structType=atomic` / `x-kubernetes-map-type: atomic` structs: owned and replaced whole. */
const atomicStructs = new Set([
  `${metaV1}.LabelSelector`,
  ...[
    'ObjectReference',
    'LocalObjectReference',
    'TypedLocalObjectReference',
    'TypedObjectReference',
    'NodeSelector',
    'NodeSelectorTerm',
    'TopologySelectorTerm',
    'ConfigMapKeySelector',
    'SecretKeySelector',
    'ObjectFieldSelector',
    'ResourceFieldSelector',
  ].map((s) => `${core}.${s}`),
]);

/** `+mapType=atomic` maps. */
const atomicMaps = new Set([
  `${core}.ServiceSpec.selector`,
  `${core}.PodSpec.nodeSelector`,
  `${core}.ReplicationControllerSpec.selector`,
]);

/** Defaults of list-map key fields (SMD fills a missing key from the schema default). */
const keyDefaults: Record<string, Record<string, unknown>> = {
  [`${core}.Container.ports`]: { protocol: 'TCP' },
  [`${core}.EphemeralContainerCommon.ports`]: { protocol: 'TCP' },
  [`${core}.ServiceSpec.ports`]: { protocol: 'TCP' },
};

/**
 * Struct fields present in the zero value beyond the general rules (metadata, a kind's spec and
 * status, a PodTemplateSpec template): non-pointer structs and non-omitempty lists/pointers.
 */
const zeroFields = new Set([
  `${metaV1}.ObjectMeta.creationTimestamp`,
  `${core}.PodTemplateSpec.spec`,
  `${core}.PodSpec.containers`,
  `${core}.Container.resources`,
  `${core}.EphemeralContainerCommon.resources`,
  `${core}.ContainerStatus.state`,
  `${core}.ContainerStatus.lastState`,
  `${core}.ContainerStatus.name`,
  `${core}.Event.involvedObject`,
  `${core}.Event.source`,
  `${core}.NodeStatus.daemonEndpoints`,
  `${core}.NodeStatus.nodeInfo`,
  `${core}.NodeDaemonEndpoints.kubeletEndpoint`,
  `${core}.ServiceStatus.loadBalancer`,
  'io.k8s.api.apps.v1.DeploymentSpec.selector',
  'io.k8s.api.apps.v1.DeploymentSpec.strategy',
  'io.k8s.api.apps.v1.ReplicaSetSpec.selector',
  'io.k8s.api.apps.v1.StatefulSetSpec.selector',
  'io.k8s.api.apps.v1.StatefulSetSpec.updateStrategy',
  'io.k8s.api.apps.v1.DaemonSetSpec.selector',
  'io.k8s.api.apps.v1.DaemonSetSpec.updateStrategy',
  'io.k8s.api.batch.v1.CronJobSpec.jobTemplate',
  'io.k8s.api.batch.v1.JobTemplateSpec.spec',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec.names',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec.versions',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus.acceptedNames',
]);

function zeroPresent(m: MessageInfo, f: FieldInfo): boolean {
  if (f.name === 'metadata') return true;
  if (m.typeMeta && (f.name === 'spec' || f.name === 'status')) return true;
  if (f.name === 'template' && f.elem === `${core}.PodTemplateSpec`) return true;
  return zeroFields.has(`${m.name}.${f.name}`);
}

/** The element type of a field (what one map value or list item is). */
function elemType(f: FieldInfo): GoType {
  if (f.scalar) return scalar;
  const m = message(f.elem);
  if (!m) return anyJson;
  switch (m.special) {
    case undefined:
      return structType(m);
    case 'rawjson':
    case 'fieldsv1':
      return raw;
    case 'stringlist':
      return { k: 'list', elem: scalar, list: 'atomic' };
    case 'schemaOrArray':
    case 'schemaOrBool':
      return structType(message('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps')!);
    case 'schemaOrStringArray':
      return anyJson;
    default:
      return scalar; // time, duration, quantity, int-or-string: one JSON scalar
  }
}

/** SMD's list element relationship (kube-openapi schemaconv): listType, then merge patch strategy. */
function fieldTypeOf(m: MessageInfo, f: FieldInfo): GoType {
  const id = `${m.name}.${f.name}`;
  // Written by the server in Go order already; never merged or owned (stripped from field sets).
  if (id === `${metaV1}.ObjectMeta.managedFields`) return raw;
  const elem = elemType(f);
  if (f.map) return { k: 'map', elem, atomic: atomicMaps.has(id) };
  if (!f.repeated) return elem;
  const x = f.extra;
  if (x.listType === 'map')
    return { k: 'list', elem, list: 'map', keys: x.listMapKeys ?? [], defaults: keyDefaults[id] ?? {} };
  if (x.listType === 'set') return { k: 'list', elem, list: 'set' };
  if (x.listType !== 'atomic' && x.patchStrategy?.split(',').includes('merge')) {
    if (x.patchMergeKey)
      return { k: 'list', elem, list: 'map', keys: [x.patchMergeKey], defaults: keyDefaults[id] ?? {} };
    return { k: 'list', elem, list: 'set' };
  }
  return { k: 'list', elem, list: 'atomic' };
}

/** A field whose type is resolved on first use (types are recursive), then a plain property. */
function lazyField(name: string, zero: boolean, resolve: () => GoType): GoField {
  const f = { name, zero } as GoField;
  Object.defineProperty(f, 'type', {
    configurable: true,
    enumerable: true,
    get() {
      const type = resolve();
      Object.defineProperty(f, 'type', { value: type, enumerable: true });
      return type;
    },
  });
  return f;
}

const structs = new WeakMap<MessageInfo, GoType>();

function structType(m: MessageInfo): GoType {
  let t = structs.get(m);
  if (t) return t;
  const fields: GoField[] = m.json.map((f) => lazyField(f.name, zeroPresent(m, f), () => fieldTypeOf(m, f)));
  t = {
    k: 'struct',
    s: { fields, byName: new Map(fields.map((f) => [f.name, f])), atomic: atomicStructs.has(m.name) },
  };
  structs.set(m, t);
  return t;
}

/** metav1.ObjectMeta (the `metadata` of every kind, custom resources included). */
export const objectMetaType: GoType = structType(message(`${metaV1}.ObjectMeta`)!);

type ListSchema = Schema & {
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
};

const schemaTypes = new WeakMap<object, GoType>();

/** A CRD structural schema as a GoType (no field is present in an unstructured zero value). */
function schemaType(schema: Schema | undefined): GoType {
  if (!schema) return anyJson;
  const hit = schemaTypes.get(schema);
  if (hit) return hit;
  const s = schema as ListSchema;
  let t: GoType;
  if (s['x-kubernetes-int-or-string']) t = scalar;
  else if (s.type === 'array') {
    const elem = schemaType(s.items);
    const lt = s['x-kubernetes-list-type'];
    if (lt === 'map') {
      const keys = s['x-kubernetes-list-map-keys'] ?? [];
      const defaults: Record<string, unknown> = {};
      for (const k of keys) {
        const d = s.items?.properties?.[k]?.default;
        if (d !== undefined) defaults[k] = d;
      }
      t = { k: 'list', elem, list: 'map', keys, defaults };
    } else t = { k: 'list', elem, list: lt === 'set' ? 'set' : 'atomic' };
  } else if (s.type === 'object' || s.properties || s.additionalProperties) {
    const atomic = s['x-kubernetes-map-type'] === 'atomic';
    if (s.properties) {
      const fields = Object.entries(s.properties).map(([name, fs]) =>
        lazyField(name, false, () => schemaType(fs)),
      );
      t = { k: 'struct', s: { fields, byName: new Map(fields.map((f) => [f.name, f])), atomic } };
    } else if (typeof s.additionalProperties === 'object') {
      t = { k: 'map', elem: schemaType(s.additionalProperties), atomic };
    } else t = atomic ? { k: 'map', elem: anyJson, atomic } : anyJson;
  } else if (s.type) t = scalar;
  else t = anyJson;
  schemaTypes.set(schema, t);
  return t;
}

const kindTypes = new Map<string, GoType | null>();

/** The type of a built-in kind, or undefined when the type table does not have it. */
function builtinType(groupVersion: string, kind: string): GoType | undefined {
  const key = `${groupVersion}|${kind}`;
  let t = kindTypes.get(key);
  if (t === undefined) {
    const def = definitionFor(groupVersion, kind);
    const m = def ? message(def) : undefined;
    t = m ? structType(m) : null;
    kindTypes.set(key, t);
  }
  return t ?? undefined;
}

/**
 * The type of a whole object of this resource. Walkers treat the root specially: apiVersion and
 * kind are skipped and `metadata` is always ObjectMeta (rootField).
 */
export function rootType(rt: ResourceType): GoType {
  let t = rootTypes.get(rt);
  if (!t)
    rootTypes.set(
      rt,
      (t = rt.custom ? schemaType(rt.schema) : (builtinType(rt.groupVersion, rt.kind) ?? anyJson)),
    );
  return t;
}
const rootTypes = new WeakMap<ResourceType, GoType>();

/** The type of field `name` inside a value of type `t` (a struct field or a map element). */
export function fieldType(t: GoType, name: string): { type: GoType; declared: boolean; zero: boolean } {
  if (t.k === 'struct') {
    const f = t.s.byName.get(name);
    if (f) return { type: f.type, declared: true, zero: f.zero };
    return { type: anyJson, declared: false, zero: false };
  }
  if (t.k === 'map') return { type: t.elem, declared: false, zero: false };
  return { type: anyJson, declared: false, zero: false };
}

/** fieldType for the top level of an object: metadata is ObjectMeta whatever a CRD schema says. */
export function rootField(t: GoType, name: string): { type: GoType; declared: boolean; zero: boolean } {
  if (name === 'metadata') return { type: objectMetaType, declared: true, zero: true };
  return fieldType(t, name);
}

/** Atomic for apply: replaced and owned as a whole. */
export function isAtomic(t: GoType): boolean {
  return (
    t.k === 'scalar' ||
    t.k === 'raw' ||
    (t.k === 'struct' && t.s.atomic) ||
    (t.k === 'map' && t.atomic) ||
    (t.k === 'list' && t.list === 'atomic')
  );
}
