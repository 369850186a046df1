/**
 * Discovery documents: legacy APIVersions / APIGroupList / APIGroup / APIResourceList and aggregated
 * discovery v2beta1 (what kubectl 1.28 and 1.33 negotiate). Rebuilt only when the registry changes.
 */
import { createHash } from 'node:crypto';
import { builtinGroupVersions, type ResourceRegistry, type ResourceType } from './resources.js';
import { servesSubresource } from './subresources.js';

export const aggregatedContentType =
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

export interface DiscoveryDoc {
  body: string;
  contentType: string;
  etag?: string;
}

function scopeOf(t: ResourceType): string {
  return t.namespaced ? 'Namespaced' : 'Cluster';
}

/** discovery.StorageVersionHash: base64 of the first 8 bytes of sha256("group/version/kind"). */
export function storageVersionHash(t: ResourceType): string | undefined {
  if (t.storageVersion === null) return undefined;
  const gvk = `${t.group}/${t.storageVersion ?? t.version}/${t.kind}`;
  return createHash('sha256').update(gvk).digest().subarray(0, 8).toString('base64');
}

interface Sub {
  name: string;
  verbs: string[];
  kind: string;
  group?: string;
  version?: string;
}

/** Served subresources in name order, as the real server lists them. */
function subresourcesOf(t: ResourceType): Sub[] {
  const subs: Sub[] = [];
  if (t.subresources.status) subs.push({ name: 'status', verbs: ['get', 'patch', 'update'], kind: t.kind });
  if (t.subresources.scale) {
    subs.push({
      name: 'scale',
      verbs: ['get', 'patch', 'update'],
      kind: 'Scale',
      group: 'autoscaling',
      version: 'v1',
    });
  }
  for (const x of t.extraSubresources ?? []) {
    if (servesSubresource(t, x.name)) subs.push({ ...x, kind: x.kind ?? t.kind });
  }
  return subs.sort((a, b) => (a.name < b.name ? -1 : 1));
}

const byPlural = (a: ResourceType, b: ResourceType) =>
  a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0;

function legacyEntries(types: ResourceType[]): unknown[] {
  const out: unknown[] = [];
  for (const t of [...types].sort(byPlural)) {
    const e: Record<string, unknown> = {
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
    };
    if (t.shortNames?.length) e.shortNames = t.shortNames;
    if (t.categories?.length) e.categories = t.categories;
    const hash = storageVersionHash(t);
    if (hash) e.storageVersionHash = hash;
    out.push(e);
    for (const sub of subresourcesOf(t)) {
      const se: Record<string, unknown> = {
        name: `${t.plural}/${sub.name}`,
        singularName: '',
        namespaced: t.namespaced,
      };
      if (sub.group !== undefined) {
        se.group = sub.group;
        se.version = sub.version;
      }
      se.kind = sub.kind;
      se.verbs = sub.verbs;
      out.push(se);
    }
  }
  return out;
}

function aggregatedResource(t: ResourceType): unknown {
  const r: Record<string, unknown> = {
    resource: t.plural,
    responseKind: { group: '', version: '', kind: t.kind },
    scope: scopeOf(t),
    singularResource: t.singular,
    verbs: t.verbs,
  };
  if (t.shortNames?.length) r.shortNames = t.shortNames;
  if (t.categories?.length) r.categories = t.categories;
  const subs = subresourcesOf(t).map((sub) => ({
    subresource: sub.name,
    responseKind: { group: sub.group ?? '', version: sub.version ?? '', kind: sub.kind },
    verbs: sub.verbs,
  }));
  if (subs.length) r.subresources = subs;
  return r;
}

/** kube-apiserver's hash of a served document (`%X` of sha512): discovery ETags, OpenAPI hashes. */
export function documentHash(body: string): string {
  return createHash('sha512').update(body).digest('hex').toUpperCase();
}

function etagOf(body: string): string {
  return `"${documentHash(body)}"`;
}

export class Discovery {
  private cache = new Map<string, DiscoveryDoc>();
  private builtAt = -1;

  constructor(
    private readonly registry: ResourceRegistry,
    private readonly serverAddress: () => string,
  ) {}

  private fresh(): void {
    if (this.builtAt !== this.registry.generation) {
      this.cache.clear();
      this.builtAt = this.registry.generation;
    }
  }

  private memo(key: string, build: () => DiscoveryDoc | undefined): DiscoveryDoc | undefined {
    this.fresh();
    const hit = this.cache.get(key);
    if (hit) return hit;
    const doc = build();
    if (doc) this.cache.set(key, doc);
    return doc;
  }

