/**
 * Kubernetes `Status` error bodies, shaped like kube-apiserver v1.28 (key order: kind, apiVersion,
 * metadata, status, message, reason, details, code).
 */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** An error the server answers with a Status object (or, for `plain`, a text body). */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string | undefined,
    message: string,
    readonly details?: StatusDetails,
    readonly headers?: Record<string, string>,
    /** Plain-text body instead of a Status (the real 404 page and max-inflight 429). */
    readonly plain?: string,
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    const s: Record<string, unknown> = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
    };
    if (this.reason) s.reason = this.reason;
    if (this.details) s.details = this.details;
    s.code = this.code;
    return s;
  }
}

export interface ResourceRef {
  plural: string;
  group: string;
}

/** The group-qualified resource (`deployments.apps`, `pods`): errors' wording and the store's key. */
export function qualified(r: ResourceRef): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

function refDetails(r: ResourceRef, name?: string): StatusDetails {
  const d: StatusDetails = {};
  if (name !== undefined) d.name = name;
  if (r.group) d.group = r.group;
  d.kind = r.plural;
  return d;
}

export const errors = {
  notFound: (r: ResourceRef, name: string) =>
    new ApiError(404, 'NotFound', `${qualified(r)} "${name}" not found`, refDetails(r, name)),
  alreadyExists: (r: ResourceRef, name: string) =>
    new ApiError(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, refDetails(r, name)),
  conflict: (r: ResourceRef, name: string) =>
    new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      refDetails(r, name),
    ),
  badRequest: (message: string) => new ApiError(400, 'BadRequest', message),
  invalid: (kind: string, group: string, name: string, causes: StatusCause[], prefix?: string) => {
    // Like field.ErrorList.ToAggregate(): repeated texts appear once in the message.
    const errs = [...new Set(causes.map((c) => (c.field ? `${c.field}: ${c.message}` : (c.message ?? ''))))];
    const body = errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
    const details: StatusDetails = name ? { name } : {};
    if (group) details.group = group;
    details.kind = kind;
    details.causes = causes;
    return new ApiError(
      422,
      'Invalid',
      `${prefix ?? (group ? `${kind}.${group}` : kind)} "${name}" is invalid: ${body}`,
      details,
    );
  },
  /** 422 with the generic message (json patch test failures and friends). */
  unprocessable: () =>
    new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {}),
  methodNotAllowed: () =>
    new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    ),
  /** go-restful's 415 carries `details: {}`; the apiserver's body-decoding 415 has no details. */
  unsupportedMediaType: (message = '415: Unsupported Media Type', withDetails = message.startsWith('415')) =>
    new ApiError(415, 'UnsupportedMediaType', message, withDetails ? {} : undefined),
  notAcceptable: (accepted = 'application/json, application/yaml, application/vnd.kubernetes.protobuf') =>
    new ApiError(406, 'NotAcceptable', `406: Not Acceptable\n\nAvailable representations: ${accepted}`, {}),
  tooLargeResourceVersion: (rv: number, current: number) =>
    new ApiError(
      504,
      'Timeout',
      `Timeout: Too large resource version: ${rv}, current: ${current}`,
      {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      },
      { 'Retry-After': '1' },
    ),
  unknownResource: () =>
    new ApiError(404, 'NotFound', 'the server could not find the requested resource', {}),
  pageNotFound: () =>
    new ApiError(
      404,
      undefined,
      '404 page not found',
      undefined,
      { 'X-Content-Type-Options': 'nosniff' },
      '404 page not found\n',
    ),
  unauthorized: () => new ApiError(401, 'Unauthorized', 'Unauthorized'),
  forbidden: (message: string, details: StatusDetails) => new ApiError(403, 'Forbidden', message, details),
  gone: (message: string) => new ApiError(410, 'Expired', message),
  tooManyRequests: () =>
    new ApiError(
      429,
      'TooManyRequests',
      'Too many requests, please try again later.',
      undefined,
      { 'Retry-After': '1', 'X-Content-Type-Options': 'nosniff' },
      'Too many requests, please try again later.\n',
    ),
  requestEntityTooLarge: (limit: number) =>
    new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`),
  internal: (message: string) => new ApiError(500, 'InternalError', `Internal error occurred: ${message}`),
};
