/**
 * Server-side defaulting of the built-in kinds (the v1 `SetDefaults_*` functions and what the
 * registry's PrepareForCreate sets, as clients observe them): namespace phase/finalizers, pod specs
 * and templates, workload strategies and counts, Job selectors, Service type and policies, Secret
 * `stringData`, RBAC api groups, NetworkPolicy policy types, and the initial status of each kind.
 */
import type { KubeObject } from '../store/store.js';
import type { ResourceType } from '../api/resources.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const objAt = (o: Obj, k: string): Obj => {
  const v = o[k];
  if (isObj(v)) return v;
  const n: Obj = {};
  o[k] = n;
  return n;
};

function defaultContainers(list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const c of list) {
    if (!isObj(c)) continue;
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    if (c.imagePullPolicy === undefined) {
      const image = typeof c.image === 'string' ? c.image : '';
      c.imagePullPolicy = image.endsWith(':latest') || !/:[^/]+$/.test(image) ? 'Always' : 'IfNotPresent';
    }
    if (Array.isArray(c.ports)) for (const p of c.ports) if (isObj(p)) p.protocol ??= 'TCP';
    c.resources ??= {};
  }
}

export function defaultPodSpec(spec: unknown): void {
  if (!isObj(spec)) return;
  defaultContainers(spec.containers);
  defaultContainers(spec.initContainers);
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
}

function defaultTemplate(tpl: unknown): void {
  if (!isObj(tpl)) return;
  if (isObj(tpl.metadata)) tpl.metadata.creationTimestamp ??= null;
  defaultPodSpec(tpl.spec);
}

/** QoS class of a pod (helper/qos): Guaranteed, Burstable or BestEffort. */
export function qosClass(spec: unknown): string {
  const containers = [
    ...(isObj(spec) && Array.isArray(spec.containers) ? spec.containers : []),
    ...(isObj(spec) && Array.isArray(spec.initContainers) ? spec.initContainers : []),
  ].filter(isObj);
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const r = isObj(c.resources) ? c.resources : {};
    const limits = isObj(r.limits) ? r.limits : {};
    const requests = isObj(r.requests) ? r.requests : {};
    for (const n of ['cpu', 'memory']) {
      if (n in limits || n in requests) any = true;
      if (!(n in limits) || (n in requests && String(requests[n]) !== String(limits[n]))) guaranteed = false;
    }
  }
  return !any ? 'BestEffort' : guaranteed ? 'Guaranteed' : 'Burstable';
}

const defaultTolerations = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

function defaultPod(obj: KubeObject, create: boolean): void {
  const spec = objAt(obj, 'spec');
  defaultPodSpec(spec);
  spec.enableServiceLinks ??= true;
  if (create) {
    // Admission on create: the service account and DefaultTolerationSeconds plugins, priority.
    spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
    spec.serviceAccount ??= spec.serviceAccountName;
    const tol = Array.isArray(spec.tolerations) ? (spec.tolerations as Obj[]) : [];
    for (const t of defaultTolerations) if (!tol.some((x) => x.key === t.key)) tol.push({ ...t });
    spec.tolerations = tol;
    spec.priority ??= 0;
    spec.preemptionPolicy ??= 'PreemptLowerPriority';
    if (!isObj(obj.status)) obj.status = { phase: 'Pending', qosClass: qosClass(spec) };
  }
}

function defaultDeployment(obj: KubeObject): void {
  const spec = objAt(obj, 'spec');
  spec.replicas ??= 1;
  const strategy = objAt(spec, 'strategy');
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = objAt(strategy, 'rollingUpdate');
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultTemplate(spec.template);
  obj.status ??= {};
}

/** Labels the Job strategy generates so the selector is unique to this Job. */
function generateJobSelector(obj: KubeObject, spec: Obj): void {
  const uid = String(obj.metadata.uid ?? '');
  const tpl = objAt(spec, 'template');
  const meta = objAt(tpl, 'metadata');
  const labels = (isObj(meta.labels) ? meta.labels : (meta.labels = {})) as Record<string, string>;
  labels['job-name'] ??= obj.metadata.name;
  labels['batch.kubernetes.io/job-name'] ??= obj.metadata.name;
  labels['controller-uid'] ??= uid;
  labels['batch.kubernetes.io/controller-uid'] ??= uid;
  const sel = objAt(spec, 'selector');
  const ml = objAt(sel, 'matchLabels');
  ml['batch.kubernetes.io/controller-uid'] ??= uid;
}

function defaultJobSpec(spec: Obj): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  defaultTemplate(spec.template);
}

