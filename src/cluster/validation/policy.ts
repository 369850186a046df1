/**
 * policy/v1 PodDisruptionBudget, autoscaling/v2 HorizontalPodAutoscaler, coordination.k8s.io/v1
 * Lease and discovery.k8s.io/v1 EndpointSlice: the spec checks of their validation packages.
 */
import {
  child,
  eachInvalid,
  GoText,
  index,
  invalid,
  notSupported,
  required,
  type ErrorList,
} from './field.js';
import type { KindValidator } from './kind.js';
import {
  builtinMeta,
  nonNegative,
  metaUpdateThen,
  statusCounts,
  validateMetaUpdate,
  validateObjectMeta,
} from './meta.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidIP, isValidPortNum } from './names.js';
import { validateLabelSelector } from './selector.js';
import { notMoreThan100Percent, validatePositiveIntOrPercent } from './apps.js';
import { validateProtocol } from './core.js';
import { arr, isObj, type Obj, specOf } from './values.js';

function validatePdb(o: Obj): ErrorList {
  const errs = validateObjectMeta(o.metadata as Obj, builtinMeta());
  const s = specOf(o);
  if (s.minAvailable !== undefined && s.maxUnavailable !== undefined)
    errs.push(
      invalid(
        'spec',
        new GoText('policy.PodDisruptionBudgetSpec{…}'),
        'minAvailable and maxUnavailable cannot be both set',
      ),
    );
  for (const f of ['minAvailable', 'maxUnavailable']) {
    if (s[f] === undefined) continue;
    errs.push(...validatePositiveIntOrPercent(s[f], `spec.${f}`));
    errs.push(...notMoreThan100Percent(s[f], `spec.${f}`));
  }
  errs.push(...validateLabelSelector(s.selector, 'spec.selector'));
  const p = s.unhealthyPodEvictionPolicy;
  if (p !== undefined && p !== 'IfHealthyBudget' && p !== 'AlwaysAllow')
    errs.push(notSupported('spec.unhealthyPodEvictionPolicy', p, ['AlwaysAllow', 'IfHealthyBudget']));
  return errs;
}

export const podDisruptionBudgets: KindValidator = {
  create: validatePdb,
  update: metaUpdateThen(validatePdb),
  status: (o, old) => [
    ...validateMetaUpdate(o, old),
    ...statusCounts(o, ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods']),
  ],
};

function validateHpa(o: Obj): ErrorList {
  const errs = validateObjectMeta(o.metadata as Obj, builtinMeta());
  const s = specOf(o);
  const ref = isObj(s.scaleTargetRef) ? s.scaleTargetRef : {};
  if (!ref.kind) errs.push(required('spec.scaleTargetRef.kind'));
  if (!ref.name) errs.push(required('spec.scaleTargetRef.name'));
  const min = typeof s.minReplicas === 'number' ? s.minReplicas : 1;
  if (min < 1) errs.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  const max = typeof s.maxReplicas === 'number' ? s.maxReplicas : 0;
  if (max < 1) errs.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (max < min)
    errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  const types = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
  arr(s.metrics).forEach((m, i) => {
    const p = index('spec.metrics', i);
    if (!m.type) errs.push(required(child(p, 'type'), 'must specify a metric source type'));
    else if (!types.includes(String(m.type))) errs.push(notSupported(child(p, 'type'), m.type, types));
  });
  return errs;
}

export const horizontalPodAutoscalers: KindValidator = {
  create: validateHpa,
  update: metaUpdateThen(validateHpa),
};

function validateLease(o: Obj): ErrorList {
  const errs = validateObjectMeta(o.metadata as Obj, builtinMeta());
  const s = specOf(o);
  if (typeof s.leaseDurationSeconds === 'number' && s.leaseDurationSeconds <= 0)
    errs.push(invalid('spec.leaseDurationSeconds', s.leaseDurationSeconds, 'must be greater than 0'));
  errs.push(...nonNegative(s.leaseTransitions, 'spec.leaseTransitions'));
  return errs;
}

export const leases: KindValidator = {
  create: validateLease,
  update: (o, old) => [...validateMetaUpdate(o, old), ...validateLease(o)],
};

const addressTypes = ['FQDN', 'IPv4', 'IPv6'];

function validateEndpointSlice(o: Obj): ErrorList {
  const errs = validateObjectMeta(o.metadata as Obj, builtinMeta());
  const at = o.addressType;
  if (!at) errs.push(required('addressType'));
  else if (!addressTypes.includes(String(at))) errs.push(notSupported('addressType', at, addressTypes));
  arr(o.endpoints).forEach((ep, i) => {
    const p = index('endpoints', i);
    const addrs = Array.isArray(ep.addresses) ? (ep.addresses as unknown[]) : [];
    if (!addrs.length) errs.push(required(child(p, 'addresses'), 'must contain at least 1 address'));
    addrs.forEach((a, j) => {
      const ap = index(child(p, 'addresses'), j);
      const s = String(a);
      if (at === 'FQDN') errs.push(...eachInvalid(ap, s, isDNS1123Subdomain(s)));
      else errs.push(...eachInvalid(ap, s, isValidIP(s)));
    });
  });
  arr(o.ports).forEach((port, i) => {
    const p = index('ports', i);
    if (typeof port.name === 'string' && port.name)
      errs.push(...eachInvalid(child(p, 'name'), port.name, isDNS1123Label(port.name)));
    if (typeof port.port === 'number')
      errs.push(...eachInvalid(child(p, 'port'), port.port, isValidPortNum(port.port)));
    if (port.protocol !== undefined) errs.push(...validateProtocol(port.protocol, child(p, 'protocol')));
  });
  return errs;
}

export const endpointSlices: KindValidator = {
  create: validateEndpointSlice,
  update(o, old) {
    const errs = [...validateMetaUpdate(o, old), ...validateEndpointSlice(o)];
    if (o.addressType !== old.addressType)
      errs.push(invalid('addressType', o.addressType ?? '', 'field is immutable'));
    return errs;
  },
};
