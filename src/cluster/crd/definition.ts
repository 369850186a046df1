/**
 * CustomResourceDefinition objects: defaulting and validation of the CRD itself, and the resource
 * types it serves.
 */
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