function defaultService(obj: KubeObject): void {
  const spec = objAt(obj, 'spec');
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (Array.isArray(spec.ports)) {
    for (const p of spec.ports)
      if (isObj(p)) {
        p.protocol ??= 'TCP';
        if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
      }
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  obj.status ??= { loadBalancer: {} };
}

function defaultPortProtocols(ports: unknown): void {
  if (Array.isArray(ports)) for (const p of ports) if (isObj(p)) p.protocol ??= 'TCP';
}

export function builtinDefaults(rt: ResourceType, obj: KubeObject, op: 'create' | 'update'): void {
  if (rt.custom) return;
  const create = op === 'create';
  switch (rt.storageKey) {
    case 'namespaces': {
      const meta = obj.metadata;
      meta.labels = { ...(meta.labels ?? {}), 'kubernetes.io/metadata.name': meta.name };
      const spec = objAt(obj, 'spec');
      // PrepareForCreate: the kubernetes finalizer is always there on create.
      if (create) {
        const fins = Array.isArray(spec.finalizers) ? (spec.finalizers as string[]) : [];
        spec.finalizers = fins.includes('kubernetes') ? fins : [...fins, 'kubernetes'];
      }
      if (create || !isObj(obj.status)) obj.status = { phase: 'Active' };
      break;
    }
    case 'deployments.apps':
      defaultDeployment(obj);
      break;
    case 'replicasets.apps': {
      const spec = objAt(obj, 'spec');
      spec.replicas ??= 1;
      defaultTemplate(spec.template);
      obj.status ??= { replicas: 0 };
      break;
    }
    case 'statefulsets.apps': {
      const spec = objAt(obj, 'spec');
      spec.replicas ??= 1;
      spec.podManagementPolicy ??= 'OrderedReady';
      const us = objAt(spec, 'updateStrategy');
      us.type ??= 'RollingUpdate';
      if (us.type === 'RollingUpdate') objAt(us, 'rollingUpdate').partition ??= 0;
      spec.revisionHistoryLimit ??= 10;
      spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
      defaultTemplate(spec.template);
      obj.status ??= { replicas: 0, availableReplicas: 0 };
      break;
    }
    case 'daemonsets.apps': {
      const spec = objAt(obj, 'spec');
      const us = objAt(spec, 'updateStrategy');
      us.type ??= 'RollingUpdate';
      if (us.type === 'RollingUpdate') {
        const ru = objAt(us, 'rollingUpdate');
        ru.maxUnavailable ??= 1;
        ru.maxSurge ??= 0;
      }
      spec.revisionHistoryLimit ??= 10;
      defaultTemplate(spec.template);
      obj.status ??= {
        currentNumberScheduled: 0,
        numberMisscheduled: 0,
        desiredNumberScheduled: 0,
        numberReady: 0,
      };
      break;
    }
    case 'jobs.batch': {
      const spec = objAt(obj, 'spec');
      const tplLabels = ((spec.template as Obj | undefined)?.metadata as Obj | undefined)?.labels;
      if (isObj(tplLabels) && !Object.keys(obj.metadata.labels ?? {}).length)
        obj.metadata.labels = { ...(tplLabels as Record<string, string>) };
      if (create && spec.manualSelector !== true) generateJobSelector(obj, spec);
      defaultJobSpec(spec);
      obj.status ??= {};
      break;
    }
    case 'cronjobs.batch': {
      const spec = objAt(obj, 'spec');
      spec.concurrencyPolicy ??= 'Allow';
      spec.suspend ??= false;
      spec.successfulJobsHistoryLimit ??= 3;
      spec.failedJobsHistoryLimit ??= 1;
      const js = objAt(objAt(spec, 'jobTemplate'), 'spec');
      js.backoffLimit ??= 6;
      js.completionMode ??= 'NonIndexed';
      js.suspend ??= false;
      defaultTemplate(js.template);
      obj.status ??= {};
      break;
    }
    case 'pods':
      defaultPod(obj, create);
      break;
    case 'services':
      defaultService(obj);
      break;
    case 'endpoints':
      if (Array.isArray(obj.subsets))
        for (const s of obj.subsets) if (isObj(s)) defaultPortProtocols(s.ports);
      break;
    case 'endpointslices.discovery.k8s.io':
      defaultPortProtocols(obj.ports);
      break;
    case 'secrets': {
      obj.type ??= 'Opaque';
      // stringData is write-only: merged into data (base64) like the real server does.
      if (isObj(obj.stringData)) {
        const data = isObj(obj.data) ? obj.data : {};
        for (const [k, v] of Object.entries(obj.stringData))
          data[k] = Buffer.from(String(v)).toString('base64');
        obj.data = data;
      }
      delete obj.stringData;
      break;
    }
    case 'resourcequotas':
      if (create) obj.status = {};
      break;
    case 'ingresses.networking.k8s.io':
      obj.status ??= { loadBalancer: {} };
      break;
    case 'networkpolicies.networking.k8s.io': {
      const spec = objAt(obj, 'spec');
      for (const dir of ['ingress', 'egress'])
        if (Array.isArray(spec[dir]))
          for (const r of spec[dir] as Obj[]) if (isObj(r)) defaultPortProtocols(r.ports);
      if (!Array.isArray(spec.policyTypes) || !spec.policyTypes.length)
        spec.policyTypes =
          Array.isArray(spec.egress) && spec.egress.length ? ['Ingress', 'Egress'] : ['Ingress'];
      spec.podSelector ??= {};
      break;
    }
    case 'poddisruptionbudgets.policy':
      if (create)
        obj.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
      break;
    case 'horizontalpodautoscalers.autoscaling': {
      const spec = objAt(obj, 'spec');
      spec.minReplicas ??= 1;
      if (!Array.isArray(spec.metrics) || !spec.metrics.length)
        spec.metrics = [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ];
      if (create) obj.status = { currentMetrics: null, desiredReplicas: 0 };
      break;
    }
    case 'rolebindings.rbac.authorization.k8s.io':
    case 'clusterrolebindings.rbac.authorization.k8s.io': {
      const ref = objAt(obj, 'roleRef');
      if (!ref.apiGroup) ref.apiGroup = 'rbac.authorization.k8s.io';
      if (Array.isArray(obj.subjects))
        for (const s of obj.subjects as Obj[]) {
          if (!isObj(s) || s.apiGroup) continue;
          if (s.kind === 'ServiceAccount') s.apiGroup = '';
          else if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = 'rbac.authorization.k8s.io';
        }
      break;
    }
  }
}
