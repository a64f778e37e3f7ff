import { LcApiError, LcAuthError, errorString, type LcApiErrorDetails } from './errors.js';
import { encodeParams } from './form.js';
import {
  abortableSleep,
  backoffDelay,
  isRetryableStatus,
  parseRetryAfter,
  type BackoffOptions,
} from './retry.js';
import type { ApiCallEvent, FormParams, HttpMethod } from './types.js';
import { USER_AGENT } from './user-agent.js';

export interface TransportConfig {
  apiUrl: string;
  jwt: string;
  signal: AbortSignal | undefined;
  timeoutMs: number;
  maxAttempts: number;
  backoff: Required<BackoffOptions>;
  onApiCall: ((event: ApiCallEvent) => void) | undefined;
}

type AttemptOutcome =
  | { ok: true; status: number; value: unknown }
  | { ok: false; status: number; error: LcApiError; retryAfterMs?: number };

const MAX_DETAIL_CHARS = 300;
const PERMISSION_PATTERNS = [
  /permission\W+([a-z][\w-]*(?:\.[\w*-]+)+)/i,
  /\b([a-z][\w-]*(?:\.[\w*-]+)+)\W+permission/i,
];

/** One org's authenticated HTTP channel: encoding, timeouts, deadline, retries, typed errors. */
export class LcTransport {
  private readonly baseUrl: string;

  constructor(private readonly config: TransportConfig) {
    this.baseUrl = `${config.apiUrl.replace(/\/+$/, '')}/v1/`;
  }

  /**
   * `path` is relative to `/v1/`. GET parameters travel in the query string, the others in a
   * form body, as the Python SDK sends them.
   */
  async call(
    operation: string,
    method: HttpMethod,
    path: string,
    params?: FormParams,
  ): Promise<unknown> {
    const relative = path.replace(/^\/+/, '');
    const encoded = encodeParams(params).toString();
    let url = this.baseUrl + relative;
    if (method === 'GET' && encoded) url += (relative.includes('?') ? '&' : '?') + encoded;
    const body = method === 'GET' ? undefined : encoded;

    for (let attempt = 1; ; attempt++) {
      if (this.config.signal?.aborted) throw this.deadlineError(method, relative);
      const started = performance.now();
      const outcome = await this.attempt(url, method, relative, body);
      this.report({
        operation,
        method,
        status: outcome.status,
        durationMs: performance.now() - started,
        attempt,
      });
      if (outcome.ok) return outcome.value;
      const { error } = outcome;
      if (!error.retryable || error.kind === 'deadline' || attempt >= this.config.maxAttempts) {
        throw error;
      }
      const delay = backoffDelay(attempt, this.config.backoff, outcome.retryAfterMs);
      if (!(await abortableSleep(delay, this.config.signal))) {
        throw this.deadlineError(method, relative, error);
      }
    }
  }

