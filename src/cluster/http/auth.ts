/**
 * Authentication and authorization as a fresh kube-apiserver with a token file, anonymous auth and
 * RBAC's bootstrap policy answers them:
 * - the server's bearer token is a cluster admin (group system:masters);
 * - no credentials (or a non-bearer Authorization header) is `system:anonymous`, which RBAC's
 *   `system:public-info-viewer` lets GET exactly /healthz, /livez, /readyz, /version and /version/;
 *   everything else is 403 Forbidden with the authorizer's wording (watches included);
 * - a wrong bearer token is 401 (the token authenticator fails before anonymous is tried).
 * On the insecure port (`kubeperf cluster start --insecure-http`: kubectl never sends a token over
 * plain HTTP), requests without credentials act as `system:unsecured`, a cluster admin, like
 * kube-apiserver's removed --insecure-port did.
 */
import type { Route } from './route.js';
import type { UserInfo } from '../api/context.js';
import { queryBool } from '../api/request-options.js';
import { ApiError, errors, type StatusDetails } from '../api/status.js';

export type { UserInfo } from '../api/context.js';

export const adminUser: UserInfo = {
  username: 'kubeperf-admin',
  groups: ['system:masters', 'system:authenticated'],
};
export const anonymousUser: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
const unsecuredUser: UserInfo = {
  username: 'system:unsecured',
  groups: ['system:masters', 'system:authenticated'],
};

/** Who is asking. Throws 401 for a bearer token that is not the server's. */
export function authenticate(header: string | undefined, bearer: string, insecurePort: boolean): UserInfo {
  if (header === bearer) return adminUser;
  const parts = (header ?? '').trim().split(' ', 3);
  if (parts.length >= 2 && parts[0]!.toLowerCase() === 'bearer' && parts[1] !== '') {
    if (`Bearer ${parts[1]}` === bearer) return adminUser;
    throw errors.unauthorized();
  }
  return insecurePort ? unsecuredUser : anonymousUser;
}

/**
 * The user a request acts as after `Impersonate-User`/`Impersonate-Group` (kubectl --as/--as-group).
 * Admins may impersonate anyone; the impersonated user is bound to nothing, as on a fresh cluster.
 */
export function impersonated(user: UserInfo, name: unknown, groups: unknown): UserInfo {
  if (typeof name !== 'string' || !name) return user;
  if (!isAdmin(user)) {
    throw forbidden(user.username, {
      verb: 'impersonate',
      path: '',
      resource: { group: '', resource: 'users', name, namespace: '' },
    });
  }
  const extra = (Array.isArray(groups) ? groups : typeof groups === 'string' ? groups.split(',') : [])
    .map((g: string) => g.trim())
    .filter((g: string) => g);
  return { username: name, groups: [...extra, 'system:authenticated'] };
}

export const isAdmin = (u: UserInfo): boolean => u.groups.includes('system:masters');

/** RBAC's system:public-info-viewer (bound to system:authenticated and system:unauthenticated). */
const publicInfo = new Set(['/healthz', '/livez', '/readyz', '/version', '/version/']);
/** RBAC's system:discovery and system:basic-user (bound to system:authenticated only). */
const discoveryUrls = ['/api', '/apis', '/openapi', '/version', '/healthz', '/livez', '/readyz'];

/** What the authorizer sees of a request (k8s.io/apiserver RequestInfo). */
export interface Attributes {
  verb: string;
  path: string;
  resource?: { group: string; resource: string; subresource?: string; name?: string; namespace: string };
}

/** RequestInfo of a request: a non-resource URL or a resource with its verb. */
export function attributesOf(r: Route, method: string, path: string, query: URLSearchParams): Attributes {
  if (r.kind !== 'resource' || !r.plural) return { verb: method.toLowerCase(), path };
  const slash = r.groupVersion.indexOf('/');
  const group = slash < 0 ? '' : r.groupVersion.slice(0, slash);
  let verb =
    method === 'GET' || method === 'HEAD'
      ? 'get'
      : ({ POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as Record<string, string>)[
          method
        ];
  if (verb === undefined) verb = '';
  if (r.watchPath) verb = 'watch';
  else if (!r.name && verb === 'get') verb = queryBool(query, 'watch') ? 'watch' : 'list';
  else if (!r.name && verb === 'delete') verb = 'deletecollection';
  // `/api/v1/namespaces/NAME` addresses the namespace NAME in namespace NAME.
  const namespace = r.ns || (r.plural === 'namespaces' && r.name ? r.name : '');
  return {
    verb,
    path,
    resource: { group, resource: r.plural, subresource: r.subresource, name: r.name, namespace },
  };
}

/** Throws the authorizer's 403 unless `user` may do this. Admins may do everything. */
export function authorize(user: UserInfo, a: Attributes): void {
  if (isAdmin(user)) return;
  if (!a.resource && a.verb === 'get') {
    if (publicInfo.has(a.path)) return;
    const authenticated = user.groups.includes('system:authenticated');
    if (authenticated && discoveryUrls.some((u) => a.path === u || a.path.startsWith(u + '/'))) return;
  }
  if (a.resource && user.groups.includes('system:authenticated') && a.verb === 'create') {
    const g = a.resource.group;
    const self =
      (g === 'authorization.k8s.io' &&
        (a.resource.resource === 'selfsubjectaccessreviews' ||
          a.resource.resource === 'selfsubjectrulesreviews')) ||
      (g === 'authentication.k8s.io' && a.resource.resource === 'selfsubjectreviews');
    if (self) return;
  }
  throw forbidden(user.username, a);
}

/** kube-apiserver's Forbidden (responsewriters.ForbiddenStatusError) for these attributes. */
function forbidden(username: string, a: Attributes): ApiError {
  const r = a.resource;
  if (!r) return errors.forbidden(`forbidden: User "${username}" cannot ${a.verb} path "${a.path}"`, {});
  const resource = r.subresource ? `${r.resource}/${r.subresource}` : r.resource;
  const where = r.namespace ? `in the namespace "${r.namespace}"` : 'at the cluster scope';
  const qualified = r.group ? `${r.resource}.${r.group}` : r.resource;
  const details: StatusDetails = {};
  if (r.name) details.name = r.name;
  if (r.group) details.group = r.group;
  details.kind = r.resource;
  return errors.forbidden(
    `${r.name ? `${qualified} "${r.name}"` : qualified} is forbidden: User "${username}" cannot ${a.verb} resource "${resource}" in API group "${r.group}" ${where}`,
    details,
  );
}
