/**
 * The status the simulated controller wants on each object, built from the current one so that
 * conditions keep their lastTransitionTime while they hold (then an unchanged status is a no-op and
 * is not written). Entries of other controllers in an HTTPRoute's status.parents are kept as they are.
 */
import { setCondition } from '../runtime/objects.js';
import {
  GATEWAY_GROUP,
  type Condition,
  type Gateway,
  type GatewayClass,
  type HTTPRoute,
  type ListenerStatus,
  type ParentReference,
  type RouteParentStatus,
} from '../../gateway-api/resources.js';
import {
  listenerKinds,
  protocolSupported,
  type ParentAttachment,
  type RefsResolution,
} from './attachment.js';

type Cond = Omit<Condition, 'lastTransitionTime'> & { reason: string; message: string };

function setAll(current: Condition[] | undefined, next: Cond[], generation: number | undefined): Condition[] {
  let out = current ?? [];
  for (const c of next)
    out = setCondition(out, {
      ...c,
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
    });
  return out;
}

export function gatewayClassStatus(gc: GatewayClass): GatewayClass['status'] {
  return {
    ...(gc.status ?? {}),
    conditions: setAll(
      gc.status?.conditions,
      [
        {
          type: 'Accepted',
          status: 'True',
          reason: 'Accepted',
          message: 'Accepted by the kubeperf simulated gateway controller',
        },
      ],
      gc.metadata.generation,
    ),
  };
}

/** A Gateway's status: listener conditions and attachedRoutes, Accepted and Programmed. */
export function gatewayStatus(
  gw: Gateway,
  attached: Map<string, number>,
  address: string,
): Gateway['status'] {
  const gen = gw.metadata.generation;
  const prev = new Map((gw.status?.listeners ?? []).map((l) => [l.name, l]));
  const listeners: ListenerStatus[] = gw.spec.listeners.map((l) => {
    const { supported, invalid } = listenerKinds(l);
    const ok = protocolSupported(l);
    const conds: Cond[] = [
      ok
        ? { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Listener accepted' }
        : {
            type: 'Accepted',
            status: 'False',
            reason: 'UnsupportedProtocol',
            message: `protocol ${l.protocol} is not supported`,
          },
      ok
        ? { type: 'Programmed', status: 'True', reason: 'Programmed', message: 'Listener programmed' }
        : { type: 'Programmed', status: 'False', reason: 'Invalid', message: 'Listener is invalid' },
      invalid
        ? {
            type: 'ResolvedRefs',
            status: 'False',
            reason: 'InvalidRouteKinds',
            message: 'only HTTPRoute is supported',
          }
        : { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'References resolved' },
      { type: 'Conflicted', status: 'False', reason: 'NoConflicts', message: 'No conflicts' },
    ];
    return {
      name: l.name,
      supportedKinds: supported,
      attachedRoutes: attached.get(l.name) ?? 0,
      conditions: setAll(prev.get(l.name)?.conditions, conds, gen),
    };
  });
  const anyValid = gw.spec.listeners.some(protocolSupported);
  const conds: Cond[] = anyValid
    ? [
        { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Gateway accepted' },
        { type: 'Programmed', status: 'True', reason: 'Programmed', message: 'Gateway programmed' },
      ]
    : [
        { type: 'Accepted', status: 'False', reason: 'ListenersNotValid', message: 'no listener is valid' },
        { type: 'Programmed', status: 'False', reason: 'Invalid', message: 'no listener is valid' },
      ];
  return {
    ...(gw.status ?? {}),
    addresses: anyValid ? [{ type: 'IPAddress', value: address }] : [],
    conditions: setAll(gw.status?.conditions, conds, gen),
    listeners,
  };
}

const MESSAGES: Record<string, string> = {
  Accepted: 'Route accepted',
  NoMatchingParent: 'no listener matches the parentRef sectionName/port',
  NotAllowedByListeners: "the route is not allowed by the listeners' allowedRoutes",
  NoMatchingListenerHostname: 'no listener hostname matches the route hostnames',
};

/** parentRef as written in status: the spec's, with group and kind filled in. */
export function statusParentRef(ref: ParentReference): ParentReference {
  return { group: ref.group ?? GATEWAY_GROUP, kind: ref.kind ?? 'Gateway', ...ref };
}

const sameRef = (a: ParentReference, b: ParentReference) =>
  (a.group ?? GATEWAY_GROUP) === (b.group ?? GATEWAY_GROUP) &&
  (a.kind ?? 'Gateway') === (b.kind ?? 'Gateway') &&
  a.name === b.name &&
  a.namespace === b.namespace &&
  a.sectionName === b.sectionName &&
  a.port === b.port;

/**
 * status.parents of a route: one entry of ours per parentRef that names one of our Gateways (in
 * spec order), other controllers' entries untouched.
 */
export function routeParents(
  route: HTTPRoute,
  ours: { ref: ParentReference; attachment: ParentAttachment }[],
  refs: RefsResolution,
  controllerName: string,
): RouteParentStatus[] {
  const current = route.status?.parents ?? [];
  const others = current.filter((p) => p.controllerName !== controllerName);
  const gen = route.metadata.generation;
  const mine = ours.map(({ ref, attachment }) => {
    const prev = current.find((p) => p.controllerName === controllerName && sameRef(p.parentRef, ref));
    const reason = attachment.reason ?? 'Accepted';
    const conds: Cond[] = [
      {
        type: 'Accepted',
        status: attachment.reason ? 'False' : 'True',
        reason,
        message: MESSAGES[reason] ?? reason,
      },
      { type: 'ResolvedRefs', status: refs.status, reason: refs.reason, message: refs.message },
    ];
    return {
      parentRef: statusParentRef(ref),
      controllerName,
      conditions: setAll(prev?.conditions, conds, gen),
    };
  });
  return [...others, ...mine];
}
