/**
 * The self-review APIs clients use to ask who they are and what they may do: SelfSubjectAccessReview
 * (`kubectl auth can-i`), SelfSubjectRulesReview (`kubectl auth can-i --list`) and SelfSubjectReview
 * (`kubectl auth whoami`). Create-only and never stored, like the real ones.
 */
import { bodyMediaType, decodeBody } from '../api/codec.js';
import type { ApiResult } from '../api/context.js';
import { nowSeconds } from '../api/objects.js';
import { errors } from '../api/status.js';
import { authorize, isAdmin, type Attributes, type UserInfo } from './auth.js';
import type { Route } from './route.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

const reviews: Record<string, { kind: string; apiVersion: string }> = {
  'authorization.k8s.io/v1/selfsubjectaccessreviews': {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
  },
  'authorization.k8s.io/v1/selfsubjectrulesreviews': {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
  },
  'authentication.k8s.io/v1/selfsubjectreviews': {
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
  },
};

/** The review a route addresses, if any (cluster-scoped collections only). */
export function reviewOf(r: Route): { kind: string; apiVersion: string } | undefined {
  if (r.kind !== 'resource' || r.ns || r.name || r.bad) return undefined;
  return reviews[`${r.groupVersion}/${r.plural}`];
}

function allowed(user: UserInfo, a: Attributes): boolean {
  try {
    authorize(user, a);
    return true;
  } catch {
    return false;
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function accessReviewStatus(user: UserInfo, spec: Obj): Obj {
  const ra = isObj(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
  const nra = isObj(spec.nonResourceAttributes) ? spec.nonResourceAttributes : undefined;
  if (!ra && !nra) {
    throw errors.invalid('SelfSubjectAccessReview', 'authorization.k8s.io', '', [
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

/** Answers a POST to one of the review collections (405 for any other method). */
export function answerReview(
  review: { kind: string; apiVersion: string },
  method: string,
  body: Buffer | undefined,
  contentType: string | undefined,
  user: UserInfo,
): ApiResult {
  if (method !== 'POST') throw errors.methodNotAllowed();
  const input = body?.length ? decodeBody(body, bodyMediaType(contentType), review.kind) : {};
  const obj = isObj(input) ? input : {};
  const meta = isObj(obj.metadata) ? { ...obj.metadata } : {};
  let out: Obj;
  if (review.kind === 'SelfSubjectReview') {
    meta.creationTimestamp = nowSeconds();
    out = { metadata: meta, status: { userInfo: { username: user.username, groups: user.groups } } };
  } else {
    meta.creationTimestamp ??= null;
    const spec = isObj(obj.spec) ? obj.spec : {};
    const status =
      review.kind === 'SelfSubjectAccessReview' ? accessReviewStatus(user, spec) : rulesReviewStatus(user);
    out = { metadata: meta, spec, status };
  }
  return {
    code: 201,
    body: JSON.stringify({ kind: review.kind, apiVersion: review.apiVersion, ...out }),
  };
}
