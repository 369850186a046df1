/**
 * The resource table: every served resource (built-in or from a CRD) is one ResourceType; handlers,
 * discovery and the store are generic over it.
 */
export interface ResourceType {
  group: string;
  version: string;
  /** `v1` or `apps/v1`. */
  groupVersion: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  subresources: { status?: boolean; scale?: boolean };
  /** Custom resources: keys sorted at every level, items of lists carry apiVersion/kind. */
  custom: boolean;
  /** Whether spec changes bump metadata.generation (Deployments, CRDs, CRs; not ConfigMaps). */
  hasGeneration: boolean;
  /** Storage key shared by all versions of one resource (`configmaps`, `widgets.example.com`). */
  storageKey: string;
  /** Custom resources: the version's openAPIV3Schema. */
  schema?: import('../crd/schema.js').Schema;
  /** Custom resources: additionalPrinterColumns of the version. */
  printerColumns?: {
    name: string;
    type: string;
    jsonPath: string;
    description?: string;
    format?: string;
    priority?: number;
  }[];
  /** Custom resources: the scale subresource paths. */
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
}

export const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const nsVerbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

function builtin(
  groupVersion: string,
  plural: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  const slash = groupVersion.indexOf('/');
  const group = slash < 0 ? '' : groupVersion.slice(0, slash);
  const version = slash < 0 ? groupVersion : groupVersion.slice(slash + 1);
  return {
    group,
    version,
    groupVersion,
    plural,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced,
    verbs: allVerbs,
    subresources: {},
    custom: false,
    hasGeneration: false,
    storageKey: group ? `${plural}.${group}` : plural,
    ...extra,
  };
}

export function builtinResources(): ResourceType[] {
  return [
    builtin('v1', 'namespaces', 'Namespace', false, {
      shortNames: ['ns'],
      verbs: nsVerbs,
      subresources: { status: true },
    }),
    builtin('v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
    builtin('v1', 'secrets', 'Secret', true),
    builtin('v1', 'services', 'Service', true, {
      shortNames: ['svc'],
      categories: ['all'],
      subresources: { status: true },
    }),
    builtin('v1', 'endpoints', 'Endpoints', true, { shortNames: ['ep'], singular: 'endpoints' }),
    builtin('v1', 'serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
    builtin('v1', 'events', 'Event', true, { shortNames: ['ev'] }),
    builtin('v1', 'nodes', 'Node', false, { shortNames: ['no'], subresources: { status: true } }),
    builtin('v1', 'pods', 'Pod', true, {
      shortNames: ['po'],
      categories: ['all'],
      subresources: { status: true },
    }),
    builtin('apps/v1', 'deployments', 'Deployment', true, {
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: { status: true, scale: true },
      hasGeneration: true,
    }),
    builtin('coordination.k8s.io/v1', 'leases', 'Lease', true),
    builtin('apiextensions.k8s.io/v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, {
      shortNames: ['crd', 'crds'],
      categories: ['api-extensions'],
      subresources: { status: true },
      hasGeneration: true,
    }),
  ];
}

/** Groups whose unknown resources answer the JSON 404 (the real server's built-in groups). */
export const builtinGroupVersions = ['v1', 'apps/v1', 'coordination.k8s.io/v1', 'apiextensions.k8s.io/v1'];

/** Served resources by group/version/plural; CRDs add and remove entries at runtime. */
export class ResourceRegistry {
  private byGvr = new Map<string, ResourceType>();
  /** groupVersion -> resources (discovery order). */
  private byGv = new Map<string, ResourceType[]>();
  /** Bumped on every change so cached discovery documents can be rebuilt. */
  generation = 0;

  constructor(types: ResourceType[] = builtinResources()) {
    for (const t of types) this.add(t);
  }

  add(t: ResourceType): void {
    this.byGvr.set(`${t.groupVersion}/${t.plural}`, t);
    const list = this.byGv.get(t.groupVersion) ?? [];
    const i = list.findIndex((x) => x.plural === t.plural);
    if (i >= 0) list[i] = t;
    else list.push(t);
    this.byGv.set(t.groupVersion, list);
    this.generation++;
  }

  remove(groupVersion: string, plural: string): void {
    this.byGvr.delete(`${groupVersion}/${plural}`);
    const list = (this.byGv.get(groupVersion) ?? []).filter((x) => x.plural !== plural);
    if (list.length) this.byGv.set(groupVersion, list);
    else this.byGv.delete(groupVersion);
    this.generation++;
  }

  get(groupVersion: string, plural: string): ResourceType | undefined {
    return this.byGvr.get(`${groupVersion}/${plural}`);
  }

  /** Resources of one group/version, or undefined when it is not served. */
  groupVersion(gv: string): ResourceType[] | undefined {
    return this.byGv.get(gv);
  }

  groupVersions(): string[] {
    return [...this.byGv.keys()];
  }

  all(): ResourceType[] {
    return [...this.byGvr.values()];
  }
}
