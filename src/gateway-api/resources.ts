/**
 * Gateway API kinds as kubeperf uses them: REST mappings and the TypeScript shape of the fields the
 * attached-routes tests and the simulated gateway controller read and write (a subset of
 * gateway.networking.k8s.io v1 / v1beta1; the CRDs in crds.ts declare the same subset).
 */
import type { KubeObject } from '../kube/client.js';
import type { ResourceMapping } from '../kube/discovery.js';
import type { Condition, LabelSelector } from '../kube/meta.js';

export type { Condition, LabelSelector };

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const mapping = (version: string, resource: string, kind: string, namespaced: boolean): ResourceMapping => ({
  group: GATEWAY_GROUP,
  version,
  resource,
  kind,
  namespaced,
  verbs,
});

export const gatewayClassMapping = mapping('v1', 'gatewayclasses', 'GatewayClass', false);
export const gatewayMapping = mapping('v1', 'gateways', 'Gateway', true);
export const httpRouteMapping = mapping('v1', 'httproutes', 'HTTPRoute', true);
export const referenceGrantMapping = mapping('v1beta1', 'referencegrants', 'ReferenceGrant', true);

export const serviceMapping: ResourceMapping = {
  group: '',
  version: 'v1',
  resource: 'services',
  kind: 'Service',
  namespaced: true,
  verbs,
};

export const endpointSliceMapping: ResourceMapping = {
  group: 'discovery.k8s.io',
  version: 'v1',
  resource: 'endpointslices',
  kind: 'EndpointSlice',
  namespaced: true,
  verbs,
};

export const deploymentMapping: ResourceMapping = {
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  kind: 'Deployment',
  namespaced: true,
  verbs,
};

export interface RouteGroupKind {
  group?: string;
  kind: string;
}

export interface Listener {
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  allowedRoutes?: {
    namespaces?: { from?: 'All' | 'Same' | 'Selector'; selector?: LabelSelector };
    kinds?: RouteGroupKind[];
  };
}

export interface ListenerStatus {
  name: string;
  supportedKinds: RouteGroupKind[];
  attachedRoutes: number;
  conditions: Condition[];
}

export interface GatewayClass extends KubeObject {
  spec: { controllerName: string; description?: string };
  status?: { conditions?: Condition[] };
}

export interface Gateway extends KubeObject {
  spec: { gatewayClassName: string; listeners: Listener[] };
  status?: {
    addresses?: { type?: string; value: string }[];
    conditions?: Condition[];
    listeners?: ListenerStatus[];
  };
}

export interface ParentReference {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export interface BackendRef {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
  weight?: number;
}

export interface HTTPRouteRule {
  matches?: { path?: { type?: string; value?: string } }[];
  backendRefs?: BackendRef[];
}

export interface RouteParentStatus {
  parentRef: ParentReference;
  controllerName: string;
  conditions: Condition[];
}

export interface HTTPRoute extends KubeObject {
  spec: { parentRefs?: ParentReference[]; hostnames?: string[]; rules?: HTTPRouteRule[] };
  status?: { parents?: RouteParentStatus[] };
}

export interface ReferenceGrant extends KubeObject {
  spec: {
    from: { group: string; kind: string; namespace: string }[];
    to: { group: string; kind: string; name?: string }[];
  };
}

export const conditionOf = (conds: Condition[] | undefined, type: string): Condition | undefined =>
  conds?.find((c) => c.type === type);

export const isTrue = (conds: Condition[] | undefined, type: string): boolean =>
  conditionOf(conds, type)?.status === 'True';
