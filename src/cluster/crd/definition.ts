/**
 * CustomResourceDefinition objects: defaulting and validation of the CRD itself, and the resource
 * types it serves.
 */
import { errors, type StatusCause } from '../api/status.js';
import type { ResourceType } from '../api/resources.js';
import { allVerbs } from '../api/resources.js';
import type { KubeObject } from '../store/store.js';
import type { Schema } from './schema.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: Schema };
  subresources?: {
    status?: object;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  };
  additionalPrinterColumns?: ResourceType['printerColumns'];
}

export interface CrdSpec {
  group: string;
  names: {
    plural: string;
    singular?: string;
    kind: string;
    listKind?: string;
    shortNames?: string[];
    categories?: string[];
  };
  scope: 'Namespaced' | 'Cluster';
  versions: CrdVersion[];
}

export function crdDefaults(obj: KubeObject, create: boolean): void {
  const spec = (isObj(obj.spec) ? obj.spec : {}) as Obj;
  obj.spec = spec;
  const names = (isObj(spec.names) ? spec.names : {}) as Obj;
  spec.names = names;
  if (typeof names.kind === 'string') {
    names.singular ??= names.kind.toLowerCase();
    names.listKind ??= `${names.kind}List`;
  }
  spec.conversion ??= { strategy: 'None' };
  if (create) {
    const versions = Array.isArray(spec.versions) ? (spec.versions as Obj[]) : [];
    const storage = versions.filter((v) => v.storage === true).map((v) => v.name);
    obj.status = { conditions: null, acceptedNames: { plural: '', kind: '' }, storedVersions: storage };
  }
}

const dns1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export function validateCrd(obj: KubeObject): void {
  const spec = obj.spec as Obj;
  const name = obj.metadata.name;
  const causes: StatusCause[] = [];
  const add = (field: string, message: string, reason = 'FieldValueInvalid') =>
    causes.push({ reason, message, field });
  const names = spec.names as Obj;
  const group = spec.group;
  if (typeof group !== 'string' || !group) add('spec.group', 'Required value', 'FieldValueRequired');
  else if (!group.includes('.'))
    add('spec.group', `Invalid value: "${group}": should be a domain with at least one dot`);
  if (typeof names.plural !== 'string' || !names.plural)
    add('spec.names.plural', 'Required value', 'FieldValueRequired');
  else if (!dns1035.test(names.plural))
    add(
      'spec.names.plural',
      `Invalid value: "${names.plural}": a DNS-1035 label must consist of lower case alphanumeric characters or '-'`,
    );
  if (typeof names.kind !== 'string' || !names.kind)
    add('spec.names.kind', 'Required value', 'FieldValueRequired');
  if (typeof names.plural === 'string' && typeof group === 'string' && name !== `${names.plural}.${group}`) {
    add('metadata.name', `Invalid value: "${name}": must be spec.names.plural+"."+spec.group`);
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    add(
      'spec.scope',
      `Unsupported value: ${JSON.stringify(spec.scope ?? '')}: supported values: "Cluster", "Namespaced"`,
      'FieldValueNotSupported',
    );
  }
  const versions = Array.isArray(spec.versions) ? (spec.versions as Obj[]) : [];
  if (!versions.length)
    add('spec.versions', 'Invalid value: null: must have exactly one version marked as storage version');
  else if (versions.filter((v) => v.storage === true).length !== 1) {
    add(
      'spec.versions',
      `Invalid value: ${JSON.stringify(JSON.stringify(versions.map((v) => v.name)))}: must have exactly one version marked as storage version`,
    );
  }
  versions.forEach((v, i) => {
    if (typeof v.name !== 'string' || !dns1035.test(v.name))
      add(`spec.versions[${i}].name`, `Invalid value: ${JSON.stringify(v.name)}: must be a DNS-1035 label`);
    const schema = isObj(v.schema) ? (v.schema as Obj).openAPIV3Schema : undefined;
    if (!isObj(schema))
      add(
        `spec.versions[${i}].schema.openAPIV3Schema`,
        'Required value: schemas are required',
        'FieldValueRequired',
      );
    else if (schema.type !== 'object')
      add(
        `spec.versions[${i}].schema.openAPIV3Schema.type`,
        'Unsupported value: must be object at the root',
        'FieldValueNotSupported',
      );
  });
  if (causes.length) throw errors.invalid('CustomResourceDefinition', 'apiextensions.k8s.io', name, causes);
}

/** Resource types served by an established CRD (one per served version). */
export function crdResourceTypes(obj: KubeObject): ResourceType[] {
  const spec = obj.spec as unknown as CrdSpec;
  const storageKey = `${spec.names.plural}.${spec.group}`;
  return spec.versions
    .filter((v) => v.served)
    .map((v) => ({
      group: spec.group,
      version: v.name,
      groupVersion: `${spec.group}/${v.name}`,
      plural: spec.names.plural,
      singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
      kind: spec.names.kind,
      listKind: spec.names.listKind ?? `${spec.names.kind}List`,
      namespaced: spec.scope === 'Namespaced',
      shortNames: spec.names.shortNames,
      categories: spec.names.categories,
      verbs: allVerbs,
      subresources: { status: !!v.subresources?.status, scale: !!v.subresources?.scale },
      custom: true,
      hasGeneration: true,
      storageKey,
      schema: v.schema?.openAPIV3Schema,
      printerColumns: v.additionalPrinterColumns,
      scale: v.subresources?.scale,
    }));
}
