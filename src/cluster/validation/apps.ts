/**
 * apps/v1 workloads (pkg/apis/apps/validation and the registry strategies): Deployment, ReplicaSet,
 * StatefulSet, DaemonSet. Selector required, non-empty and matching the template's labels; replicas
 * and the other counts non-negative; strategies; the pod template; selectors immutable on update.
 */
import {
  child,
  forbidden,
  goLabelSelector,
  goIntOrString,
  goQuote,
  goStringMap,
  GoText,
  invalid,
  notSupported,
  required,
  type ErrorList,
} from './field.js';
import type { KindValidator } from './kind.js';
import { builtinMeta, nonNegative, statusCounts, validateMetaUpdate, validateObjectMeta } from './meta.js';
import { isValidPercent } from './names.js';
import { validatePodTemplateSpec } from './pod.js';
import {
  selectorEmpty,
  selectorImmutable,
  selectorMatches,
  selectorParseable,
  validateLabelSelector,
} from './selector.js';
import { jsonEqual } from '../api/objects.js';
import { isObj, type Obj, specOf, templateLabels } from './values.js';

export function validatePositiveIntOrPercent(v: unknown, path: string): ErrorList {
  if (typeof v === 'string') return isValidPercent(v).map((m) => invalid(path, goIntOrString(v), m));
  return nonNegative(v, path);
}

const intOrPercentValue = (v: unknown): number => {
  if (typeof v === 'string') return isValidPercent(v).length ? 0 : Number(v.slice(0, -1));
  return typeof v === 'number' ? v : 0;
};

export function notMoreThan100Percent(v: unknown, path: string): ErrorList {
  return typeof v === 'string' && !isValidPercent(v).length && Number(v.slice(0, -1)) > 100
    ? [invalid(path, goIntOrString(v), 'must not be greater than 100%')]
    : [];
}

/** Selector checks shared by the workloads; `what` names the kind in "empty selector is invalid for …". */
function validateSelectorAndTemplate(s: Obj, what: string): ErrorList {
  const errs: ErrorList = [];
  if (s.selector === undefined || s.selector === null) errs.push(required('spec.selector'));
  else {
    errs.push(...validateLabelSelector(s.selector, 'spec.selector'));
    if (selectorEmpty(s.selector))
      errs.push(
        invalid('spec.selector', goLabelSelector(s.selector), `empty selector is invalid for ${what}`),
      );
  }
  if (!selectorParseable(s.selector)) {
    errs.push(invalid('spec.selector', goLabelSelector(s.selector), 'invalid label selector'));
    return errs;
  }
  const labels = templateLabels(s);
  // A nil selector matches nothing; an empty one everything (and has its own error above).
  if (!selectorEmpty(s.selector) && !selectorMatches(s.selector ?? null, labels))
    errs.push(
      invalid(
        'spec.template.metadata.labels',
        goStringMap(labels),
        '`selector` does not match template `labels`',
      ),
    );
  return errs;
}

function validateReplicaSetTemplate(s: Obj, kind: string): ErrorList {
  const errs = validatePodTemplateSpec(s.template, 'spec.template');
  const podSpec = ((s.template as Obj | undefined)?.spec as Obj | undefined) ?? {};
  if (podSpec.restartPolicy !== 'Always')
    errs.push(notSupported('spec.template.spec.restartPolicy', podSpec.restartPolicy ?? '', ['Always']));
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null)
    errs.push(
      forbidden(
        'spec.template.spec.activeDeadlineSeconds',
        `activeDeadlineSeconds in ${kind} is not Supported`,
      ),
    );
  return errs;
}