  /** Groups (not core) in discovery order: built-ins first, then CRD groups by name. */
  private groups(): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    const gvs = this.registry.groupVersions().filter((gv) => gv.includes('/'));
    const order = (gv: string) => {
      const i = builtinGroupVersions.indexOf(gv);
      return i < 0 ? 1000 : i;
    };
    gvs.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
    for (const gv of gvs) {
      const [g, v] = gv.split('/') as [string, string];
      const list = groups.get(g) ?? [];
      list.push(v);
      groups.set(g, list);
    }
    for (const list of groups.values()) list.sort(compareVersions);
    return groups;
  }

  api(aggregated: boolean): DiscoveryDoc {
    return this.memo(`api:${aggregated}`, () => {
      if (!aggregated) {
        const body = JSON.stringify({
          kind: 'APIVersions',
          versions: ['v1'],
          serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: this.serverAddress() }],
        });
        return { body, contentType: 'application/json' };
      }
      const types = this.registry.groupVersion('v1') ?? [];
      const body = JSON.stringify({
        kind: 'APIGroupDiscoveryList',
        apiVersion: 'apidiscovery.k8s.io/v2beta1',
        metadata: {},
        items: [
          {
            metadata: { creationTimestamp: null },
            versions: [
              {
                version: 'v1',
                resources: [...types].sort(byPlural).map(aggregatedResource),
                freshness: 'Current',
              },
            ],
          },
        ],
      });
      return { body, contentType: aggregatedContentType, etag: etagOf(body) };
    })!;
  }

  apis(aggregated: boolean): DiscoveryDoc {
    return this.memo(`apis:${aggregated}`, () => {
      const groups = this.groups();
      if (!aggregated) {
        const list = [...groups].map(([name, versions]) => ({
          name,
          versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
          preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
        }));
        return {
          body: JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups: list }),
          contentType: 'application/json',
        };
      }
      const items = [...groups].map(([name, versions]) => ({
        metadata: { name, creationTimestamp: null },
        versions: versions.map((v) => ({
          version: v,
          resources: [...(this.registry.groupVersion(`${name}/${v}`) ?? [])]
            .sort(byPlural)
            .map(aggregatedResource),
          freshness: 'Current',
        })),
      }));
      const body = JSON.stringify({
        kind: 'APIGroupDiscoveryList',
        apiVersion: 'apidiscovery.k8s.io/v2beta1',
        metadata: {},
        items,
      });
      return { body, contentType: aggregatedContentType, etag: etagOf(body) };
    })!;
  }

  group(name: string): DiscoveryDoc | undefined {
    return this.memo(`group:${name}`, () => {
      const versions = this.groups().get(name);
      if (!versions) return undefined;
      const body = JSON.stringify({
        kind: 'APIGroup',
        apiVersion: 'v1',
        name,
        versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      });
      return { body, contentType: 'application/json' };
    });
  }

  resources(gv: string): DiscoveryDoc | undefined {
    return this.memo(`res:${gv}`, () => {
      const types = this.registry.groupVersion(gv);
      if (!types) return undefined;
      const doc: Record<string, unknown> = { kind: 'APIResourceList' };
      if (gv.includes('/')) doc.apiVersion = 'v1';
      doc.groupVersion = gv;
      doc.resources = legacyEntries(types);
      return { body: JSON.stringify(doc), contentType: 'application/json' };
    });
  }
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0, v] as const;
    return [
      1,
      m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1,
      Number(m[1]) * 1000 + Number(m[3] ?? 0),
      v,
    ] as const;
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa[0] !== pb[0]) return pb[0] - pa[0];
  if (pa[1] !== pb[1]) return pb[1] - pa[1];
  if (pa[2] !== pb[2]) return pb[2] - pa[2];
  return a.localeCompare(b);
}

/** Whether the Accept header asks for aggregated discovery v2beta1 (v2 alone is not served). */
export function wantsAggregated(accept: string | undefined): 'aggregated' | 'legacy' | 'none' {
  if (!accept) return 'legacy';
  let legacyOk = false;
  for (const part of accept.split(',')) {
    const p = part.replace(/\s+/g, '').toLowerCase();
    if (p.includes('as=apigroupdiscoverylist')) {
      if (p.includes('v=v2beta1')) return 'aggregated';
      continue;
    }
    if (p.startsWith('application/json') || p.startsWith('*/*') || p.startsWith('application/*'))
      legacyOk = true;
  }
  return legacyOk ? 'legacy' : 'none';
}
