/**
 * The API access of a `milo` phase, for `kubeperf deploy`'s least-privilege RBAC. Like the runner,
 * it talks to two clusters: where `perf-results` lives (the results cluster: its Job's namespace NS)
 * and Milo. On the results cluster it needs the configmaps of NS only — what Milo's runner Role
 * `perf-results-manager` grants — and, when Milo's kubeconfig is read from a Secret there, that one
 * Secret. Milo's own API is declared only when Milo is the run's target; a run that reaches Milo
 * through a mounted kubeconfig (deploy.kubeconfigSecret) gets nothing for it here.
 */
import type { ApiAccess } from '../../kube/access.js';
import { MILO_API_VERSION, MILO_GROUP } from '../../controllers/project/api.js';
import type { MiloOptions } from './options.js';

const miloKind = (kind: string, plural: string): ApiAccess['defines'] => ({
  group: MILO_GROUP,
  versions: ['v1alpha1'],
  kind,
  plural,
  namespaced: false,
});

export function miloAccess(o: MiloOptions): ApiAccess[] {
  const cleanup = o.mode === 'cleanup';
  const out: ApiAccess[] = [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      verbs: cleanup ? ['get', 'delete'] : ['get', 'create', 'update', 'delete'],
      namespace: o.namespace,
      on: 'results',
      reason: cleanup
        ? `milo: perf-results in ${o.namespace} (test_id, org_name), deleted by the cleanup`
        : `milo: perf-results in ${o.namespace} (checkpoints, results.json, report.html; deleted by the cleanup)`,
    },
  ];
  if (!o.miloKubeconfig && o.miloKubeconfigSecretName)
    out.push({
      apiVersion: 'v1',
      kind: 'Secret',
      verbs: ['get'],
      namespace: o.namespace,
      resourceNames: [o.miloKubeconfigSecretName],
      on: 'results',
      reason: `milo: Milo's kubeconfig from Secret ${o.namespace}/${o.miloKubeconfigSecretName}`,
    });
  if (o.miloKubeconfig || o.miloKubeconfigSecretName) return out;

  // Milo is the target. Project control planes are path scopes of it: their Secrets and ConfigMaps
  // (namespace default there) are not objects of one namespace of the root.
  out.push(
    {
      apiVersion: MILO_API_VERSION,
      kind: 'Organization',
      verbs: cleanup ? ['get', 'delete'] : ['get', 'create', 'delete'],
      namespace: '*',
      reason:
        'milo: the test’s Organization (created; deleted by the cleanup when it carries the test’s labels)',
      defines: miloKind('Organization', 'organizations'),
    },
    {
      apiVersion: MILO_API_VERSION,
      kind: 'Project',
      verbs: cleanup ? ['list', 'delete'] : ['get', 'list', 'watch', 'create', 'delete'],
      namespace: '*',
      reason: cleanup
        ? 'milo: the test’s Projects, listed by label and deleted through the organization’s control plane'
        : 'milo: Projects created through the organization’s control plane, watched and polled to Ready, deleted by the cleanup',
      defines: miloKind('Project', 'projects'),
    },
  );
  for (const kind of ['Secret', 'ConfigMap'])
    out.push({
      apiVersion: 'v1',
      kind,
      verbs: cleanup ? ['list', 'delete'] : ['list', 'create', 'delete'],
      namespace: '*',
      reason: `milo: ${kind}s in each project's control plane (namespace default there)${cleanup ? ', deleted by label' : ', counted by label, deleted by the cleanup'}`,
    });
  if (o.startController === 'always')
    out.push(
      {
        apiVersion: MILO_API_VERSION,
        kind: 'Project',
        verbs: ['get', 'list', 'watch', 'patch'],
        namespace: '*',
        reason:
          'milo: the simulated project controller (startController: always) watches Projects and adds its finalizer',
      },
      {
        apiVersion: MILO_API_VERSION,
        kind: 'Project',
        subresource: 'status',
        verbs: ['update'],
        namespace: '*',
        reason: 'milo: the simulated project controller sets Ready',
      },
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        verbs: ['get', 'list', 'create', 'delete'],
        namespace: '*',
        reason:
          "milo: the simulated project controller creates each project's default namespace and purges it",
      },
    );
  return out;
}
