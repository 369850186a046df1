/** The API access of a `simulate-backends` phase, for `kubeperf deploy`'s least-privilege RBAC. */
import { cleanupVerbs, namespaceAccess, type ApiAccess } from '../../kube/access.js';

export function backendsAccess(namespace: string | undefined, reason: string): ApiAccess[] {
  const ns = namespace ?? '*';
  const verbs = ['create', 'get', ...cleanupVerbs];
  return [
    { apiVersion: 'v1', kind: 'services', verbs, namespace: ns, reason: `${reason}: the simulated Services` },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'endpointslices',
      verbs,
      namespace: ns,
      reason: `${reason}: their EndpointSlices`,
    },
    namespaceAccess(`${reason}: the backends namespace (created when missing)`),
  ];
}
