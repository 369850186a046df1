/**
 * The API access of an `attached-routes` phase, for `kubeperf deploy`'s least-privilege RBAC: the
 * Gateway API CRDs it installs when absent, the class, Gateway, routes and ReferenceGrant it creates,
 * watches and deletes, the test namespace and loadtest-backend, the backends, and the Deployment it
 * rollout-restarts when asked. (The simulated controller, when it runs in the cluster too, also
 * writes the status subresources of those kinds: grant `…/status` update with deploy.rules.)
 */
import { cleanupVerbs, crdDefines, namespaceAccess, type ApiAccess } from '../../kube/access.js';
import { gatewayApiCrds } from '../../gateway-api/crds.js';
import { backendsAccess } from '../simulate-backends/access.js';
import type { AttachedRoutesOptions } from './options.js';

export function attachedRoutesAccess(o: AttachedRoutesOptions): ApiAccess[] {
  const ns = o.namespace ?? '*';
  const watchers = ['create', 'get', 'watch', ...cleanupVerbs];
  const out: ApiAccess[] = [
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'customresourcedefinitions',
      verbs: ['get', 'create'],
      namespace: '*',
      reason: 'attached-routes: the Gateway API CRDs, installed when absent',
    },
    ...gatewayApiCrds.map((crd): ApiAccess => {
      const d = crdDefines(crd)!;
      return {
        apiVersion: `${d.group}/${d.versions[0]}`,
        kind: d.plural,
        verbs: d.kind === 'GatewayClass' ? ['get', 'create', ...cleanupVerbs] : watchers,
        namespace: d.namespaced ? ns : '*',
        reason: `attached-routes: ${d.kind} objects it creates, watches and deletes`,
        defines: d,
      };
    }),
    {
      apiVersion: 'v1',
      kind: 'services',
      verbs: ['create', 'get', ...cleanupVerbs],
      namespace: ns,
      reason: 'attached-routes: loadtest-backend',
    },
    namespaceAccess('attached-routes: the test namespace (created when missing, deleted after)'),
  ];
  if (o.backends !== false && o.backends.create)
    out.push(...backendsAccess(o.backends.namespace, 'attached-routes backends'));
  if (typeof o.restartController === 'object')
    out.push({
      apiVersion: 'apps/v1',
      kind: 'deployments',
      verbs: ['get', 'patch'],
      namespace: o.restartController.namespace,
      reason: `attached-routes: rollout restart of ${o.restartController.namespace}/${o.restartController.deployment}`,
    });
  return out;
}
