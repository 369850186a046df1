/**
 * Cached REST mapping (kind → resource, namespaced or not) from legacy discovery
 * (`/api/v1`, `/apis/<group>/<version>`). One request per group-version, fetched on first use and
 * again once on a miss (a CRD may have been created since).
 */
import type { RestClient } from './rest.js';

export interface ResourceMapping {
  group: string;
  version: string;
  /** Plural resource name, e.g. configmaps. */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
  singularName?: string;
  shortNames?: string[];
}

export class UnknownKindError extends Error {}

/** CustomResourceDefinitions: every API server serves them, so installers need no discovery. */
export const crdMapping: ResourceMapping = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  namespaced: false,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
};

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export class RestMapper {
  private readonly cache = new Map<string, Promise<ApiResource[] | undefined>>();

  constructor(private readonly rest: RestClient) {}

  private groupVersion(apiVersion: string, refresh = false): Promise<ApiResource[] | undefined> {
    let p = refresh ? undefined : this.cache.get(apiVersion);
    if (!p) {
      const { group, version } = splitApiVersion(apiVersion);
      const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
      p = this.rest.request({ method: 'GET', path }).then((r) => {
        if (r.status === 404) return undefined;
        if (r.status !== 200) throw new Error(`discovery GET ${path}: HTTP ${r.status}`);
        const list = JSON.parse(r.body) as { resources?: ApiResource[] };
        return (list.resources ?? []).filter((x) => !x.name.includes('/'));
      });
      p.catch(() => this.cache.delete(apiVersion));
      this.cache.set(apiVersion, p);
    }
    return p;
  }

  /** Mapping for a kind (`ConfigMap`) or a resource name (`configmaps`, `cm`) in an apiVersion. */
  async resolve(apiVersion: string, kindOrResource: string): Promise<ResourceMapping> {
    const find = (list: ApiResource[] | undefined) => {
      if (!list) return undefined;
      const k = kindOrResource.toLowerCase();
      return (
        list.find((r) => r.kind === kindOrResource) ??
        list.find(
          (r) =>
            r.name === k || r.singularName === k || r.kind.toLowerCase() === k || r.shortNames?.includes(k),
        )
      );
    };
    let hit = find(await this.groupVersion(apiVersion));
    if (!hit) hit = find(await this.groupVersion(apiVersion, true));
    if (!hit) throw new UnknownKindError(`the server does not serve "${kindOrResource}" in ${apiVersion}`);
    const { group, version } = splitApiVersion(apiVersion);
    return {
      group,
      version,
      resource: hit.name,
      kind: hit.kind,
      namespaced: hit.namespaced,
      verbs: hit.verbs ?? [],
    };
  }

  invalidate(): void {
    this.cache.clear();
  }
}

/** `/api/v1/namespaces/ns/configmaps` (namespace ignored for cluster-scoped resources; omitted = all namespaces). */
export function collectionPath(m: ResourceMapping, namespace?: string): string {
  const base = m.group ? `/apis/${m.group}/${m.version}` : `/api/${m.version}`;
  return m.namespaced && namespace
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${m.resource}`
    : `${base}/${m.resource}`;
}

export function objectPath(m: ResourceMapping, namespace: string | undefined, name: string): string {
  return `${collectionPath(m, namespace)}/${encodeURIComponent(name)}`;
}

export function apiVersionOf(m: ResourceMapping): string {
  return m.group ? `${m.group}/${m.version}` : m.version;
}
