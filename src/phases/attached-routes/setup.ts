/**
 * The objects the test stands on, created with the run labels: the Gateway API CRDs when the target
 * lacks them, the GatewayClass for the simulated controller (an external controller's class must
 * exist), the test namespace with kgateway's `loadtest-backend` Service, the simulated backends and
 * a ReferenceGrant letting the routes reference them, the Gateway, and the routes themselves.
 */
import { InputError, KubeperfError } from '../../core/errors.js';
import { createOwned } from '../../kube/owned.js';
import {
  conditionOf,
  gatewayClassMapping,
  GATEWAY_GROUP,
  type GatewayClass,
  type Listener,
} from '../../gateway-api/resources.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';

export const LOADTEST_BACKEND = 'loadtest-backend';

/**
 * The simulated controller's class is created when absent (with its controllerName); an existing
 * class of another controller is refused. An external controller's class must exist.
 */
export async function ensureGatewayClass(
  client: KubeClient,
  name: string,
  o: { controllerName?: string; labels: Record<string, string>; runId: string },
): Promise<{ created: boolean }> {
  const got = await client.get(gatewayClassMapping, undefined, name, 'setup');
  if (got?.status === 200) {
    const gc = JSON.parse(got.body) as GatewayClass;
    if (o.controllerName && gc.spec.controllerName !== o.controllerName)
      throw new InputError(
        `GatewayClass ${name} belongs to controller ${gc.spec.controllerName}, not to the simulated controller (${o.controllerName})`,
        {
          hint: 'set gatewayClassName to a class of its own (it is created when absent), or use controller: external',
        },
      );
    return { created: false };
  }
  if (!o.controllerName)
    throw new KubeperfError(`GatewayClass ${name} does not exist on the target`, {
      hint: "set gatewayClassName to the class of the cluster's Gateway API controller (kubectl get gatewayclass)",
    });
  await createOwned(
    client,
    gatewayClassMapping,
    undefined,
    {
      apiVersion: `${GATEWAY_GROUP}/v1`,
      kind: 'GatewayClass',
      metadata: { name, labels: o.labels },
      spec: { controllerName: o.controllerName, description: 'kubeperf simulated gateway controller' },
    },
    o.runId,
  );
  return { created: true };
}

/** The class's Accepted condition as "True (Accepted)", or undefined when it has none (no controller took it). */
export async function classAccepted(client: KubeClient, name: string): Promise<string | undefined> {
  const got = await client.get(gatewayClassMapping, undefined, name, 'setup');
  if (got?.status !== 200) return undefined;
  const acc = conditionOf((JSON.parse(got.body) as GatewayClass).status?.conditions, 'Accepted');
  return acc ? `${acc.status}${acc.reason ? ` (${acc.reason})` : ''}` : undefined;
}

export function loadtestBackend(ns: string, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: LOADTEST_BACKEND, namespace: ns, labels: { ...labels, app: LOADTEST_BACKEND } },
    spec: {
      selector: { app: LOADTEST_BACKEND },
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    },
  };
}

/** Lets HTTPRoutes of `routeNs` reference Services in `backendNs`. */
export function referenceGrant(
  routeNs: string,
  backendNs: string,
  labels: Record<string, string>,
): KubeObject {
  return {
    apiVersion: `${GATEWAY_GROUP}/v1beta1`,
    kind: 'ReferenceGrant',
    metadata: { name: `kubeperf-${routeNs}`.slice(0, 63), namespace: backendNs, labels },
    spec: {
      from: [{ group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace: routeNs }],
      to: [{ group: '', kind: 'Service' }],
    },
  };
}

export function gatewayObject(
  name: string,
  ns: string,
  className: string,
  listeners: Listener[],
  labels: Record<string, string>,
): KubeObject {
  return {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'Gateway',
    metadata: { name, namespace: ns, labels },
    spec: { gatewayClassName: className, listeners },
  };
}

/** kgateway's baseline route: `<gw>-route-<i>`, PathPrefix /test-route-<i>, one backendRef on port 80. */
export function baselineRoute(
  gw: string,
  i: number,
  ns: string,
  backend: { name: string; namespace?: string },
  labels: Record<string, string>,
): KubeObject {
  return {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'HTTPRoute',
    metadata: { name: `${gw}-route-${i}`, namespace: ns, labels },
    spec: {
      parentRefs: [{ name: gw }],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: `/test-route-${i}` } }],
          backendRefs: [
            { name: backend.name, ...(backend.namespace ? { namespace: backend.namespace } : {}), port: 80 },
          ],
        },
      ],
    },
  };
}

/**
 * kgateway's stopwatch route: `incremental-route-<unix ns>`, hostname `<name>.example.com`,
 * PathPrefix /<name>. Its backend is loadtest-backend in the test namespace (kgateway's points at a
 * `simulated-service-1` that does not exist, so its ResolvedRefs is False; attachedRoutes is the same).
 */
export function incrementalRoute(gw: string, ns: string, labels: Record<string, string>): KubeObject {
  const name = `incremental-route-${BigInt(Date.now()) * 1_000_000n + BigInt(Math.floor(performance.now() * 1000) % 1_000_000)}`;
  return {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'HTTPRoute',
    metadata: { name, namespace: ns, labels },
    spec: {
      parentRefs: [{ name: gw }],
      hostnames: [`${name}.example.com`],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: `/${name}` } }],
          backendRefs: [{ name: LOADTEST_BACKEND, port: 80 }],
        },
      ],
    },
  };
}
