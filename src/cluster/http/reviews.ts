/**
 * The review APIs (resources with `virtual: 'review'`), answered for the user who asks: who am I
 * (SelfSubjectReview, `kubectl auth whoami`), may I (SelfSubjectAccessReview, `kubectl auth can-i`;
 * SelfSubjectRulesReview, `can-i --list`), may they (SubjectAccessReview, LocalSubjectAccessReview)
 * and whose token is this (TokenReview). Create-only and never stored, like the real ones; who may
 * create which is decided by http/auth.ts (self reviews: any authenticated user; the others: admins).
 */
import { bodyMediaType, decodeBody } from '../api/codec.js';
import type { ApiContext, ApiRequest, ApiResult } from '../api/context.js';
import { nowSeconds } from '../api/objects.js';
import { errors } from '../api/status.js';
import { adminUser, anonymousUser, authorize, isAdmin, type Attributes, type UserInfo } from './auth.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function allowed(user: UserInfo, a: Attributes): boolean {
  try {
    authorize(user, a);
    return true;
  } catch {
    return false;
  }
}

/** SubjectAccessReviewStatus for `user` and the spec's resource or non-resource attributes. */
function accessReviewStatus(kind: string, user: UserInfo, spec: Obj): Obj {
  const ra = isObj(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
  const nra = isObj(spec.nonResourceAttributes) ? spec.nonResourceAttributes : undefined;
  if (!ra && !nra) {
    throw errors.invalid(kind, 'authorization.k8s.io', '', [
      {
        reason: 'FieldValueRequired',
        message:
          'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
        field: 'spec.resourceAttributes',
      },
    ]);
  }
  const a: Attributes = ra
    ? {
        verb: str(ra.verb),
        path: '',
        resource: {
          group: str(ra.group),
          resource: str(ra.resource),
          subresource: str(ra.subresource) || undefined,
          name: str(ra.name) || undefined,
          namespace: str(ra.namespace),
        },
      }
    : { verb: str(nra!.verb), path: str(nra!.path) };
  return { allowed: allowed(user, a) };
}

/** The rules RBAC's bootstrap policy gives `user` (cluster-admin for system:masters). */
function rulesReviewStatus(user: UserInfo): Obj {
  const resourceRules: Obj[] = [];
  const nonResourceRules: Obj[] = [];
  if (isAdmin(user)) {
    resourceRules.push({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
    nonResourceRules.push({ verbs: ['*'], nonResourceURLs: ['*'] });
  }
  resourceRules.push(
    {
      verbs: ['create'],
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    },
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  );
  nonResourceRules.push(
    {
      verbs: ['get'],
      nonResourceURLs: [
        '/api',
        '/api/*',
        '/apis',
        '/apis/*',
        '/healthz',
        '/livez',
        '/openapi',
        '/openapi/*',
        '/readyz',
        '/version',
        '/version/',
      ],
    },
    { verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] },
  );
  return { resourceRules, nonResourceRules, incomplete: false };
}

/** POST of a review: the object sent back with its status filled in (201). */
export function answerReview(ctx: ApiContext, req: ApiRequest): ApiResult {
  if (req.method !== 'POST') throw errors.methodNotAllowed();
  const rt = req.rt;
  const input = req.body?.length ? decodeBody(req.body, bodyMediaType(req.contentType), rt.kind) : {};
  if (!isObj(input))
    throw errors.badRequest(`the object provided is unrecognized (must be of type ${rt.kind})`);
  const user = req.user ?? anonymousUser;
  const meta = isObj(input.metadata) ? { ...input.metadata } : {};
  const spec = isObj(input.spec) ? input.spec : {};
  const out: Obj = { kind: rt.kind, apiVersion: rt.groupVersion, metadata: meta };
  if (rt.kind === 'SelfSubjectReview') {
    meta.creationTimestamp = nowSeconds();
    out.status = { userInfo: { username: user.username, groups: user.groups } };
    return { code: 201, body: JSON.stringify(out) };
  }
  // The others echo their spec beside the status.
  meta.creationTimestamp ??= null;
  if (rt.kind === 'LocalSubjectAccessReview') meta.namespace = req.ns;
  out.spec = spec;
  switch (rt.kind) {
    case 'TokenReview': {
      const ok = typeof spec.token === 'string' && ctx.hooks.tokenValid?.(spec.token) === true;
      out.status = ok
        ? { authenticated: true, user: { username: adminUser.username, groups: adminUser.groups } }
        : { user: {}, error: 'invalid bearer token' };
      break;
    }
    case 'SelfSubjectAccessReview':
      out.status = accessReviewStatus(rt.kind, user, spec);
      break;
    case 'SelfSubjectRulesReview':
      out.status = rulesReviewStatus(user);
      break;
    default: {
      // SubjectAccessReview / LocalSubjectAccessReview: the subject is whoever the spec names.
      const groups = Array.isArray(spec.groups) ? spec.groups.map(String) : [];
      out.status = accessReviewStatus(rt.kind, { username: str(spec.user), groups }, spec);
    }
  }
  return { code: 201, body: JSON.stringify(out) };
}
