/**
 * rbac.authorization.k8s.io/v1 Roles, ClusterRoles and their bindings (pkg/apis/rbac/validation):
 * stored and validated, never enforced (the embedded server's token is a cluster admin).
 */
import {
  child,
  eachInvalid,
  goQuote,
  goStringSlice,
  GoText,
  index,
  invalid,
  notSupported,
  required,
  type ErrorList,
} from './field.js';
import type { KindValidator } from './kind.js';
import { validateMetaUpdate, validateObjectMeta } from './meta.js';
import { isDNS1123Subdomain, validatePathSegmentName } from './names.js';
import { validateLabelSelector } from './selector.js';
import { jsonEqual } from '../api/objects.js';
import { arr, isObj, len, type Obj, str } from './values.js';

export const rbacGroup = 'rbac.authorization.k8s.io';

const meta = (namespaced: boolean) => ({
  namespaced,
  nameFn: validatePathSegmentName,
  kubeFinalizers: false,
});

function validateRule(rule: Obj, namespaced: boolean, path: string): ErrorList {
  const errs: ErrorList = [];
  if (!len(rule.verbs)) errs.push(required(child(path, 'verbs'), 'verbs must contain at least one value'));
  if (len(rule.nonResourceURLs)) {
    const urls = goStringSlice(rule.nonResourceURLs);
    if (namespaced)
      errs.push(
        invalid(child(path, 'nonResourceURLs'), urls, 'namespaced rules cannot apply to non-resource URLs'),
      );
    if (len(rule.apiGroups) || len(rule.resources) || len(rule.resourceNames))
      errs.push(
        invalid(
          child(path, 'nonResourceURLs'),
          urls,
          'rules cannot apply to both regular resources and non-resource URLs',
        ),
      );
    return errs;
  }
  if (!len(rule.apiGroups))
    errs.push(required(child(path, 'apiGroups'), 'resource rules must supply at least one api group'));
  if (!len(rule.resources))
    errs.push(required(child(path, 'resources'), 'resource rules must supply at least one resource'));
  return errs;
}

function validateRole(o: Obj, namespaced: boolean): ErrorList {
  const errs = validateObjectMeta(o.metadata as Obj, meta(namespaced));
  arr(o.rules).forEach((r, i) => errs.push(...validateRule(r, namespaced, index('rules', i))));
  if (!namespaced && o.aggregationRule !== undefined && o.aggregationRule !== null) {
    const sels = arr((o.aggregationRule as Obj).clusterRoleSelectors);
    if (!sels.length)
      errs.push(
        required(
          'aggregationRule.clusterRoleSelectors',
          'at least one clusterRoleSelector required if aggregationRule is non-nil',
        ),
      );
    sels.forEach((s, i) =>
      errs.push(...validateLabelSelector(s, index('aggregationRule.clusterRoleSelectors', i))),
    );
  }
  return errs;
}

function validateSubject(s: Obj, namespaced: boolean, path: string): ErrorList {
  const errs: ErrorList = [];
  const name = str(s.name);
  if (!name) errs.push(required(child(path, 'name')));
  switch (s.kind) {
    case 'ServiceAccount':
      if (name) errs.push(...eachInvalid(child(path, 'name'), name, isDNS1123Subdomain(name)));
      if (str(s.apiGroup)) errs.push(notSupported(child(path, 'apiGroup'), s.apiGroup, ['']));
      if (!namespaced && !str(s.namespace)) errs.push(required(child(path, 'namespace')));
      break;
    case 'User':
    case 'Group':
      if (s.apiGroup !== rbacGroup)
        errs.push(notSupported(child(path, 'apiGroup'), s.apiGroup ?? '', [rbacGroup]));
      break;
    default:
      errs.push(notSupported(child(path, 'kind'), s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBinding(o: Obj, namespaced: boolean): ErrorList {
  const errs = validateObjectMeta(o.metadata as Obj, meta(namespaced));
  const ref = isObj(o.roleRef) ? o.roleRef : {};
  if (ref.apiGroup !== rbacGroup)
    errs.push(notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [rbacGroup]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(String(ref.kind))) errs.push(notSupported('roleRef.kind', ref.kind ?? '', kinds));
  const name = str(ref.name);
  if (!name) errs.push(required('roleRef.name'));
  else errs.push(...eachInvalid('roleRef.name', name, validatePathSegmentName(name, false)));
  arr(o.subjects).forEach((s, i) => errs.push(...validateSubject(s, namespaced, index('subjects', i))));
  return errs;
}

const goRoleRef = (r: unknown): GoText => {
  const ref = isObj(r) ? r : {};
  return new GoText(
    `rbac.RoleRef{APIGroup:${goQuote(str(ref.apiGroup))}, Kind:${goQuote(str(ref.kind))}, Name:${goQuote(str(ref.name))}}`,
  );
};

const role = (namespaced: boolean): KindValidator => ({
  create: (o) => validateRole(o, namespaced),
  update: (o, old) => [...validateRole(o, namespaced), ...validateMetaUpdate(o, old, false)],
});

const binding = (namespaced: boolean): KindValidator => ({
  create: (o) => validateBinding(o, namespaced),
  update(o, old) {
    const errs = [...validateBinding(o, namespaced), ...validateMetaUpdate(o, old, false)];
    if (!jsonEqual(o.roleRef ?? null, old.roleRef ?? null))
      errs.push(invalid('roleRef', goRoleRef(o.roleRef), 'cannot change roleRef'));
    return errs;
  },
});

export const roles = role(true);
export const clusterRoles = role(false);
export const roleBindings = binding(true);
export const clusterRoleBindings = binding(false);
