/**
 * The resource table: every served resource (built-in or from a CRD) is one ResourceType; handlers,
 * discovery and the store are generic over it.
 */

/** A subresource other than status/scale, as discovery lists it. */
export interface SubresourceDef {
  name: string;
  verbs: string[];
  /** Response kind when it is not the resource's own (group/version only when another group's). */
  kind?: string;
  group?: string;
  version?: string;
}

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
  /** status and scale; other subresources are `extraSubresources`, served by registered handlers. */
  subresources: { status?: boolean; scale?: boolean };
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
  /**
   * Subresources besides status/scale (pods/log, nodes/proxy, …). Discovery lists one only while
   * a handler serves it (src/cluster/api/subresources.ts), so nothing advertised answers 404.
   */
  extraSubresources?: SubresourceDef[];
  /** Version whose group/version/kind hashes into storageVersionHash (default: this version); null: not stored. */
  storageVersion?: string | null;
  /** Warning header on every response (deprecated APIs, as kube-apiserver sends it). */
  deprecationWarning?: string;
  /** Answered by a handler instead of the store: create-only reviews and bindings. */
  virtual?: 'review' | 'binding';
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
    extraSubresources: coreSubresources[`${groupVersion}/${plural}`],
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
      createOnUpdate: true,
    }),
    builtin('v1', 'endpoints', 'Endpoints', true, {
      shortNames: ['ep'],
      singular: 'endpoints',
      createOnUpdate: true,
    }),
    builtin('v1', 'serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
    builtin('v1', 'events', 'Event', true, { shortNames: ['ev'], createOnUpdate: true }),
    builtin('v1', 'nodes', 'Node', false, { shortNames: ['no'], subresources: { status: true } }),
    builtin('v1', 'pods', 'Pod', true, {
      shortNames: ['po'],
      categories: ['all'],
      subresources: { status: true },
    }),
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
    ...v128Resources(),
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

const getPatchUpdate = ['get', 'patch', 'update'];
const proxyVerbs = ['create', 'delete', 'get', 'patch', 'update'];
const connect = (name: string, kind: string, verbs = ['create', 'get']): SubresourceDef => ({
  name,
  kind,
  verbs,
});

/**
 * The rest of a v1.28 kube-apiserver's default resources (verbs, short names, categories and
 * subresources as its discovery lists them). Without a simulated controller they are stored-only:
 * CRUD, watch, status and scale behave as for any object, nothing acts on them.
 */
function v128Resources(): ResourceType[] {
  const all = { categories: ['all'] };
  const ext = { categories: ['api-extensions'] };
  const status = { subresources: { status: true } };
  return [
    // core/v1
    builtin('v1', 'bindings', 'Binding', true, {
      verbs: ['create'],
      storageVersion: null,
      virtual: 'binding',
    }),
    builtin('v1', 'componentstatuses', 'ComponentStatus', false, {
      shortNames: ['cs'],
      verbs: ['get', 'list'],
      storageVersion: null,
      deprecationWarning: 'v1 ComponentStatus is deprecated in v1.19+',
    }),
    builtin('v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, {
      shortNames: ['pvc'],
      ...status,
    }),
    builtin('v1', 'persistentvolumes', 'PersistentVolume', false, { shortNames: ['pv'], ...status }),
    builtin('v1', 'podtemplates', 'PodTemplate', true),
    builtin('v1', 'replicationcontrollers', 'ReplicationController', true, {
      shortNames: ['rc'],
      ...all,
      subresources: { status: true, scale: true },
      hasGeneration: true,
    }),
    // apps/v1
    builtin('apps/v1', 'controllerrevisions', 'ControllerRevision', true),
    // authentication.k8s.io/v1, authorization.k8s.io/v1: reviews answered, never stored
    ...(
      [
        ['authentication.k8s.io/v1', 'selfsubjectreviews', 'SelfSubjectReview', false],
        ['authentication.k8s.io/v1', 'tokenreviews', 'TokenReview', false],
        ['authorization.k8s.io/v1', 'localsubjectaccessreviews', 'LocalSubjectAccessReview', true],
        ['authorization.k8s.io/v1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', false],
        ['authorization.k8s.io/v1', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview', false],
        ['authorization.k8s.io/v1', 'subjectaccessreviews', 'SubjectAccessReview', false],
      ] as const
    ).map(([gv, plural, kind, ns]) =>
      builtin(gv, plural, kind, ns, { verbs: ['create'], storageVersion: null, virtual: 'review' }),
    ),
    // certificates.k8s.io/v1
    builtin('certificates.k8s.io/v1', 'certificatesigningrequests', 'CertificateSigningRequest', false, {
      shortNames: ['csr'],
      ...status,
      extraSubresources: [{ name: 'approval', verbs: getPatchUpdate }],
    }),
    // storage.k8s.io/v1
    builtin('storage.k8s.io/v1', 'csidrivers', 'CSIDriver', false),
    builtin('storage.k8s.io/v1', 'csinodes', 'CSINode', false),
    builtin('storage.k8s.io/v1', 'csistoragecapacities', 'CSIStorageCapacity', true),
    builtin('storage.k8s.io/v1', 'storageclasses', 'StorageClass', false, { shortNames: ['sc'] }),
    builtin('storage.k8s.io/v1', 'volumeattachments', 'VolumeAttachment', false, status),
    // admissionregistration.k8s.io/v1 (no webhooks are called)
    builtin(
      'admissionregistration.k8s.io/v1',
      'mutatingwebhookconfigurations',
      'MutatingWebhookConfiguration',
      false,
      {
        ...ext,
        hasGeneration: true,
      },
    ),
    builtin(
      'admissionregistration.k8s.io/v1',
      'validatingwebhookconfigurations',
      'ValidatingWebhookConfiguration',
      false,
      { ...ext, hasGeneration: true },
    ),
    // scheduling.k8s.io/v1, node.k8s.io/v1
    builtin('scheduling.k8s.io/v1', 'priorityclasses', 'PriorityClass', false, { shortNames: ['pc'] }),
    builtin('node.k8s.io/v1', 'runtimeclasses', 'RuntimeClass', false),
    // flowcontrol.apiserver.k8s.io: v1beta3 (preferred, storage) and v1beta2 share the objects
    ...['v1beta3', 'v1beta2'].flatMap((v) => [
      builtin(`flowcontrol.apiserver.k8s.io/${v}`, 'flowschemas', 'FlowSchema', false, {
        ...status,
        storageVersion: 'v1beta3',
        hasGeneration: true,
      }),
      builtin(
        `flowcontrol.apiserver.k8s.io/${v}`,
        'prioritylevelconfigurations',
        'PriorityLevelConfiguration',
        false,
        {
          ...status,
          storageVersion: 'v1beta3',
          hasGeneration: true,
        },
      ),
    ]),
    // apiregistration.k8s.io/v1 (nothing is aggregated)
    builtin('apiregistration.k8s.io/v1', 'apiservices', 'APIService', false, { ...ext, ...status }),
  ];
}

/** Subresources of the original core/apps entries that a v1.28 server also lists. */
export const coreSubresources: Record<string, SubresourceDef[]> = {
  'v1/pods': [
    connect('attach', 'PodAttachOptions'),
    { name: 'binding', kind: 'Binding', verbs: ['create'] },
    { name: 'ephemeralcontainers', verbs: getPatchUpdate },
    { name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
    connect('exec', 'PodExecOptions'),
    { name: 'log', verbs: ['get'] },
    connect('portforward', 'PodPortForwardOptions'),
    connect('proxy', 'PodProxyOptions', proxyVerbs),
  ],
  'v1/nodes': [connect('proxy', 'NodeProxyOptions', proxyVerbs)],
  'v1/services': [connect('proxy', 'ServiceProxyOptions', proxyVerbs)],
  'v1/namespaces': [{ name: 'finalize', verbs: ['update'] }],
  'v1/serviceaccounts': [
    { name: 'token', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] },
  ],
};

/**
 * The group/versions of a v1.28 kube-apiserver in its discovery order (group priority); unknown
 * resources in them answer the JSON 404, like the real server's built-in groups.
 */
export const builtinGroupVersions = [
  'v1',
  'apiregistration.k8s.io/v1',
  'apps/v1',
  'events.k8s.io/v1',
  'authentication.k8s.io/v1',
  'authorization.k8s.io/v1',
  'autoscaling/v2',
  'autoscaling/v1',
  'batch/v1',
  'certificates.k8s.io/v1',
  'networking.k8s.io/v1',
  'policy/v1',
  'rbac.authorization.k8s.io/v1',
  'storage.k8s.io/v1',
  'admissionregistration.k8s.io/v1',
  'apiextensions.k8s.io/v1',
  'scheduling.k8s.io/v1',
  'coordination.k8s.io/v1',
  'node.k8s.io/v1',
  'discovery.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1beta3',
  'flowcontrol.apiserver.k8s.io/v1beta2',
];

/**
 * Paths under /api/<any version> and a built-in group's /apis/<group>/<any version> answer the JSON
 * 404 Status (go-restful); unknown groups and CRD groups the plain-text `404 page not found`.
 */
export function inBuiltinGroup(groupVersion: string): boolean {
  const slash = groupVersion.indexOf('/');
  if (slash < 0) return true;
  const group = groupVersion.slice(0, slash);
  return builtinGroupVersions.some((gv) => gv.startsWith(`${group}/`));
}

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