  private async attempt(
    url: string,
    method: HttpMethod,
    path: string,
    body: string | undefined,
  ): Promise<AttemptOutcome> {
    const timeout = AbortSignal.timeout(this.config.timeoutMs);
    const deadline = this.config.signal;
    const signal = deadline ? AbortSignal.any([deadline, timeout]) : timeout;
    const headers: Record<string, string> = {
      authorization: `bearer ${this.config.jwt}`,
      'user-agent': USER_AGENT,
    };
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';

    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method, headers, body, signal });
      text = await response.text();
    } catch (cause) {
      if (deadline?.aborted) {
        return { ok: false, status: 0, error: this.deadlineError(method, path, cause) };
      }
      if (timeout.aborted) {
        const message = `${describe(method, path)} timed out after ${this.config.timeoutMs} ms`;
        return {
          ok: false,
          status: 0,
          error: new LcApiError(message, {
            kind: 'timeout',
            status: 0,
            method,
            path,
            retryable: true,
            cause,
          }),
        };
      }
      return {
        ok: false,
        status: 0,
        error: new LcApiError(`${describe(method, path)} failed: ${networkReason(cause)}`, {
          kind: 'network',
          status: 0,
          method,
          path,
          retryable: true,
          cause,
        }),
      };
    }
    return this.interpret(response, this.redact(text), method, path);
  }

  private interpret(
    response: Response,
    text: string,
    method: HttpMethod,
    path: string,
  ): AttemptOutcome {
    const { status } = response;
    const parsed = parseBody(text);
    if (status >= 200 && status < 300) {
      if (parsed.json) return { ok: true, status, value: parsed.value };
      const message = `${describe(method, path)} returned HTTP ${status} with a body that is not JSON`;
      return {
        ok: false,
        status,
        error: new LcApiError(message, {
          kind: 'http',
          status,
          method,
          path,
          body: parsed.value,
          retryable: false,
        }),
      };
    }

    const detail = errorString(parsed.value) ?? truncate(text);
    const details: LcApiErrorDetails = {
      kind: 'http',
      status,
      method,
      path,
      body: parsed.value,
      retryable: isRetryableStatus(status),
    };
    if (status === 401) {
      const permission = findPermission(detail);
      const reason = permission
        ? `the JWT lacks the permission ${permission}`
        : 'the JWT has expired or lacks a permission for this call';
      const message = `${describe(method, path)} was refused (HTTP 401): ${reason}${detail ? ` (${detail})` : ''}`;
      return { ok: false, status, error: new LcAuthError(message, details, permission) };
    }
    const message = `${describe(method, path)} failed with HTTP ${status}${detail ? `: ${detail}` : ''}`;
    return {
      ok: false,
      status,
      error: new LcApiError(message, details),
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    };
  }

  private deadlineError(method: HttpMethod, path: string, cause?: unknown): LcApiError {
    return new LcApiError(`${describe(method, path)} aborted: the request deadline passed`, {
      kind: 'deadline',
      status: 0,
      method,
      path,
      retryable: true,
      cause,
    });
  }

  /** The API has no reason to echo the token, but an error body must never carry it onward. */
  private redact(text: string): string {
    return text.includes(this.config.jwt) ? text.split(this.config.jwt).join('[redacted]') : text;
  }

  private report(event: ApiCallEvent): void {
    if (!this.config.onApiCall) return;
    try {
      this.config.onApiCall(event);
    } catch {
      // A faulty metrics hook must not turn a successful API call into a failure.
    }
  }
}

function describe(method: HttpMethod, path: string): string {
  return `LimaCharlie API ${method} ${path.split('?')[0]}`;
}

function parseBody(text: string): { json: boolean; value: unknown } {
  if (text.trim() === '') return { json: true, value: {} };
  try {
    return { json: true, value: JSON.parse(text) as unknown };
  } catch {
    return { json: false, value: text };
  }
}

function truncate(text: string): string {
  const flat = text.trim().replace(/\s+/g, ' ');
  return flat.length > MAX_DETAIL_CHARS ? `${flat.slice(0, MAX_DETAIL_CHARS)}…` : flat;
}

function findPermission(detail: string): string | undefined {
  for (const pattern of PERMISSION_PATTERNS) {
    const match = pattern.exec(detail);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * fetch wraps the socket error (ECONNREFUSED, ECONNRESET...) in `cause`; name its code. Duck-typed
 * because undici's errors may come from another realm (vm contexts, test runners).
 */
function networkReason(error: unknown): string {
  const inner = errorLike(error)?.cause;
  const source = errorLike(inner) ?? errorLike(error);
  const detail = source?.code ?? source?.message;
  return typeof detail === 'string' && detail !== ''
    ? `network error (${detail})`
    : 'network error';
}

function errorLike(
  value: unknown,
): { code?: unknown; message?: unknown; cause?: unknown } | undefined {
  return typeof value === 'object' && value !== null ? value : undefined;
}
