/**
 * Gateway API CRDs as kubeperf installs them when a target lacks them: GatewayClass, Gateway and
 * HTTPRoute (gateway.networking.k8s.io/v1) and ReferenceGrant (v1beta1), each with a status
 * subresource. Written here, not copied: the structure, names, printer columns, defaults, enums and
 * limits follow the standard-channel v1.3.0 CRDs for the fields the attached-routes tests and the
 * simulated controller use (parentRefs, hostnames, path matches, backendRefs, allowedRoutes,
 * listener status, route parent status); parts nobody here reads (TLS, filters, timeouts,
 * infrastructure, parametersRef) are kept schemaless so real manifests still apply. The
 * CEL validations and the status defaults of the upstream CRDs are left out (docs/gateway.md).
 */
import type { KubeObject } from '../kube/client.js';
import { GATEWAY_GROUP } from './resources.js';

type S = Record<string, unknown>;
const str = (extra: S = {}): S => ({ type: 'string', ...extra });
const int32 = (extra: S = {}): S => ({ type: 'integer', format: 'int32', ...extra });
const obj = (properties: Record<string, S>, extra: S = {}): S => ({ type: 'object', properties, ...extra });
const arr = (items: S, extra: S = {}): S => ({ type: 'array', items, ...extra });
const schemaless: S = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const HOSTNAME = '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const GROUP = '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const KIND = '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$';
const NAMESPACE = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const CONTROLLER_NAME =
  "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9\\/\\-._~%!$&'()*+,;=:]+$";

