/**
 * The objects `kubeperf deploy` creates to run a study in the cluster: a ServiceAccount, the Role
 * (and ClusterRole, only when needed) from rbac.ts with their bindings, the study's ConfigMap, and a
 * batch/v1 Job running `kubeperf run` in-cluster: one pod, or an Indexed Job of N workers that each
 * run their share (`--worker $(JOB_COMPLETION_INDEX)/N`) and meet at a Lease barrier.
 *
 * Every object carries `kubeperf.io/deploy=<run-id>` and not the run label, so the run's own cleanup
 * never deletes the Job that runs it.
 */
import { isUtf8 } from 'node:buffer';
import { stringify } from 'yaml';
import type { RbacPlan } from './rbac.js';
import { LABEL_DEPLOY } from './results/collect.js';
import { resultsConfigMapName } from './results/layout.js';
import type { StudyBundle } from './study-files.js';

export const STUDY_MOUNT = '/etc/kubeperf/study';
export const KUBECONFIG_MOUNT = '/etc/kubeperf/kubeconfig';
export const RESULTS_DIR = '/tmp/kubeperf-results';

export interface DeploySpec {
  runId: string;
  namespace: string;
  workers: number;
  image: string;
  /** The study: a bundle mounted from a ConfigMap, or the name of a study built into the image. */
  study: { bundle: StudyBundle } | { builtin: string };
  /** `--set` overrides passed through to `kubeperf run`. */
  set: string[];
  env: Record<string, string>;
  rbac: RbacPlan;
  /** The run leaves what it created (`kubeperf run --keep`): the study's cleanup mode removes it. */
  keep?: boolean;
  /** Run against the cluster of a kubeconfig in this Secret (results still go to this cluster). */
  kubeconfigSecret?: { name: string; key: string };
  /** Job activeDeadlineSeconds. */
  deadlineSeconds?: number;
  resources?: { cpu?: string; memory?: string };
  /** Passed to `kubeperf run` for kube-burner configs. */
  userData?: string;
}

export type Manifest = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
};

export function deployName(runId: string): string {
  return `kubeperf-${runId}`;
}

/** The container's arguments: exactly what runs in the pod (the in-cluster test runs them locally). */
export function runArgs(s: DeploySpec): string[] {
  const study = 'builtin' in s.study ? s.study.builtin : `${STUDY_MOUNT}/${s.study.bundle.studyPath}`;
  const args = [
    'run',
    study,
    '--kubeconfig',
    s.kubeconfigSecret ? `${KUBECONFIG_MOUNT}/${s.kubeconfigSecret.key}` : 'in-cluster',
    '--run-id',
    s.runId,
    '--out',
    RESULTS_DIR,
    '--results-namespace',
    s.namespace,
  ];
  if (s.kubeconfigSecret) args.push('--results-kubeconfig', 'in-cluster');
  if (s.keep) args.push('--keep');
  if (s.workers > 1)
    args.push('--worker', `$(JOB_COMPLETION_INDEX)/${s.workers}`, '--barrier-namespace', s.namespace);
  if (s.userData) args.push('--user-data', `${STUDY_MOUNT}/${s.userData}`);
  for (const x of s.set) args.push('--set', x);
  return args;
}

export function renderManifests(s: DeploySpec): Manifest[] {
  const name = deployName(s.runId);
  const labels = {
    [LABEL_DEPLOY]: s.runId,
    'app.kubernetes.io/name': 'kubeperf',
    'app.kubernetes.io/managed-by': 'kubeperf',
  };
  const meta = (namespaced = true) => ({ name, ...(namespaced ? { namespace: s.namespace } : {}), labels });
  const subject = [{ kind: 'ServiceAccount', name, namespace: s.namespace }];
  const out: Manifest[] = [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta() }];
  out.push(
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(), rules: s.rbac.role },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: subject,
    },
  );
  if (s.rbac.clusterRole.length) {
    out.push(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: meta(false),
        rules: s.rbac.clusterRole,
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: meta(false),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects: subject,
      },
    );
  }
  const volumes: Record<string, unknown>[] = [{ name: 'tmp', emptyDir: {} }];
  const mounts: Record<string, unknown>[] = [{ name: 'tmp', mountPath: '/tmp' }];
  if ('bundle' in s.study) {
    const data: Record<string, string> = {};
    const binaryData: Record<string, string> = {};
    for (const f of s.study.bundle.files) {
      if (isUtf8(f.content)) data[f.key] = f.content.toString('utf8');
      else binaryData[f.key] = f.content.toString('base64');
    }
    out.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { ...meta(), name: `kubeperf-study-${s.runId}` },
      data,
      ...(Object.keys(binaryData).length ? { binaryData } : {}),
    });
    volumes.push({
      name: 'study',
      configMap: {
        name: `kubeperf-study-${s.runId}`,
        items: s.study.bundle.files.map((f) => ({ key: f.key, path: f.path })),
      },
    });
    mounts.push({ name: 'study', mountPath: STUDY_MOUNT, readOnly: true });
  }
  if (s.kubeconfigSecret) {
    volumes.push({ name: 'kubeconfig', secret: { secretName: s.kubeconfigSecret.name } });
    mounts.push({ name: 'kubeconfig', mountPath: KUBECONFIG_MOUNT, readOnly: true });
  }
  const env = [
    // Plain progress lines (no TTY in a pod), and where the results ConfigMap is, for `kubectl logs`.
    { name: 'CI', value: 'true' },
    ...Object.entries(s.env).map(([k, v]) => ({ name: k, value: v })),
  ];
  out.push({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      ...meta(),
      annotations: {
        'kubeperf.io/results-configmap': resultsConfigMapName(
          s.runId,
          s.workers > 1 ? { index: 0, count: s.workers } : undefined,
        ),
      },
    },
    spec: {
      // A perf run that failed is a result to look at, not something to retry silently.
      backoffLimit: 0,
      completions: s.workers,
      parallelism: s.workers,
      ...(s.workers > 1 ? { completionMode: 'Indexed' } : {}),
      ...(s.deadlineSeconds ? { activeDeadlineSeconds: s.deadlineSeconds } : {}),
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          restartPolicy: 'Never',
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            runAsGroup: 10001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'kubeperf',
              image: s.image,
              args: runArgs(s),
              env,
              // No CPU limit: a throttled load generator would measure itself, not the API server.
              resources: {
                requests: { cpu: s.resources?.cpu ?? '1', memory: s.resources?.memory ?? '512Mi' },
                limits: { memory: '4Gi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: mounts,
            },
          ],
          volumes,
        },
      },
    },
  });
  return out;
}

/** Multi-document YAML with the RBAC reasons as comments (what --dry-run prints). */
export function manifestsYaml(list: Manifest[], s: DeploySpec): string {
  const head = [
    `# kubeperf deploy: run ${s.runId} in namespace ${s.namespace}${s.workers > 1 ? `, ${s.workers} workers (Indexed Job)` : ''}`,
    '# RBAC computed from the study:',
    ...s.rbac.reasons.map((r) => `#   ${r}`),
    ...s.rbac.notes.map((n) => `# note: ${n}`),
    `# results: kubeperf collect --namespace ${s.namespace} --run-id ${s.runId}`,
  ];
  return (
    head.join('\n') +
    '\n' +
    list.map((m) => '---\n' + stringify(m, { lineWidth: 0, aliasDuplicateObjects: false })).join('')
  );
}