function validateDeploymentStrategy(strategy: unknown): ErrorList {
  const st = isObj(strategy) ? strategy : {};
  const path = 'spec.strategy';
  const ru = st.rollingUpdate;
  switch (st.type) {
    case 'Recreate':
      return ru !== undefined && ru !== null
        ? [forbidden(child(path, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")]
        : [];
    case 'RollingUpdate': {
      if (!isObj(ru))
        return [required(child(path, 'rollingUpdate'), 'this should be defaulted and never be nil')];
      const p = child(path, 'rollingUpdate');
      const errs = [
        ...validatePositiveIntOrPercent(ru.maxUnavailable, child(p, 'maxUnavailable')),
        ...validatePositiveIntOrPercent(ru.maxSurge, child(p, 'maxSurge')),
      ];
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0)
        errs.push(
          invalid(
            child(p, 'maxUnavailable'),
            goIntOrString(ru.maxUnavailable),
            'may not be 0 when `maxSurge` is 0',
          ),
        );
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, child(p, 'maxUnavailable')));
      return errs;
    }
    default:
      return [
        notSupported(
          path,
          new GoText(
            `apps.DeploymentStrategy{Type:${goQuote(String(st.type ?? ''))}, RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}`,
          ),
          ['Recreate', 'RollingUpdate'],
        ),
      ];
  }
}

