/**
 * Validation of built-in kinds and the metadata of custom resources, as the registry runs it
 * (apiserver `rest.BeforeCreate` / `rest.BeforeUpdate`): the kind's strategy first, then (create) the
 * common metadata checks once the strategy passed, or (update) the common checks before it. Errors
 * become kube-apiserver's 422 Invalid Status.
 */
import type { ResourceType } from '../api/resources.js';
import type { KubeObject } from '../store/store.js';
import { cronJobs, jobs } from './batch.js';
import { configMaps, endpoints, events, limitRanges, namespaces, resourceQuotas, secrets } from './core.js';
import { customResourceDefinitions } from './crd.js';
import { daemonSets, deployments, replicaSets, statefulSets } from './apps.js';
import { invalid, invalidError, type ErrorList } from './field.js';
import type { KindValidator } from './kind.js';
import { commonCreate, commonUpdate, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { nameIsDNSSubdomain } from './names.js';
import { ingressClasses, ingresses, networkPolicies } from './networking.js';
import { pods } from './pod.js';
import { endpointSlices, horizontalPodAutoscalers, leases, podDisruptionBudgets } from './policy.js';
import { clusterRoleBindings, clusterRoles, roleBindings, roles } from './rbac.js';
import { services } from './service.js';
import { type Obj } from './values.js';

/** Validators by storage key; kinds not listed get the generic metadata checks. */
const validators: Record<string, KindValidator> = {
  configmaps: configMaps,
  secrets,
  namespaces,
  endpoints,
  events,
  'events.events.k8s.io': events,
  pods,
  services,
  resourcequotas: resourceQuotas,
  limitranges: limitRanges,
  'deployments.apps': deployments,
  'replicasets.apps': replicaSets,
  'statefulsets.apps': statefulSets,
  'daemonsets.apps': daemonSets,
  'jobs.batch': jobs,
  'cronjobs.batch': cronJobs,
  'ingresses.networking.k8s.io': ingresses,
  'ingressclasses.networking.k8s.io': ingressClasses,
  'networkpolicies.networking.k8s.io': networkPolicies,
  'poddisruptionbudgets.policy': podDisruptionBudgets,
  'horizontalpodautoscalers.autoscaling': horizontalPodAutoscalers,
  'leases.coordination.k8s.io': leases,
  'endpointslices.discovery.k8s.io': endpointSlices,
  'roles.rbac.authorization.k8s.io': roles,
  'clusterroles.rbac.authorization.k8s.io': clusterRoles,
  'rolebindings.rbac.authorization.k8s.io': roleBindings,
  'clusterrolebindings.rbac.authorization.k8s.io': clusterRoleBindings,
  'customresourcedefinitions.apiextensions.k8s.io': customResourceDefinitions,
};

function generic(rt: ResourceType): KindValidator {
  return {
    create: (o) =>
      validateObjectMeta(o.metadata as Obj, {
        namespaced: rt.namespaced,
        nameFn: nameIsDNSSubdomain,
        kubeFinalizers: !rt.group,
      }),
  };
}

const validatorFor = (rt: ResourceType): KindValidator => validators[rt.storageKey] ?? generic(rt);

function fail(rt: ResourceType, obj: KubeObject, errs: ErrorList): void {
  if (errs.length) throw invalidError(rt.kind, rt.group, String(obj.metadata.name ?? ''), errs);
}

/**
 * Validates a built-in object about to be written: `old` is the current state on update, and
 * `subresource` tells a status write (its own rules) from a main-resource write.
 */
export function validateBuiltin(
  rt: ResourceType,
  obj: KubeObject,
  old: KubeObject | undefined,
  subresource?: string,
): void {
  const v = validatorFor(rt);
  const meta = obj.metadata as Obj;
  if (!old) {
    fail(rt, obj, v.create(obj));
    fail(rt, obj, commonCreate(meta));
    return;
  }
  const oldMeta = old.metadata as Obj;
  const common = commonUpdate(meta, oldMeta, rt.namespaced);
  if (subresource === 'status') {
    fail(rt, obj, [
      ...common,
      ...(v.status
        ? v.status(obj, old)
        : validateObjectMetaUpdate(meta, oldMeta, { kubeFinalizers: !rt.group })),
    ]);
    return;
  }
  const update = v.update
    ? v.update(obj, old)
    : [...validateObjectMetaUpdate(meta, oldMeta, { kubeFinalizers: !rt.group }), ...v.create(obj)];
  fail(rt, obj, [...common, ...update]);
}

/**
 * Custom resources: the type check that stops everything else (ValidateTypeMeta: a body of the wrong
 * kind is a 422), then metadata errors that join the schema's causes.
 */
export function customResourceMetaErrors(
  rt: ResourceType,
  obj: KubeObject,
  old: KubeObject | undefined,
): ErrorList {
  const typeErrs: ErrorList = [];
  if (obj.kind !== rt.kind) typeErrs.push(invalid('kind', obj.kind ?? '', `must be ${rt.kind}`));
  if (obj.apiVersion !== rt.groupVersion)
    typeErrs.push(invalid('apiVersion', obj.apiVersion ?? '', `must be ${rt.groupVersion}`));
  fail(rt, obj, typeErrs);
  const meta = obj.metadata as Obj;
  if (!old)
    return validateObjectMeta(meta, {
      namespaced: rt.namespaced,
      nameFn: nameIsDNSSubdomain,
      kubeFinalizers: false,
    });
  return [
    ...commonUpdate(meta, old.metadata as Obj, rt.namespaced),
    ...validateObjectMetaUpdate(meta, old.metadata as Obj, { kubeFinalizers: false }),
  ];
}

export { invalidError, toCauses } from './field.js';
