/**
 * OpenAPI documents built from the type table (src/cluster/types) and the served resources:
 * `/openapi/v2` (one Swagger 2.0 document) and `/openapi/v3` (an index of per-group-version
 * documents addressed by `?hash=`), shaped like kube-apiserver's: definitions named like
 * `io.k8s.api.core.v1.ConfigMap`, `x-kubernetes-group-version-kind`, operations with
 * `x-kubernetes-action` and their query parameters (kubectl looks for `fieldValidation` on PATCH
 * to decide on server-side validation; `kubectl explain` walks the schemas). Custom resources are
 * published while their CRD is established (they are in the registry) and gone once it is deleted.
 * Documents are rebuilt only when the registry changes.
 */
import { documentHash } from '../api/discovery.js';
import type { ResourceRegistry, ResourceType } from '../api/resources.js';
import type { Schema as CrdSchema } from '../crd/schema.js';
import { definitionFor, message, type FieldInfo } from '../types/index.js';
import { serverVersion } from '../version.js';
import { swaggerToProto } from './openapi-v2-proto.js';

type Json = Record<string, unknown>;
type Flavour = 'v2' | 'v3';

const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const typeMetaDescriptions = {
  apiVersion:
    'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
  kind: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
};

const ref = (name: string, flavour: Flavour): Json =>
  flavour === 'v2' ? { $ref: `#/definitions/${name}` } : { $ref: `#/components/schemas/${name}` };

function scalarSchema(t: string): Json {
  switch (t) {
    case 'string':
      return { type: 'string' };
    case 'bytes':
      return { type: 'string', format: 'byte' };
    case 'bool':
      return { type: 'boolean' };
    case 'int32':
    case 'uint32':
      return { type: 'integer', format: 'int32' };
    case 'int64':
    case 'uint64':
      return { type: 'integer', format: 'int64' };
    default:
      return { type: 'number', format: 'double' };
  }
}

/** Schema of one element type; message types are references (collected into `need`). */
function elemSchema(elem: string, flavour: Flavour, need: Set<string>): Json {
  const m = message(elem);
  if (!m) return scalarSchema(elem);
  if (m.special === 'stringlist') return { type: 'array', items: { type: 'string' } };
  need.add(elem);
  return ref(elem, flavour);
}

function fieldSchema(f: FieldInfo, flavour: Flavour, need: Set<string>): Json {
  let s: Json;
  if (f.map) s = { type: 'object', additionalProperties: elemSchema(f.elem, flavour, need) };
  else if (f.repeated) s = { type: 'array', items: elemSchema(f.elem, flavour, need) };
  else {
    const e = elemSchema(f.elem, flavour, need);
    // v3 keeps a description beside a reference through allOf, as kube-openapi writes it.
    s = e.$ref && flavour === 'v3' ? { allOf: [e] } : { ...e };
  }
  if (f.description) s.description = f.description;
  const x = f.extra;
  if (x.listType) s['x-kubernetes-list-type'] = x.listType;
  if (x.listMapKeys) s['x-kubernetes-list-map-keys'] = x.listMapKeys;
  if (x.patchMergeKey) s['x-kubernetes-patch-merge-key'] = x.patchMergeKey;
  if (x.patchStrategy) s['x-kubernetes-patch-strategy'] = x.patchStrategy;
  return s;
}

