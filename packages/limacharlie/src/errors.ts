import type { HttpMethod } from './types.js';

/**
 * `http`: the API answered with a non-2xx status (or a 2xx body that is not JSON or is over
 * `maxResponseBytes`);
 * `network`: no answer (connection refused/reset, DNS...); `timeout`: the per-call timeout fired;
 * `deadline`: the protocol request's deadline signal aborted the call.
 */
export type LcApiErrorKind = 'http' | 'network' | 'timeout' | 'deadline';

export interface LcApiErrorDetails {
  kind: LcApiErrorKind;
  /** HTTP status, 0 when no response came back. */
  status: number;
  method: HttpMethod;
  /** Path relative to `/v1/`, as passed to the client. */
  path: string;
  /** Parsed JSON body when there was one, else the raw text (or undefined). */
  body?: unknown;
  /** Whether the same call could succeed later (rate limit, gateway or network trouble). */
  retryable: boolean;
  cause?: unknown;
}

/** Every failure of a LimaCharlie REST call. Its text never contains the JWT. */
export class LcApiError extends Error {
  readonly kind: LcApiErrorKind;
  readonly status: number;
  readonly method: HttpMethod;
  readonly path: string;
  readonly body: unknown;
  readonly retryable: boolean;
  /** The API's `error` string when the body had one (e.g. `RECORD_NOT_FOUND`). */
  readonly code: string | undefined;

  constructor(message: string, details: LcApiErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'LcApiError';
    this.kind = details.kind;
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.body = details.body;
    this.retryable = details.retryable;
    this.code = errorString(details.body);
  }
}

/**
 * HTTP 401: the JWT expired, was revoked, or lacks a permission; or the JWT exchange refused the
 * API key. Terminal: a service JWT cannot be refreshed by the client, so retrying would only burn
 * the deadline, and an API-key client has already tried once with a fresh JWT.
 */
export class LcAuthError extends LcApiError {
  /** The missing permission, when the API's error text names one. */
  readonly permission: string | undefined;

  constructor(message: string, details: LcApiErrorDetails, permission: string | undefined) {
    super(message, details);
    this.name = 'LcAuthError';
    this.permission = permission;
  }
}

export function errorString(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error = (body as { error: unknown }).error;
    if (typeof error === 'string') return error;
  }
  return undefined;
}
