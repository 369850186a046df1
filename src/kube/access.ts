/**
 * What a phase does to the API, in RBAC terms: verbs on a kind (or plural resource) of an
 * apiVersion, in a namespace or across namespaces. `kubeperf deploy` resolves these through
 * discovery or the built-in kind table into least-privilege Role/ClusterRole rules.
 */
import type { KubeObject } from './client.js';

export interface ApiAccess {
  /** `v1`, `apps/v1`, `example.com/v1alpha1`. */
  apiVersion: string;
  /** Kind (`ConfigMap`) or plural resource (`configmaps`), as the study names it. */
  kind: string;
  /** A subresource of it (`status`, `proxy`): the rule names `<resource>/<subresource>`. */
  subresource?: string;
  verbs: string[];
  /** Only these objects (a Secret read by name); never for create, which RBAC cannot limit by name. */
  resourceNames?: string[];
  /**
   * For namespaced kinds: the one namespace the phase uses, or `*` for several or ones it only
   * names at run time (per-iteration namespaces, selections across namespaces). Ignored for
   * cluster-scoped kinds.
   */
  namespace: string;
  /** Only needed when this other kind turns out to be namespaced (a namespace for its objects). */
  onlyIfNamespaced?: { apiVersion: string; kind: string };
  /** Why, shown beside the rule in `kubeperf deploy --dry-run`. */
  reason: string;
  /**
   * `results`: on the cluster where the run publishes results (PhaseContext.resultsTarget), which is
   * the target unless the run measures another cluster (deploy.kubeconfigSecret). Default: the target.
   */
  on?: 'target' | 'results';
  /**
   * A kind that may not be served before the run, and how it resolves: the CRD this object is (a
   * study's template creating a CustomResourceDefinition), or a kind a controller installs (kro's
   * ResourceGraphDefinition, the CRD kro generates for an RGD's instances).
   */
  defines?: {
    group: string;
    versions: string[];
    kind: string;
    plural: string;
    singular?: string;
    namespaced: boolean;
  };
}

/** Namespaces a phase creates for its objects (ensureNamespace) and deletes at cleanup. */
export function namespaceAccess(reason: string, whenNamespaced?: ApiAccess['onlyIfNamespaced']): ApiAccess {
  return {
    apiVersion: 'v1',
    kind: 'namespaces',
    verbs: ['get', 'create', 'list', 'delete'],
    namespace: '*',
    ...(whenNamespaced ? { onlyIfNamespaced: whenNamespaced } : {}),
    reason,
  };
}

/** Deleting by label selector (cleanup, gc): list, then delete one by one or by collection. */
export const cleanupVerbs = ['list', 'delete', 'deletecollection'];

/**
 * The `defines` of a CustomResourceDefinition object (its group, versions, names and scope);
 * undefined for any other object or a CRD without group, kind or plural.
 */
export function crdDefines(o: KubeObject): ApiAccess['defines'] {
  if (o.kind !== 'CustomResourceDefinition') return undefined;
  const spec = (o.spec ?? {}) as {
    group?: string;
    scope?: string;
    names?: { kind?: string; plural?: string; singular?: string };
    versions?: { name?: string }[];
  };
  if (!spec.group || !spec.names?.kind || !spec.names.plural) return undefined;
  return {
    group: spec.group,
    versions: (spec.versions ?? []).map((v) => v.name ?? '').filter(Boolean),
    kind: spec.names.kind,
    plural: spec.names.plural,
    ...(spec.names.singular ? { singular: spec.names.singular } : {}),
    namespaced: spec.scope !== 'Cluster',
  };
}
