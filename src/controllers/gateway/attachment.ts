/**
 * Gateway API attachment semantics, as pure functions of the objects: which listeners of a Gateway a
 * route's parentRef attaches to (sectionName, port, allowedRoutes namespaces and kinds, hostname
 * intersection), why a parentRef is not accepted, what a listener supports, and whether a route's
 * backendRefs resolve (the Service exists; a cross-namespace one needs a ReferenceGrant). Condition
 * types and reasons are the spec's (gateway.networking.k8s.io/v1 RouteConditionReason etc.).
 */
import { matchesSelector } from '../runtime/label-selector.js';
import {
  GATEWAY_GROUP,
  type Gateway,
  type HTTPRoute,
  type Listener,
  type ParentReference,
  type ReferenceGrant,
  type RouteGroupKind,
} from '../../gateway-api/resources.js';

export const HTTP_ROUTE_KIND: RouteGroupKind = { group: GATEWAY_GROUP, kind: 'HTTPRoute' };
const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTPS']);

export const gatewayKey = (ns: string, name: string): string => `${ns}/${name}`;

/** The Gateway a parentRef names (namespace defaults to the route's), or undefined for other kinds. */
export function parentGatewayKey(ref: ParentReference, routeNs: string): string | undefined {
  if ((ref.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (ref.kind ?? 'Gateway') !== 'Gateway')
    return undefined;
  return gatewayKey(ref.namespace ?? routeNs, ref.name);
}

/** Keys of every Gateway a route's parentRefs name. */
export function routeGatewayKeys(route: HTTPRoute): Set<string> {
  const out = new Set<string>();
  for (const ref of route.spec?.parentRefs ?? []) {
    const k = parentGatewayKey(ref, route.metadata.namespace!);
    if (k) out.add(k);
  }
  return out;
}

/** Route kinds a listener supports, and whether its allowedRoutes.kinds named any it cannot. */
export function listenerKinds(l: Listener): { supported: RouteGroupKind[]; invalid: boolean } {
  if (!HTTP_PROTOCOLS.has(l.protocol)) return { supported: [], invalid: false };
  const asked = l.allowedRoutes?.kinds;
  if (!asked?.length) return { supported: [HTTP_ROUTE_KIND], invalid: false };
  const ok = asked.filter((k) => (k.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && k.kind === 'HTTPRoute');
  return { supported: ok.length ? [HTTP_ROUTE_KIND] : [], invalid: ok.length < asked.length };
}

export const protocolSupported = (l: Listener): boolean => HTTP_PROTOCOLS.has(l.protocol);

/** allowedRoutes.namespaces: Same (default), All, or Selector over the route namespace's labels. */
export function namespaceAllowed(
  l: Listener,
  gatewayNs: string,
  routeNs: string,
  namespaceLabels: (ns: string) => Record<string, string> | undefined,
): boolean {
  const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNs === gatewayNs;
  const sel = l.allowedRoutes?.namespaces?.selector;
  const labels = namespaceLabels(routeNs);
  return !!sel && !!labels && matchesSelector(labels, sel);
}

function hostMatches(listener: string, route: string): boolean {
  if (listener === route) return true;
  const lw = listener.startsWith('*.');
  const rw = route.startsWith('*.');
  if (lw && !rw) return route.endsWith(listener.slice(1)) && route.length > listener.length - 1;
  if (rw && !lw) return listener.endsWith(route.slice(1)) && listener.length > route.length - 1;
  if (lw && rw) return listener.endsWith(route.slice(1)) || route.endsWith(listener.slice(1));
  return false;
}

/** A route with no hostnames matches any listener; a listener without one matches any route. */
export function hostnamesIntersect(
  listenerHostname: string | undefined,
  routeHostnames: string[] | undefined,
): boolean {
  if (!listenerHostname || !routeHostnames?.length) return true;
  return routeHostnames.some((h) => hostMatches(listenerHostname, h));
}

export type NotAcceptedReason = 'NoMatchingParent' | 'NotAllowedByListeners' | 'NoMatchingListenerHostname';

export interface ParentAttachment {
  /** Listener names the parentRef attached the route to. */
  listeners: string[];
  /** Why it attached to none. */
  reason?: NotAcceptedReason;
}

/** Attachment of one route parentRef to the Gateway it names. */
export function attachParent(
  gw: Gateway,
  route: HTTPRoute,
  ref: ParentReference,
  namespaceLabels: (ns: string) => Record<string, string> | undefined,
): ParentAttachment {
  const selected = gw.spec.listeners.filter(
    (l) =>
      (ref.sectionName === undefined || ref.sectionName === l.name) &&
      (ref.port === undefined || ref.port === l.port),
  );
  if (!selected.length) return { listeners: [], reason: 'NoMatchingParent' };
  const allowed = selected.filter(
    (l) =>
      listenerKinds(l).supported.length > 0 &&
      namespaceAllowed(l, gw.metadata.namespace!, route.metadata.namespace!, namespaceLabels),
  );
  if (!allowed.length) return { listeners: [], reason: 'NotAllowedByListeners' };
  const hosts = allowed.filter((l) => hostnamesIntersect(l.hostname, route.spec?.hostnames));
  if (!hosts.length) return { listeners: [], reason: 'NoMatchingListenerHostname' };
  return { listeners: hosts.map((l) => l.name) };
}

export interface RefsResolution {
  status: 'True' | 'False';
  reason: 'ResolvedRefs' | 'RefNotPermitted' | 'BackendNotFound' | 'InvalidKind';
  message: string;
}

/** Whether a ReferenceGrant in the backend's namespace lets HTTPRoutes of `routeNs` reference Service `name`. */
export function referencePermitted(
  grants: Iterable<ReferenceGrant>,
  routeNs: string,
  backendNs: string,
  name: string,
): boolean {
  for (const g of grants) {
    if (g.metadata.namespace !== backendNs) continue;
    const from = g.spec?.from?.some(
      (f) => f.group === GATEWAY_GROUP && f.kind === 'HTTPRoute' && f.namespace === routeNs,
    );
    const to = g.spec?.to?.some(
      (t) => (t.group ?? '') === '' && t.kind === 'Service' && (t.name === undefined || t.name === name),
    );
    if (from && to) return true;
  }
  return false;
}

/** ResolvedRefs of a route: the first backendRef that does not resolve decides the reason. */
export function resolveRefs(
  route: HTTPRoute,
  o: {
    grants: () => Iterable<ReferenceGrant>;
    /** Whether the Service exists; undefined = not checked. */
    serviceExists?: (ns: string, name: string) => boolean;
  },
): RefsResolution {
  const ns = route.metadata.namespace!;
  for (const rule of route.spec?.rules ?? []) {
    for (const b of rule.backendRefs ?? []) {
      if ((b.group ?? '') !== '' || (b.kind ?? 'Service') !== 'Service')
        return {
          status: 'False',
          reason: 'InvalidKind',
          message: `backendRef ${b.kind}/${b.name}: only core Services are supported`,
        };
      const bns = b.namespace ?? ns;
      if (bns !== ns && !referencePermitted(o.grants(), ns, bns, b.name))
        return {
          status: 'False',
          reason: 'RefNotPermitted',
          message: `backendRef to Service ${bns}/${b.name} is not permitted by any ReferenceGrant`,
        };
      if (o.serviceExists && !o.serviceExists(bns, b.name))
        return { status: 'False', reason: 'BackendNotFound', message: `Service ${bns}/${b.name} not found` };
    }
  }
  return { status: 'True', reason: 'ResolvedRefs', message: 'All references resolved' };
}

/** Backend Services a route references (namespace/name). */
export function routeBackendKeys(route: HTTPRoute): Set<string> {
  const out = new Set<string>();
  const ns = route.metadata.namespace!;
  for (const rule of route.spec?.rules ?? [])
    for (const b of rule.backendRefs ?? [])
      if ((b.group ?? '') === '' && (b.kind ?? 'Service') === 'Service')
        out.add(`${b.namespace ?? ns}/${b.name}`);
  return out;
}