const condition = obj(
  {
    type: str({
      maxLength: 316,
      pattern:
        '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
    }),
    status: str({ enum: ['True', 'False', 'Unknown'] }),
    reason: str({ maxLength: 1024, minLength: 1, pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$' }),
    message: str({ maxLength: 32768 }),
    lastTransitionTime: str({ format: 'date-time' }),
    observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
  },
  { required: ['lastTransitionTime', 'message', 'reason', 'status', 'type'] },
);
const conditions = arr(condition, {
  maxItems: 8,
  'x-kubernetes-list-map-keys': ['type'],
  'x-kubernetes-list-type': 'map',
});
const labelSelector = obj({
  matchLabels: { type: 'object', additionalProperties: str() },
  matchExpressions: arr(
    obj(
      { key: str(), operator: str(), values: arr(str(), { 'x-kubernetes-list-type': 'atomic' }) },
      { required: ['key', 'operator'] },
    ),
    { 'x-kubernetes-list-type': 'atomic' },
  ),
});
const routeGroupKind = obj(
  {
    group: str({ default: GATEWAY_GROUP, maxLength: 253, pattern: GROUP }),
    kind: str({ maxLength: 63, minLength: 1, pattern: KIND }),
  },
  { required: ['kind'] },
);
const parentReference = obj(
  {
    group: str({ default: GATEWAY_GROUP, maxLength: 253, pattern: GROUP }),
    kind: str({ default: 'Gateway', maxLength: 63, minLength: 1, pattern: KIND }),
    namespace: str({ maxLength: 63, minLength: 1, pattern: NAMESPACE }),
    name: str({ maxLength: 253, minLength: 1 }),
    sectionName: str({ maxLength: 253, minLength: 1, pattern: DNS_SUBDOMAIN }),
    port: int32({ minimum: 1, maximum: 65535 }),
  },
  { required: ['name'] },
);
const backendRef = obj(
  {
    group: str({ default: '', maxLength: 253, pattern: GROUP }),
    kind: str({ default: 'Service', maxLength: 63, minLength: 1, pattern: KIND }),
    name: str({ maxLength: 253, minLength: 1 }),
    namespace: str({ maxLength: 63, minLength: 1, pattern: NAMESPACE }),
    port: int32({ minimum: 1, maximum: 65535 }),
    weight: int32({ default: 1, minimum: 0, maximum: 1_000_000 }),
    filters: arr(schemaless, { maxItems: 16 }),
  },
  { required: ['name'] },
);
const pathMatch = obj(
  {
    type: str({ default: 'PathPrefix', enum: ['Exact', 'PathPrefix', 'RegularExpression'] }),
    value: str({ default: '/', maxLength: 1024 }),
  },
  { default: { type: 'PathPrefix', value: '/' } },
);
const routeMatch = obj({
  path: pathMatch,
  headers: arr(schemaless, { maxItems: 16 }),
  queryParams: arr(schemaless, { maxItems: 16 }),
  method: str({
    enum: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'],
  }),
});

const listener = obj(
  {
    name: str({ maxLength: 253, minLength: 1, pattern: DNS_SUBDOMAIN }),
    hostname: str({ maxLength: 253, minLength: 1, pattern: HOSTNAME }),
    port: int32({ minimum: 1, maximum: 65535 }),
    protocol: str({
      maxLength: 255,
      minLength: 1,
      pattern:
        '^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9]+$',
    }),
    tls: schemaless,
    allowedRoutes: obj(
      {
        kinds: arr(routeGroupKind, { maxItems: 8 }),
        namespaces: obj(
          {
            from: str({ default: 'Same', enum: ['All', 'Selector', 'Same'] }),
            selector: labelSelector,
          },
          { default: { from: 'Same' } },
        ),
      },
      { default: { namespaces: { from: 'Same' } } },
    ),
  },
  { required: ['name', 'port', 'protocol'] },
);

interface CrdSpec {
  plural: string;
  singular: string;
  kind: string;
  shortNames?: string[];
  scope: 'Namespaced' | 'Cluster';
  version: string;
  columns: S[];
  spec: S;
  status?: S;
  description: string;
}

function crd(c: CrdSpec): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${c.plural}.${GATEWAY_GROUP}`,
      annotations: {
        'gateway.networking.k8s.io/bundle-version': 'v1.3.0',
        'gateway.networking.k8s.io/channel': 'standard',
        'kubeperf.io/gateway-api': 'subset of the v1.3.0 standard channel, written by kubeperf',
      },
    },
    spec: {
      group: GATEWAY_GROUP,
      names: {
        categories: ['gateway-api'],
        kind: c.kind,
        listKind: `${c.kind}List`,
        plural: c.plural,
        singular: c.singular,
        ...(c.shortNames ? { shortNames: c.shortNames } : {}),
      },
      scope: c.scope,
      versions: [
        {
          name: c.version,
          served: true,
          storage: true,
          ...(c.status ? { subresources: { status: {} } } : {}),
          additionalPrinterColumns: c.columns,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: c.description,
              properties: {
                apiVersion: str(),
                kind: str(),
                metadata: { type: 'object' },
                spec: c.spec,
                ...(c.status ? { status: c.status } : {}),
              },
              required: ['spec'],
            },
          },
        },
      ],
    },
  };
}

const age = { jsonPath: '.metadata.creationTimestamp', name: 'Age', type: 'date' };

export const gatewayClassCrd = crd({
  plural: 'gatewayclasses',
  singular: 'gatewayclass',
  kind: 'GatewayClass',
  shortNames: ['gc'],
  scope: 'Cluster',
  version: 'v1',
  description:
    'GatewayClass describes a class of Gateways available to the user for creating Gateway resources.',
  columns: [
    { jsonPath: '.spec.controllerName', name: 'Controller', type: 'string' },
    { jsonPath: '.status.conditions[?(@.type=="Accepted")].status', name: 'Accepted', type: 'string' },
    age,
    { jsonPath: '.spec.description', name: 'Description', priority: 1, type: 'string' },
  ],
  spec: obj(
    {
      controllerName: str({ maxLength: 253, minLength: 1, pattern: CONTROLLER_NAME }),
      description: str({ maxLength: 64 }),
      parametersRef: schemaless,
    },
    { required: ['controllerName'] },
  ),
  status: obj({ conditions, supportedFeatures: arr(schemaless, { maxItems: 64 }) }),
});

export const gatewayCrd = crd({
  plural: 'gateways',
  singular: 'gateway',
  kind: 'Gateway',
  shortNames: ['gtw'],
  scope: 'Namespaced',
  version: 'v1',
  description:
    'Gateway represents an instance of a service-traffic handling infrastructure by binding Listeners to a set of IP addresses.',
  columns: [
    { jsonPath: '.spec.gatewayClassName', name: 'Class', type: 'string' },
    { jsonPath: '.status.addresses[*].value', name: 'Address', type: 'string' },
    { jsonPath: '.status.conditions[?(@.type=="Programmed")].status', name: 'Programmed', type: 'string' },
    age,
  ],
  spec: obj(
    {
      gatewayClassName: str({ maxLength: 253, minLength: 1 }),
      listeners: arr(listener, {
        minItems: 1,
        maxItems: 64,
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-list-type': 'map',
      }),
      addresses: arr(
        obj({
          type: str({ default: 'IPAddress', maxLength: 253, minLength: 1 }),
          value: str({ maxLength: 253 }),
        }),
        { maxItems: 16 },
      ),
      infrastructure: schemaless,
      backendTLS: schemaless,
    },
    { required: ['gatewayClassName', 'listeners'] },
  ),
  status: obj({
    addresses: arr(
      obj({ type: str(), value: str({ maxLength: 253, minLength: 1 }) }, { required: ['value'] }),
      {
        maxItems: 16,
      },
    ),
    conditions,
    listeners: arr(
      obj(
        {
          name: str({ maxLength: 253, minLength: 1, pattern: DNS_SUBDOMAIN }),
          supportedKinds: arr(routeGroupKind, { maxItems: 8 }),
          attachedRoutes: int32(),
          conditions,
        },
        { required: ['attachedRoutes', 'conditions', 'name', 'supportedKinds'] },
      ),
      { maxItems: 64, 'x-kubernetes-list-map-keys': ['name'], 'x-kubernetes-list-type': 'map' },
    ),
  }),
});

export const httpRouteCrd = crd({
  plural: 'httproutes',
  singular: 'httproute',
  kind: 'HTTPRoute',
  scope: 'Namespaced',
  version: 'v1',
  description: 'HTTPRoute provides a way to route HTTP requests.',
  columns: [{ jsonPath: '.spec.hostnames', name: 'Hostnames', type: 'string' }, age],
  spec: obj({
    parentRefs: arr(parentReference, { maxItems: 32 }),
    hostnames: arr(str({ maxLength: 253, minLength: 1, pattern: HOSTNAME }), { maxItems: 16 }),
    rules: arr(
      obj({
        name: str({ maxLength: 253, minLength: 1, pattern: DNS_SUBDOMAIN }),
        matches: arr(routeMatch, { maxItems: 64, default: [{ path: { type: 'PathPrefix', value: '/' } }] }),
        filters: arr(schemaless, { maxItems: 16 }),
        backendRefs: arr(backendRef, { maxItems: 16 }),
        timeouts: schemaless,
      }),
      { maxItems: 16, default: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }] },
    ),
  }),
  status: obj(
    {
      parents: arr(
        obj(
          {
            parentRef: parentReference,
            controllerName: str({ maxLength: 253, minLength: 1, pattern: CONTROLLER_NAME }),
            conditions: arr(condition, {
              maxItems: 8,
              minItems: 1,
              'x-kubernetes-list-map-keys': ['type'],
              'x-kubernetes-list-type': 'map',
            }),
          },
          { required: ['controllerName', 'parentRef'] },
        ),
        { maxItems: 32 },
      ),
    },
    { required: ['parents'] },
  ),
});

export const referenceGrantCrd = crd({
  plural: 'referencegrants',
  singular: 'referencegrant',
  kind: 'ReferenceGrant',
  shortNames: ['refgrant'],
  scope: 'Namespaced',
  version: 'v1beta1',
  description:
    'ReferenceGrant identifies kinds of resources in other namespaces that are trusted to reference the specified kinds of resources in the same namespace as the policy.',
  columns: [age],
  spec: obj(
    {
      from: arr(
        obj(
          {
            group: str({ maxLength: 253, pattern: GROUP }),
            kind: str({ maxLength: 63, minLength: 1, pattern: KIND }),
            namespace: str({ maxLength: 63, minLength: 1, pattern: NAMESPACE }),
          },
          { required: ['group', 'kind', 'namespace'] },
        ),
        { minItems: 1, maxItems: 16 },
      ),
      to: arr(
        obj(
          {
            group: str({ maxLength: 253, pattern: GROUP }),
            kind: str({ maxLength: 63, minLength: 1, pattern: KIND }),
            name: str({ maxLength: 253, minLength: 1 }),
          },
          { required: ['group', 'kind'] },
        ),
        { minItems: 1, maxItems: 16 },
      ),
    },
    { required: ['from', 'to'] },
  ),
});

/** In install order. */
export const gatewayApiCrds: readonly KubeObject[] = [
  gatewayClassCrd,
  gatewayCrd,
  httpRouteCrd,
  referenceGrantCrd,
];
