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
  /**
   * Subresources served: status and scale, plus the core ones with their own handlers
   * (pods/binding, serviceaccounts/token, namespaces/finalize; see builtins/subresources.ts).
   */
  subresources: { status?: boolean; scale?: boolean; binding?: boolean; token?: boolean; finalize?: boolean };
  /** PUT of a missing object creates it (the strategy's AllowCreateOnUpdate). */
  createOnUpdate?: boolean;
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
      subresources: { status: true, finalize: true },
    }),
    builtin('v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
    builtin('v1', 'secrets', 'Secret', true),
    builtin('v1', 'services', 'Service', true, {
      shortNames: ['svc'],
      categories: ['all'],
      subresources: { status: true },
      createOnUpdate: true,
    }),
    builtin('v1', 'endpoints', 'Endpoints', true, {
      shortNames: ['ep'],
      singular: 'endpoints',
      createOnUpdate: true,
    }),
    builtin('v1', 'serviceaccounts', 'ServiceAccount', true, {
      shortNames: ['sa'],
      subresources: { token: true },
    }),
    builtin('v1', 'events', 'Event', true, { shortNames: ['ev'], createOnUpdate: true }),
    builtin('v1', 'nodes', 'Node', false, { shortNames: ['no'], subresources: { status: true } }),
    builtin('v1', 'pods', 'Pod', true, {
      shortNames: ['po'],
      categories: ['all'],
      subresources: { status: true, binding: true },
    }),
    builtin('v1', 'bindings', 'Binding', true, { verbs: ['create'] }),
    builtin('v1', 'resourcequotas', 'ResourceQuota', true, {
      shortNames: ['quota'],
      subresources: { status: true },
    }),
    builtin('v1', 'limitranges', 'LimitRange', true, { shortNames: ['limits'], createOnUpdate: true }),
    builtin('apps/v1', 'deployments', 'Deployment', true, {
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: { status: true, scale: true },
      hasGeneration: true,
    }),
    ...workloadResources(),
    builtin('coordination.k8s.io/v1', 'leases', 'Lease', true, { createOnUpdate: true }),
    builtin('apiextensions.k8s.io/v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, {
      shortNames: ['crd', 'crds'],
      categories: ['api-extensions'],
      subresources: { status: true },
      hasGeneration: true,
    }),
  ];
}

/**
 * Workload, networking, policy, autoscaling, RBAC, discovery and events kinds (issue 9 B), with
 * v1.28's verbs, short names and categories. RBAC objects are stored and validated, not enforced.
 */
function workloadResources(): ResourceType[] {
  const withStatus = { subresources: { status: true }, hasGeneration: true };
  return [
    builtin('apps/v1', 'replicasets', 'ReplicaSet', true, {
      shortNames: ['rs'],
      categories: ['all'],
      subresources: { status: true, scale: true },
      hasGeneration: true,
    }),
    builtin('apps/v1', 'statefulsets', 'StatefulSet', true, {
      shortNames: ['sts'],
      categories: ['all'],
      subresources: { status: true, scale: true },
      hasGeneration: true,
    }),
    builtin('apps/v1', 'daemonsets', 'DaemonSet', true, {
      shortNames: ['ds'],
      categories: ['all'],
      ...withStatus,
    }),
    builtin('batch/v1', 'jobs', 'Job', true, { categories: ['all'], ...withStatus }),
    builtin('batch/v1', 'cronjobs', 'CronJob', true, {
      shortNames: ['cj'],
      categories: ['all'],
      ...withStatus,
    }),
    builtin('networking.k8s.io/v1', 'ingresses', 'Ingress', true, { shortNames: ['ing'], ...withStatus }),
    builtin('networking.k8s.io/v1', 'ingressclasses', 'IngressClass', false, { hasGeneration: true }),
    builtin('networking.k8s.io/v1', 'networkpolicies', 'NetworkPolicy', true, {
      shortNames: ['netpol'],
      hasGeneration: true,
    }),
    builtin('policy/v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, {
      shortNames: ['pdb'],
      ...withStatus,
    }),
    builtin('autoscaling/v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, {
      shortNames: ['hpa'],
      categories: ['all'],
      ...withStatus,
    }),
    builtin('rbac.authorization.k8s.io/v1', 'roles', 'Role', true, { createOnUpdate: true }),
    builtin('rbac.authorization.k8s.io/v1', 'rolebindings', 'RoleBinding', true, { createOnUpdate: true }),
    builtin('rbac.authorization.k8s.io/v1', 'clusterroles', 'ClusterRole', false, { createOnUpdate: true }),
    builtin('rbac.authorization.k8s.io/v1', 'clusterrolebindings', 'ClusterRoleBinding', false, {
      createOnUpdate: true,
    }),
    builtin('discovery.k8s.io/v1', 'endpointslices', 'EndpointSlice', true),
    builtin('events.k8s.io/v1', 'events', 'Event', true, { shortNames: ['ev'], createOnUpdate: true }),
  ];
}

/** Groups whose unknown resources answer the JSON 404 (the real server's built-in groups). */
export const builtinGroupVersions = [
  'v1',
  'apps/v1',
  'batch/v1',
  'networking.k8s.io/v1',
  'policy/v1',
  'autoscaling/v2',
  'rbac.authorization.k8s.io/v1',
  'discovery.k8s.io/v1',
  'events.k8s.io/v1',
  'coordination.k8s.io/v1',
  'apiextensions.k8s.io/v1',
];

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