function validateDeployment(o: Obj): ErrorList {
  const s = specOf(o);
  const errs = validateObjectMeta(o.metadata as Obj, builtinMeta());
  errs.push(...nonNegative(s.replicas, 'spec.replicas'));
  errs.push(...validateSelectorAndTemplate(s, 'deployment'));
  if (selectorParseable(s.selector)) errs.push(...validateReplicaSetTemplate(s, 'ReplicaSet'));
  errs.push(...validateDeploymentStrategy(s.strategy));
  errs.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (typeof s.progressDeadlineSeconds === 'number') {
    errs.push(...nonNegative(s.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (s.progressDeadlineSeconds <= (typeof s.minReadySeconds === 'number' ? s.minReadySeconds : 0))
      errs.push(
        invalid(
          'spec.progressDeadlineSeconds',
          s.progressDeadlineSeconds,
          'must be greater than minReadySeconds',
        ),
      );
  }
  return errs;
}

export const deployments: KindValidator = {
  create: validateDeployment,
  update: (o, old) => [...validateMetaUpdate(o, old), ...validateDeployment(o), ...selectorImmutable(o, old)],
  status: (o, old) => [
    ...validateMetaUpdate(o, old),
    ...statusCounts(o, [
      'observedGeneration',
      'replicas',
      'updatedReplicas',
      'readyReplicas',
      'availableReplicas',
      'unavailableReplicas',
    ]),
  ],
};

function validateReplicaSet(o: Obj): ErrorList {
  const s = specOf(o);
  const errs = validateObjectMeta(o.metadata as Obj, builtinMeta());
  errs.push(...nonNegative(s.replicas, 'spec.replicas'));
  errs.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateSelectorAndTemplate(s, 'deployment'));
  if (selectorParseable(s.selector)) errs.push(...validateReplicaSetTemplate(s, 'ReplicaSet'));
  return errs;
}

export const replicaSets: KindValidator = {
  create: validateReplicaSet,
  update: (o, old) => [...validateMetaUpdate(o, old), ...validateReplicaSet(o), ...selectorImmutable(o, old)],
  status: (o, old) => [
    ...validateMetaUpdate(o, old),
    ...statusCounts(o, [
      'replicas',
      'fullyLabeledReplicas',
      'readyReplicas',
      'availableReplicas',
      'observedGeneration',
    ]),
  ],
};

function validateStatefulSet(o: Obj): ErrorList {
  const s = specOf(o);
  const errs = validateObjectMeta(o.metadata as Obj, builtinMeta());
  const pmp = s.podManagementPolicy;
  if (!pmp) errs.push(required('spec.podManagementPolicy'));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel')
    errs.push(invalid('spec.podManagementPolicy', pmp, "must be 'OrderedReady' or 'Parallel'"));
  const us = isObj(s.updateStrategy) ? s.updateStrategy : {};
  if (!us.type) errs.push(required('spec.updateStrategy'));
  else if (us.type === 'OnDelete' && us.rollingUpdate)
    errs.push(
      invalid(
        'spec.updateStrategy.rollingUpdate',
        new GoText('apps.RollingUpdateStatefulSetStrategy{…}'),
        "only allowed for updateStrategy 'RollingUpdate'",
      ),
    );
  else if (us.type === 'RollingUpdate' && isObj(us.rollingUpdate))
    errs.push(...nonNegative(us.rollingUpdate.partition, 'spec.updateStrategy.rollingUpdate.partition'));
  else if (us.type !== 'OnDelete' && us.type !== 'RollingUpdate')
    errs.push(
      invalid(
        'spec.updateStrategy',
        new GoText(`apps.StatefulSetUpdateStrategy{Type:${goQuote(String(us.type))}}`),
        "must be 'RollingUpdate' or 'OnDelete'",
      ),
    );
  errs.push(...nonNegative(s.replicas, 'spec.replicas'));
  errs.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'));
  if (s.selector === undefined || s.selector === null) errs.push(required('spec.selector'));
  else {
    errs.push(...validateLabelSelector(s.selector, 'spec.selector'));
    if (selectorEmpty(s.selector))
      errs.push(
        invalid('spec.selector', goLabelSelector(s.selector), 'empty selector is invalid for statefulset'),
      );
  }
  const labels = templateLabels(s);
  if (
    selectorParseable(s.selector) &&
    !selectorEmpty(s.selector) &&
    !selectorMatches(s.selector ?? null, labels)
  )
    errs.push(
      invalid(
        'spec.template.metadata.labels',
        goStringMap(labels),
        '`selector` does not match template `labels`',
      ),
    );
  const podSpec = ((s.template as Obj | undefined)?.spec as Obj | undefined) ?? {};
  errs.push(...validatePodTemplateSpec(s.template, 'spec.template'));
  if (podSpec.restartPolicy !== 'Always')
    errs.push(notSupported('spec.template.spec.restartPolicy', podSpec.restartPolicy ?? '', ['Always']));
  return errs;
}

export const statefulSets: KindValidator = {
  create: validateStatefulSet,
  update(o, old) {
    const errs = [...validateStatefulSet(o), ...validateMetaUpdate(o, old)];
    const strip = (x: Obj): Obj => {
      const {
        replicas: _r,
        ordinals: _o,
        template: _t,
        updateStrategy: _u,
        minReadySeconds: _m,
        persistentVolumeClaimRetentionPolicy: _p,
        ...rest
      } = specOf(x);
      return rest;
    };
    if (!jsonEqual(strip(o), strip(old)))
      errs.push(
        forbidden(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      );
    return errs;
  },
};

function validateDaemonSet(o: Obj): ErrorList {
  const s = specOf(o);
  const errs = validateObjectMeta(o.metadata as Obj, builtinMeta());
  errs.push(...validateLabelSelector(s.selector, 'spec.selector'));
  const labels = templateLabels(s);
  if (selectorParseable(s.selector) && !selectorMatches(s.selector ?? null, labels))
    errs.push(
      invalid(
        'spec.template.metadata.labels',
        goStringMap(labels),
        '`selector` does not match template `labels`',
      ),
    );
  if (isObj(s.selector) && selectorEmpty(s.selector))
    errs.push(
      invalid('spec.selector', goLabelSelector(s.selector), 'empty selector is invalid for daemonset'),
    );
  errs.push(...validatePodTemplateSpec(s.template, 'spec.template'));
  const podSpec = ((s.template as Obj | undefined)?.spec as Obj | undefined) ?? {};
  if (podSpec.restartPolicy !== 'Always')
    errs.push(notSupported('spec.template.spec.restartPolicy', podSpec.restartPolicy ?? '', ['Always']));
  errs.push(...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

export const daemonSets: KindValidator = {
  create: validateDaemonSet,
  update: (o, old) => [...validateMetaUpdate(o, old), ...validateDaemonSet(o), ...selectorImmutable(o, old)],
};
