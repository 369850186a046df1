/**
 * Lookup over the built-in type table (generated.ts): messages compiled once on first use, and the
 * mapping from apiVersion/kind to a definition name. OpenAPI and protobuf both read this.
 */
import { generatedTypes } from './generated.js';
import type { FieldExtra, MessageTable } from './table-types.js';

export type Scalar =
  'string' | 'bytes' | 'bool' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'double' | 'float';

export interface FieldInfo {
  name: string;
  num: number;
  repeated: boolean;
  map: boolean;
  /** Element type: a scalar or a definition name. */
  elem: string;
  scalar?: Scalar;
  description: string;
  extra: FieldExtra;
  /** The element's message, resolved on first use (hot path of the protobuf codec). */
  elemMessage?: MessageInfo | null;
  /** A Go-embedded struct (`json:",inline"`): its fields appear in the parent's JSON. */
  inline?: boolean;
}

/** The message of a field's element type (undefined for scalars), memoized on the field. */
export function elemMessage(f: FieldInfo): MessageInfo | undefined {
  if (f.elemMessage === undefined) f.elemMessage = f.scalar ? null : (message(f.elem) ?? null);
  return f.elemMessage ?? undefined;
}

/** Types whose JSON form is not their protobuf message shape (custom marshalers in Go). */
export type Special =
  | 'time'
  | 'microtime'
  | 'duration'
  | 'quantity'
  | 'intorstring'
  | 'rawjson'
  | 'fieldsv1'
  | 'stringlist'
  | 'schemaOrArray'
  | 'schemaOrBool'
  | 'schemaOrStringArray';

export interface MessageInfo {
  name: string;
  description: string;
  fields: FieldInfo[];
  byName: Map<string, FieldInfo>;
  byNum: Map<number, FieldInfo>;
  special?: Special;
  /** A kind: its JSON carries apiVersion and kind. */
  typeMeta: boolean;
  /** The JSON view: inline fields replaced by their struct's fields, in Go order. */
  json: FieldInfo[];
  jsonByName: Map<string, FieldInfo>;
}

/**
 * Go-embedded structs (`json:",inline"`). Protobuf keeps them as nested messages; JSON flattens
 * them into the parent (a Volume's `emptyDir`, a Probe's `httpGet`, a key selector's `name`).
 */
const inlineFields = new Set([
  ...[
    'ConfigMapEnvSource',
    'ConfigMapKeySelector',
    'ConfigMapProjection',
    'ConfigMapVolumeSource',
    'SecretEnvSource',
    'SecretKeySelector',
    'SecretProjection',
  ].map((d) => `io.k8s.api.core.v1.${d}.localObjectReference`),
  'io.k8s.api.core.v1.EphemeralContainer.ephemeralContainerCommon',
  'io.k8s.api.core.v1.PersistentVolumeSpec.persistentVolumeSource',
  'io.k8s.api.core.v1.Probe.handler',
  'io.k8s.api.core.v1.Volume.volumeSource',
  'io.k8s.api.networking.v1.IngressRule.ingressRuleValue',
  'io.k8s.api.admissionregistration.v1.RuleWithOperations.rule',
  'io.k8s.api.admissionregistration.v1beta1.RuleWithOperations.rule',
  'io.k8s.api.admissionregistration.v1alpha1.RuleWithOperations.rule',
]);

function jsonView(fields: FieldInfo[]): FieldInfo[] {
  return fields.flatMap((f) => (f.inline ? (message(f.elem)?.json ?? []) : [f]));
}

const scalars = new Set(['string', 'bytes', 'bool', 'int32', 'int64', 'uint32', 'uint64', 'double', 'float']);
const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const apiext = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

const specials: Record<string, Special> = {
  [`${meta}.Time`]: 'time',
  [`${meta}.MicroTime`]: 'microtime',
  [`${meta}.Duration`]: 'duration',
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'quantity',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'intorstring',
  'io.k8s.apimachinery.pkg.runtime.RawExtension': 'rawjson',
  [`${apiext}.JSON`]: 'rawjson',
  [`${meta}.FieldsV1`]: 'fieldsv1',
  [`${meta}.Verbs`]: 'stringlist',
  'io.k8s.api.authentication.v1.ExtraValue': 'stringlist',
  'io.k8s.api.authorization.v1.ExtraValue': 'stringlist',
  'io.k8s.api.certificates.v1.ExtraValue': 'stringlist',
  [`${apiext}.JSONSchemaPropsOrArray`]: 'schemaOrArray',
  [`${apiext}.JSONSchemaPropsOrBool`]: 'schemaOrBool',
  [`${apiext}.JSONSchemaPropsOrStringArray`]: 'schemaOrStringArray',
};

const table: MessageTable = generatedTypes;
const compiled = new Map<string, MessageInfo>();

export function message(name: string): MessageInfo | undefined {
  const hit = compiled.get(name);
  if (hit) return hit;
  const def = table[name];
  if (!def) return undefined;
  const fields: FieldInfo[] = def.f.map(([fname, num, type, description, extra]) => {
    const map = type.startsWith('map:');
    const repeated = type.startsWith('[]');
    const elem = map ? type.slice(4) : repeated ? type.slice(2) : type;
    return {
      name: fname,
      num,
      repeated,
      map,
      elem,
      scalar: scalars.has(elem) ? (elem as Scalar) : undefined,
      description,
      extra: extra ?? {},
      ...(inlineFields.has(`${name}.${fname}`) ? { inline: true } : {}),
    };
  });
  const info: MessageInfo = {
    name,
    description: def.d,
    fields,
    byName: new Map(fields.map((f) => [f.name, f])),
    byNum: new Map(fields.map((f) => [f.num, f])),
    special: specials[name],
    typeMeta: def.t === 1,
    json: fields,
    jsonByName: new Map(),
  };
  compiled.set(name, info);
  if (fields.some((f) => f.inline)) info.json = jsonView(fields);
  info.jsonByName = new Map(info.json.map((f) => [f.name, f]));
  return info;
}

/** The package of a group/version's types (`apps/v1` → `io.k8s.api.apps.v1`). */
function packageOf(group: string, version: string): string {
  if (group === '') return `io.k8s.api.core.${version}`;
  if (group === 'apiextensions.k8s.io')
    return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}`;
  if (group === 'meta.k8s.io') return `${meta.slice(0, -3)}.${version}`;
  return `io.k8s.api.${group.split('.')[0]}.${version}`;
}

const metaKinds = new Set([
  'Status',
  'WatchEvent',
  'PartialObjectMetadata',
  'PartialObjectMetadataList',
  'Table',
  'APIResourceList',
  'APIGroupList',
  'APIGroup',
  'APIVersions',
  'DeleteOptions',
]);

const definitionCache = new Map<string, string | null>();

/** Definition name of the message for apiVersion/kind, when the table has one (memoized: hot path). */
export function definitionFor(apiVersion: string, kind: string): string | undefined {
  const key = `${apiVersion}|${kind}`;
  let hit = definitionCache.get(key);
  if (hit === undefined) {
    hit = lookupDefinition(apiVersion, kind) ?? null;
    if (definitionCache.size > 10_000) definitionCache.clear();
    definitionCache.set(key, hit);
  }
  return hit ?? undefined;
}

function lookupDefinition(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (metaKinds.has(kind) && (group === '' || group === 'meta.k8s.io')) {
    const name = `${meta}.${kind}`;
    if (table[name]) return name;
  }
  const name = `${packageOf(group, version)}.${kind}`;
  return table[name] ? name : undefined;
}
