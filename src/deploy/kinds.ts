/**
 * Kind → resource resolution for RBAC, without sending load: the cluster's discovery when deploy is
 * given a kubeconfig, else the built-in v1.28 kind table. (rbac.ts adds the CustomResourceDefinitions
 * the study's own templates create, whose kinds do not exist before the run.)
 */
import { builtinResources } from '../cluster/api/resources.js';
import type { ApiAccess } from '../kube/access.js';
import { UnknownKindError, type RestMapper } from '../kube/discovery.js';

export interface KindInfo {
  group: string;
  resource: string;
  namespaced: boolean;
}

export interface KindResolver {
  /** Where kinds come from, for messages ("discovery of https://…", "the built-in v1.28 kind table"). */
  readonly source: string;
  resolve(apiVersion: string, kindOrResource: string): Promise<KindInfo | undefined>;
}

/** A CRD the study's own templates create (its kind exists only once the run created it). */
export type StudyCrd = NonNullable<ApiAccess['defines']>;

export function builtinKinds(): KindResolver {
  const table = builtinResources();
  return {
    source: 'the built-in Kubernetes v1.28 kind table',
    async resolve(apiVersion, k) {
      const lower = k.toLowerCase();
      const hit = table.find(
        (r) =>
          r.groupVersion === apiVersion &&
          (r.kind === k || r.plural === lower || r.singular === lower || r.shortNames?.includes(lower)),
      );
      return hit ? { group: hit.group, resource: hit.plural, namespaced: hit.namespaced } : undefined;
    },
  };
}

export function discoveryKinds(mapper: RestMapper, server: string): KindResolver {
  return {
    source: `discovery of ${server}`,
    async resolve(apiVersion, k) {
      try {
        const m = await mapper.resolve(apiVersion, k);
        return { group: m.group, resource: m.resource, namespaced: m.namespaced };
      } catch (e) {
        if (e instanceof UnknownKindError) return undefined;
        throw e;
      }
    },
  };
}