function specialDefinition(name: string, flavour: Flavour, description: string): Json | undefined {
  const m = message(name)!;
  const d = description ? { description } : {};
  switch (m.special) {
    case 'time':
    case 'microtime':
      return { ...d, type: 'string', format: 'date-time' };
    case 'duration':
      return { ...d, type: 'string' };
    case 'quantity':
      return flavour === 'v2'
        ? { ...d, type: 'string' }
        : { ...d, oneOf: [{ type: 'string' }, { type: 'number' }] };
    case 'intorstring':
      return flavour === 'v2'
        ? { ...d, type: 'string', format: 'int-or-string' }
        : { ...d, anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
    case 'rawjson':
    case 'fieldsv1':
      return { ...d, type: 'object' };
    case 'schemaOrArray':
    case 'schemaOrBool':
    case 'schemaOrStringArray':
      return d;
    default:
      return undefined;
  }
}

type Gvk = { group: string; kind: string; version: string };

/** Definition of a message type; kinds get apiVersion/kind and their group/version/kinds. */
function definition(name: string, flavour: Flavour, need: Set<string>, gvks: Map<string, Gvk[]>): Json {
  const m = message(name)!;
  const special = specialDefinition(name, flavour, m.description);
  if (special) return special;
  const def: Json = {};
  if (m.description) def.description = m.description;
  const required = m.json.filter((f) => f.extra.required).map((f) => f.name);
  if (required.length) def.required = required;
  def.type = 'object';
  const props: Json = {};
  if (m.typeMeta || gvks.has(name)) {
    props.apiVersion = { description: typeMetaDescriptions.apiVersion, type: 'string' };
    props.kind = { description: typeMetaDescriptions.kind, type: 'string' };
  }
  for (const f of m.json) props[f.name] = fieldSchema(f, flavour, need);
  // Go's encoding/json writes map keys sorted: so do the real documents.
  def.properties = Object.fromEntries(Object.entries(props).sort(([a], [b]) => (a < b ? -1 : 1)));
  const g = gvks.get(name);
  if (g?.length) def['x-kubernetes-group-version-kind'] = g;
  return def;
}

// ---------------------------------------------------------------------------------------------
// Custom resources

/** `example.com` + `v1` + `Widget` → `com.example.v1.Widget`, as the apiextensions server names them. */
export function crdDefinitionName(rt: ResourceType, kind = rt.kind): string {
  return `${rt.group.split('.').reverse().join('.')}.${rt.version}.${kind}`;
}

function crdSchema(s: CrdSchema | undefined, flavour: Flavour): Json {
  const copy = JSON.parse(JSON.stringify(s ?? { type: 'object' })) as Json;
  if (flavour === 'v2') {
    // Swagger 2.0 has no nullable; kube-apiserver drops it (and the v3-only keywords) for v2.
    const strip = (o: unknown): void => {
      if (!o || typeof o !== 'object') return;
      for (const k of ['nullable', 'oneOf', 'anyOf', 'not', 'x-kubernetes-validations'])
        delete (o as Json)[k];
      for (const v of Object.values(o as Json)) strip(v);
    };
    strip(copy);
  }
  return copy;
}

function crdDefinitions(rt: ResourceType, flavour: Flavour, need: Set<string>): [string, Json][] {
  const gvk = (kind: string): Gvk[] => [{ group: rt.group, kind, version: rt.version }];
  const base = crdSchema(rt.schema, flavour);
  const props = { ...((base.properties as Json | undefined) ?? {}) };
  props.apiVersion = { description: typeMetaDescriptions.apiVersion, type: 'string' };
  props.kind = { description: typeMetaDescriptions.kind, type: 'string' };
  need.add(`${meta}.ObjectMeta`).add(`${meta}.ListMeta`);
  const metaRef = ref(`${meta}.ObjectMeta`, flavour);
  props.metadata = flavour === 'v3' ? { allOf: [metaRef] } : metaRef;
  const obj: Json = {
    ...base,
    properties: Object.fromEntries(Object.entries(props).sort(([a], [b]) => (a < b ? -1 : 1))),
    'x-kubernetes-group-version-kind': gvk(rt.kind),
  };
  const itemRef = ref(crdDefinitionName(rt), flavour);
  const listMeta = ref(`${meta}.ListMeta`, flavour);
  const list: Json = {
    description: `${rt.kind}List is a list of ${rt.kind}`,
    required: ['items'],
    type: 'object',
    properties: {
      apiVersion: { description: typeMetaDescriptions.apiVersion, type: 'string' },
      items: {
        description: `List of ${rt.plural}. More info: https://git.k8s.io/community/contributors/devel/kubernetes-dev.md`,
        type: 'array',
        items: itemRef,
      },
      kind: { description: typeMetaDescriptions.kind, type: 'string' },
      metadata:
        flavour === 'v3'
          ? { allOf: [listMeta], description: 'Standard list metadata' }
          : { ...listMeta, description: 'Standard list metadata' },
    },
    'x-kubernetes-group-version-kind': gvk(rt.listKind),
  };
  return [
    [crdDefinitionName(rt), obj],
    [crdDefinitionName(rt, rt.listKind), list],
  ];
}

// ---------------------------------------------------------------------------------------------
// Paths

interface Param {
  name: string;
  in: 'query' | 'path';
  description: string;
  type: string;
  required?: boolean;
}

const q = (name: string, type: string, description: string): Param => ({
  name,
  in: 'query',
  type,
  description,
});
const P = {
  pretty: q('pretty', 'string', "If 'true', then the output is pretty printed."),
  dryRun: q(
    'dryRun',
    'string',
    'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed',
  ),
  fieldManager: q(
    'fieldManager',
    'string',
    'fieldManager is a name associated with the actor or entity that is making these changes.',
  ),
  fieldValidation: q(
    'fieldValidation',
    'string',
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict',
  ),
  force: q('force', 'boolean', 'Force is going to "force" Apply requests.'),
  gracePeriodSeconds: q(
    'gracePeriodSeconds',
    'integer',
    'The duration in seconds before the object should be deleted.',
  ),
  orphanDependents: q('orphanDependents', 'boolean', 'Deprecated: please use the PropagationPolicy.'),
  propagationPolicy: q(
    'propagationPolicy',
    'string',
    "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'.",
  ),
  allowWatchBookmarks: q(
    'allowWatchBookmarks',
    'boolean',
    'allowWatchBookmarks requests watch events with type "BOOKMARK".',
  ),
  continue: q(
    'continue',
    'string',
    'The continue option should be set when retrieving more results from the server.',
  ),
  fieldSelector: q(
    'fieldSelector',
    'string',
    'A selector to restrict the list of returned objects by their fields.',
  ),
  labelSelector: q(
    'labelSelector',
    'string',
    'A selector to restrict the list of returned objects by their labels.',
  ),
  limit: q('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  resourceVersion: q(
    'resourceVersion',
    'string',
    'resourceVersion sets a constraint on what resource versions a request may be served from.',
  ),
  resourceVersionMatch: q(
    'resourceVersionMatch',
    'string',
    'resourceVersionMatch determines how resourceVersion is applied to list calls.',
  ),
  sendInitialEvents: q(
    'sendInitialEvents',
    'boolean',
    '`sendInitialEvents=true` may be set together with `watch=true`.',
  ),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  watch: q(
    'watch',
    'boolean',
    'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.',
  ),
};
const listParams = [
  P.allowWatchBookmarks,
  P.continue,
  P.fieldSelector,
  P.labelSelector,
  P.limit,
  P.resourceVersion,
  P.resourceVersionMatch,
  P.sendInitialEvents,
  P.timeoutSeconds,
  P.watch,
];
const pathParam = (name: string, description: string): Param => ({
  name,
  in: 'path',
  type: 'string',
  description,
  required: true,
});

function paramJson(p: Param, flavour: Flavour): Json {
  const base: Json = { name: p.name, in: p.in, description: p.description };
  if (p.required) base.required = true;
  if (flavour === 'v2') return { ...base, type: p.type, uniqueItems: true };
  return { ...base, schema: { type: p.type, uniqueItems: true } };
}

const mediaTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const patchTypes = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

function camelGroup(group: string): string {
  if (!group) return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split('.')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

function tagOf(rt: ResourceType): string {
  const g = camelGroup(rt.group);
  return `${g.charAt(0).toLowerCase()}${g.slice(1)}_${rt.version}`;
}

type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';

interface OpSpec {
  action: string;
  /** operationId before `<Group><Version>`: read, list, create, … */
  verb: string;
  /** operationId after the kind (Status, Scale, ForAllNamespaces) and before it (Collection). */
  suffix?: string;
  prefix?: string;
  description: string;
  params: Param[];
  body?: string;
  response: string;
  codes: number[];
  gvk: Gvk;
}

function operation(o: OpSpec, rt: ResourceType, flavour: Flavour, need: Set<string>): Json {
  need.add(o.response);
  const consumes = o.body === 'patch' ? patchTypes : ['*/*'];
  const ns = rt.namespaced && o.suffix !== 'ForAllNamespaces' ? 'Namespaced' : '';
  const V = rt.version.charAt(0).toUpperCase() + rt.version.slice(1);
  const op: Json = { tags: [tagOf(rt)], description: o.description };
  if (flavour === 'v2') {
    op.consumes = consumes;
    op.produces = mediaTypes;
  }
  op.operationId = `${o.verb}${camelGroup(rt.group)}${V}${o.prefix ?? ''}${ns}${rt.kind}${o.suffix ?? ''}`;
  const params = o.params.map((p) => paramJson(p, flavour));
  if (o.body) {
    if (o.body !== 'patch') need.add(o.body);
    const schema = o.body === 'patch' ? { type: 'object' } : ref(o.body, flavour);
    if (flavour === 'v2') params.unshift({ name: 'body', in: 'body', required: true, schema });
    else
      op.requestBody = { content: Object.fromEntries(consumes.map((c) => [c, { schema }])), required: true };
  }
  if (params.length) op.parameters = params;
  const responses: Json = {};
  const schema = ref(o.response, flavour);
  for (const code of o.codes) {
    const text = code === 200 ? 'OK' : code === 201 ? 'Created' : 'Accepted';
    responses[code] =
      flavour === 'v2'
        ? { description: text, schema }
        : { description: text, content: Object.fromEntries(mediaTypes.map((m) => [m, { schema }])) };
  }
  responses['401'] = { description: 'Unauthorized' };
  op.responses = responses;
  if (flavour === 'v2') op.schemes = ['https'];
  op['x-kubernetes-action'] = o.action;
  op['x-kubernetes-group-version-kind'] = o.gvk;
  return op;
}

const writeParams = [P.dryRun, P.fieldManager, P.fieldValidation];
const patchParams = [...writeParams, P.force];
const deleteParams = [P.dryRun, P.gracePeriodSeconds, P.orphanDependents, P.propagationPolicy];
const deleteCollectionParams = [
  P.continue,
  P.dryRun,
  P.fieldSelector,
  P.gracePeriodSeconds,
  P.labelSelector,
  P.limit,
  P.orphanDependents,
  P.propagationPolicy,
  P.resourceVersion,
  P.resourceVersionMatch,
  P.sendInitialEvents,
  P.timeoutSeconds,
];

/** The paths of one resource: collection, object, all-namespaces list, status and scale. */
function resourcePaths(rt: ResourceType, flavour: Flavour, need: Set<string>, paths: Json): void {
  const def = rt.custom ? crdDefinitionName(rt) : definitionFor(rt.groupVersion, rt.kind);
  const listDef = rt.custom
    ? crdDefinitionName(rt, rt.listKind)
    : definitionFor(rt.groupVersion, rt.listKind);
  if (!def) return;
  const prefix = rt.group ? `/apis/${rt.groupVersion}` : `/api/${rt.version}`;
  const gvk: Gvk = { group: rt.group, kind: rt.kind, version: rt.version };
  const kind = rt.kind;
  const status = `${meta}.Status`;
  const deleteOptions = `${meta}.DeleteOptions`;
  const nsParam = pathParam('namespace', 'object name and auth scope, such as for teams and projects');
  const nameParam = pathParam('name', `name of the ${kind}`);
  const collection = rt.namespaced
    ? `${prefix}/namespaces/{namespace}/${rt.plural}`
    : `${prefix}/${rt.plural}`;
  const scope = rt.namespaced ? [nsParam] : [];
  // [method, the resource verb it needs (false: none), spec]
  type Op = [Method, string | false, OpSpec];
  const spec = (
    action: string,
    verb: string,
    description: string,
    params: Param[],
    response: string,
    codes: number[],
    extra: Partial<OpSpec> = {},
  ): OpSpec => ({ action, verb, description, params, response, codes, gvk, ...extra });
  const add = (path: string, pathParams: Param[], ops: Op[]): void => {
    const item: Json = {};
    for (const [method, verb, o] of ops) {
      if (verb === false || rt.verbs.includes(verb)) item[method] = operation(o, rt, flavour, need);
    }
    if (!Object.keys(item).length) return;
    item.parameters = [...pathParams, P.pretty].map((p) => paramJson(p, flavour));
    paths[path] = item;
  };
  const listDesc = `list or watch objects of kind ${kind}`;
  const collectionOps: Op[] = [
    [
      'post',
      'create',
      spec('post', 'create', `create a ${kind}`, writeParams, def, [200, 201, 202], { body: def }),
    ],
    [
      'delete',
      'deletecollection',
      spec(
        'deletecollection',
        'delete',
        `delete collection of ${kind}`,
        deleteCollectionParams,
        status,
        [200],
        {
          prefix: 'Collection',
          body: deleteOptions,
        },
      ),
    ],
  ];
  if (listDef)
    collectionOps.unshift(['get', 'list', spec('list', 'list', listDesc, listParams, listDef, [200])]);
  add(collection, scope, collectionOps);
  add(
    `${collection}/{name}`,
    [nameParam, ...scope],
    [
      ['get', 'get', spec('get', 'read', `read the specified ${kind}`, [], def, [200])],
      [
        'put',
        'update',
        spec('put', 'replace', `replace the specified ${kind}`, writeParams, def, [200, 201], { body: def }),
      ],
      [
        'delete',
        'delete',
        spec('delete', 'delete', `delete a ${kind}`, deleteParams, status, [200, 202], {
          body: deleteOptions,
        }),
      ],
      [
        'patch',
        'patch',
        spec('patch', 'patch', `partially update the specified ${kind}`, patchParams, def, [200, 201], {
          body: 'patch',
        }),
      ],
    ],
  );
  if (rt.namespaced && listDef && rt.verbs.includes('list')) {
    add(`${prefix}/${rt.plural}`, listParams, [
      ['get', false, spec('list', 'list', listDesc, [], listDef, [200], { suffix: 'ForAllNamespaces' })],
    ]);
  }
  const subs: [string, string, Gvk][] = [];
  if (rt.subresources.scale) {
    subs.push([
      'scale',
      'io.k8s.api.autoscaling.v1.Scale',
      { group: 'autoscaling', kind: 'Scale', version: 'v1' },
    ]);
  }
  if (rt.subresources.status) subs.push(['status', def, gvk]);
  for (const [sub, subDef, subGvk] of subs) {
    const x = { suffix: sub.charAt(0).toUpperCase() + sub.slice(1), gvk: subGvk };
    add(
      `${collection}/{name}/${sub}`,
      [nameParam, ...scope],
      [
        ['get', false, spec('get', 'read', `read ${sub} of the specified ${kind}`, [], subDef, [200], x)],
        [
          'put',
          false,
          spec('put', 'replace', `replace ${sub} of the specified ${kind}`, writeParams, subDef, [200, 201], {
            ...x,
            body: subDef,
          }),
        ],
        [
          'patch',
          false,
          spec(
            'patch',
            'patch',
            `partially update ${sub} of the specified ${kind}`,
            patchParams,
            subDef,
            [200, 201],
            { ...x, body: 'patch' },
          ),
        ],
      ],
    );
  }
}

/** Kinds of one group/version as x-kubernetes-group-version-kind lists (meta kinds: every GV). */
function gvksOf(types: ResourceType[], into: Map<string, Gvk[]>): void {
  const add = (name: string | undefined, g: Gvk): void => {
    if (!name) return;
    const list = into.get(name) ?? [];
    if (!list.some((x) => x.group === g.group && x.version === g.version && x.kind === g.kind)) list.push(g);
    into.set(name, list);
  };
  for (const rt of types) {
    if (rt.custom) continue;
    add(definitionFor(rt.groupVersion, rt.kind), { group: rt.group, kind: rt.kind, version: rt.version });
    add(definitionFor(rt.groupVersion, rt.listKind), {
      group: rt.group,
      kind: rt.listKind,
      version: rt.version,
    });
    add(`${meta}.DeleteOptions`, { group: rt.group, kind: 'DeleteOptions', version: rt.version });
    add(`${meta}.WatchEvent`, { group: rt.group, kind: 'WatchEvent', version: rt.version });
    if (rt.subresources.scale)
      add('io.k8s.api.autoscaling.v1.Scale', { group: 'autoscaling', kind: 'Scale', version: 'v1' });
  }
  add(`${meta}.Status`, { group: '', kind: 'Status', version: 'v1' });
}

function sortedObject(o: Json): Json {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Definitions for everything `need` reaches (transitively), in name order. */
function closure(
  need: Set<string>,
  flavour: Flavour,
  gvks: Map<string, Gvk[]>,
  extra: [string, Json][],
): Json {
  const defs: Json = {};
  for (const [k, v] of extra) defs[k] = v;
  const queue = [...need];
  while (queue.length) {
    const name = queue.pop()!;
    if (name in defs) continue;
    if (!message(name)) {
      if (name === `${meta}.Patch`)
        defs[name] = {
          description:
            'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
          type: 'object',
        };
      continue;
    }
    const more = new Set<string>();
    defs[name] = definition(name, flavour, more, gvks);
    for (const n of more) if (!(n in defs)) queue.push(n);
  }
  return sortedObject(defs);
}

// ---------------------------------------------------------------------------------------------

export interface OpenApiDoc {
  body: string;
  etag: string;
}

function docOf(value: unknown): OpenApiDoc {
  const body = JSON.stringify(value);
  return { body, etag: documentHash(body) };
}

const info = { title: 'Kubernetes', version: serverVersion.gitVersion.replace(/\+.*$/, '') };

export class OpenApi {
  private builtAt = -1;
  private v3Docs = new Map<string, OpenApiDoc>();
  private v2Doc?: OpenApiDoc;
  private v2Value?: Json;
  private v2Proto?: Buffer;
  private v3Index?: string;

  constructor(private readonly registry: ResourceRegistry) {}

  private fresh(): void {
    if (this.builtAt === this.registry.generation) return;
    this.builtAt = this.registry.generation;
    this.v3Docs.clear();
    this.v2Doc = undefined;
    this.v2Value = undefined;
    this.v2Proto = undefined;
    this.v3Index = undefined;
  }

  /** Path keys of the v3 index: discovery paths plus one per served group/version. */
  private v3Paths(): string[] {
    const gvs = this.registry.groupVersions();
    const groups = new Set(gvs.filter((gv) => gv.includes('/')).map((gv) => gv.split('/')[0]!));
    const keys = ['.well-known/openid-configuration', 'api', 'apis', 'logs', 'openid/v1/jwks', 'version'];
    for (const gv of gvs) keys.push(gv.includes('/') ? `apis/${gv}` : `api/${gv}`);
    for (const g of groups) keys.push(`apis/${g}`);
    return keys.sort();
  }

  private buildV3(path: string): OpenApiDoc | undefined {
    const gv = path.startsWith('apis/') ? path.slice(5) : path.startsWith('api/') ? path.slice(4) : undefined;
    const types =
      gv && gv.includes('/') !== path.startsWith('api/') ? this.registry.groupVersion(gv) : undefined;
    const need = new Set<string>();
    const paths: Json = {};
    const extra: [string, Json][] = [];
    const gvks = new Map<string, Gvk[]>();
    if (types) {
      gvksOf(types, gvks);
      paths[`/${path}/`] = {
        get: {
          tags: [types[0] ? tagOf(types[0]) : 'core_v1'],
          description: 'get available resources',
          operationId: `get${camelGroup(types[0]?.group ?? '')}${gv!
            .split('/')
            .pop()!
            .replace(/^./, (c) => c.toUpperCase())}APIResources`,
          responses: {
            '200': {
              description: 'OK',
              content: Object.fromEntries(
                mediaTypes.map((m) => [m, { schema: ref(`${meta}.APIResourceList`, 'v3') }]),
              ),
            },
            '401': { description: 'Unauthorized' },
          },
        },
      };
      need.add(`${meta}.APIResourceList`);
      for (const rt of [...types].sort((a, b) => (a.plural < b.plural ? -1 : 1))) {
        resourcePaths(rt, 'v3', need, paths);
        if (rt.custom) extra.push(...crdDefinitions(rt, 'v3', need));
      }
    } else if (!this.v3Paths().includes(path)) return undefined;
    return docOf({
      openapi: '3.0.0',
      info,
      paths: sortedObject(paths),
      components: { schemas: closure(need, 'v3', gvks, extra) },
    });
  }

  /** GET /openapi/v3 and /openapi/v3/<path>[?hash=]. */
  v3(
    path: string,
    hash: string | null,
  ): { code: number; body: string; contentType: string; headers: Record<string, string> } | undefined {
    this.fresh();
    if (path === '') {
      this.v3Index ??= JSON.stringify({
        paths: Object.fromEntries(
          this.v3Paths().map((p) => [
            p,
            { serverRelativeURL: `/openapi/v3/${p}?hash=${this.v3Doc(p)!.etag}` },
          ]),
        ),
      });
      return { code: 200, body: this.v3Index, contentType: 'text/plain; charset=utf-8', headers: {} };
    }
    const doc = this.v3Doc(path);
    if (!doc) return undefined;
    const etag = `"${doc.etag}"`;
    if (hash !== null && hash !== doc.etag) {
      return {
        code: 301,
        body: '',
        contentType: 'application/json',
        headers: { ETag: etag, Location: `/openapi/v3/${path}?hash=${doc.etag}`, Vary: 'Accept' },
      };
    }
    const headers: Record<string, string> = { ETag: etag, Vary: 'Accept' };
    if (hash !== null) {
      headers['Cache-Control'] = 'public, immutable';
      headers.Expires = new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString();
    }
    return { code: 200, body: doc.body, contentType: 'application/json', headers };
  }

  private v3Doc(path: string): OpenApiDoc | undefined {
    let d = this.v3Docs.get(path);
    if (!d) {
      d = this.buildV3(path);
      if (d) this.v3Docs.set(path, d);
    }
    return d;
  }

  /** GET /openapi/v2: every served path and definition in one Swagger 2.0 document. */
  v2(): OpenApiDoc {
    this.fresh();
    if (!this.v2Doc) {
      const need = new Set<string>();
      const paths: Json = {};
      const extra: [string, Json][] = [];
      const gvks = new Map<string, Gvk[]>();
      const all = this.registry
        .all()
        .sort((a, b) => (a.groupVersion + a.plural < b.groupVersion + b.plural ? -1 : 1));
      gvksOf(all, gvks);
      for (const rt of all) {
        resourcePaths(rt, 'v2', need, paths);
        if (rt.custom) extra.push(...crdDefinitions(rt, 'v2', need));
      }
      this.v2Value = {
        swagger: '2.0',
        info,
        paths: sortedObject(paths),
        definitions: closure(need, 'v2', gvks, extra),
        securityDefinitions: {
          BearerToken: {
            description: 'Bearer Token authentication',
            type: 'apiKey',
            name: 'authorization',
            in: 'header',
          },
        },
        security: [{ BearerToken: [] }],
      };
      this.v2Doc = docOf(this.v2Value);
    }
    return this.v2Doc;
  }

  /** The same document as gnostic's protobuf Document (same ETag, as the real server). */
  v2Protobuf(): { body: Buffer; etag: string } {
    const doc = this.v2();
    this.v2Proto ??= swaggerToProto(this.v2Value!);
    return { body: this.v2Proto, etag: doc.etag };
  }
}
