/**
 * The one error vocabulary of k8ts: the Kubernetes `Status` reasons, each with its HTTP code.
 *
 * Every component raises `ApiError`s; the API server writes them as `Status` bodies, and clients turn
 * `Status` bodies back into `ApiError`s. Test with `isNotFound(err)` and friends, never on message text.
 */
import { type FieldError, invalidMessage } from './validation/field-error.js';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'Invalid'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout';

/** HTTP status code per reason, as upstream's apimachinery maps them. */
export const STATUS_CODES: Record<StatusReason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
};

/** One field error of an `Invalid` status (`details.causes[]`). */
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

/** The `meta.k8s.io/v1` Status object. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never> | { resourceVersion?: string };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason | string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  readonly code: number;
  constructor(readonly reason: StatusReason, message: string, readonly details?: StatusDetails, code?: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code ?? STATUS_CODES[reason];
  }

  toStatus(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) s.details = this.details;
    return s;
  }

  /** Rebuilds an ApiError from a Status body a server sent. */
  static fromStatus(s: Partial<Status>): ApiError {
    const reason = (s.reason && s.reason in STATUS_CODES ? s.reason : reasonForCode(s.code ?? 500)) as StatusReason;
    return new ApiError(reason, s.message ?? '', s.details, s.code);
  }
}

function reasonForCode(code: number): StatusReason {
  const found = (Object.entries(STATUS_CODES) as [StatusReason, number][]).find(([, c]) => c === code);
  return found ? found[0] : 'InternalError';
}

/** `group` is '' for the core group; `resource` is the plural, e.g. "pods" or "deployments.apps". */
function qualified(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

export const errors = {
  notFound: (group: string, resource: string, name: string) =>
    new ApiError('NotFound', `${qualified(group, resource)} "${name}" not found`, { name, group, kind: resource }),
  alreadyExists: (group: string, resource: string, name: string) =>
    new ApiError('AlreadyExists', `${qualified(group, resource)} "${name}" already exists`, { name, group, kind: resource }),
  conflict: (group: string, resource: string, name: string, why: string) =>
    new ApiError('Conflict', `Operation cannot be fulfilled on ${qualified(group, resource)} "${name}": ${why}`, { name, group, kind: resource }),
  /** `kind` is the Kind, e.g. "Pod"; message as upstream: `Pod "x" is invalid: spec.containers: Required value`. */
  invalid: (group: string, kind: string, name: string, causes: FieldError[]) =>
    new ApiError('Invalid', invalidMessage(group, kind, name, causes),
      { name, group, kind, causes: causes.map((c) => ({ reason: c.type, message: c.detail, field: c.field })) }),
  badRequest: (message: string) => new ApiError('BadRequest', message),
  gone: (message: string) => new ApiError('Expired', message),
  tooLarge: (message: string) => new ApiError('RequestEntityTooLarge', message),
  unauthorized: () => new ApiError('Unauthorized', 'Unauthorized'),
  forbidden: (message: string) => new ApiError('Forbidden', message),
  methodNotAllowed: (message: string) => new ApiError('MethodNotAllowed', message),
  unsupportedMediaType: (contentType: string) => new ApiError('UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got "${contentType}")`),
  internal: (message: string) => new ApiError('InternalError', `Internal error occurred: ${message}`),
  unavailable: (message: string) => new ApiError('ServiceUnavailable', message),
};

const is = (reason: StatusReason) => (err: unknown): boolean => err instanceof ApiError && err.reason === reason;
export const isNotFound = is('NotFound');
export const isAlreadyExists = is('AlreadyExists');
export const isConflict = is('Conflict');
export const isInvalid = is('Invalid');
export const isGone = (err: unknown): boolean => err instanceof ApiError && err.code === 410;
export const isBadRequest = is('BadRequest');
export const isUnauthorized = is('Unauthorized');
export const isForbidden = is('Forbidden');
