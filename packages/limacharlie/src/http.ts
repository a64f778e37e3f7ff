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
  maxResponseBytes: number;
  backoff: Required<BackoffOptions>;
  onApiCall: ((event: ApiCallEvent) => void) | undefined;
}

/** What some endpoints need beyond a form or query: py's `query_params`, `raw_body`, `alt_root`, `is_no_auth`. */
export interface CallOptions {
  /** Query parameters added to the URL whatever the method (py's `query_params`). */
  query?: FormParams;
  /** A JSON text sent as the body with `Content-Type: application/json`, instead of a form. */
  json?: string;
  /** Another API root, such as the org's search host, in place of `{apiUrl}/v1/`. */
  root?: string;
  /** No Authorization header (py sends `orgs/{oid}/url` without one). */
  noAuth?: boolean;
}

type AttemptOutcome =
  | { ok: true; status: number; value: unknown }
  | { ok: false; status: number; error: LcApiError; retryAfterMs?: number };

/** What was read of an answer; `complete: false` when it ran past the limit and was dropped. */
interface AnswerText {
  text: string;
  complete: boolean;
}

const MAX_DETAIL_CHARS = 300;
/**
 * Permission names are a few dotted words (`sensor.task`, `dr.list.replicant`). Every quantifier
 * is bounded so that a crafted error costs linear time: unbounded ones backtrack quadratically on
 * a long run of dotted words, and run only on the cut detail anyway.
 */
const PERMISSION_PATTERNS = [
  /permission\W{1,8}([a-z][\w-]{0,63}(?:\.[\w*-]{1,63}){1,7})/i,
  /\b([a-z][\w-]{0,63}(?:\.[\w*-]{1,63}){1,7})\W{1,8}permission/i,
];
const UTF8 = new TextDecoder();

/** One org's authenticated HTTP channel: encoding, timeouts, deadline, retries, typed errors. */
export class LcTransport {
  private readonly baseUrl: string;

  constructor(private readonly config: TransportConfig) {
    this.baseUrl = `${config.apiUrl.replace(/\/+$/, '')}/v1/`;
  }

  /** The call's deadline, for waits between calls (polling) to end with it. */
  get signal(): AbortSignal | undefined {
    return this.config.signal;
  }

  /** Also bounds what a compressed answer may inflate to. */
  get maxResponseBytes(): number {
    return this.config.maxResponseBytes;
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
    options: CallOptions = {},
  ): Promise<unknown> {
    const relative = path.replace(/^\/+/, '');
    const encoded = encodeParams(params).toString();
    const root = options.root === undefined ? this.baseUrl : `${options.root.replace(/\/+$/, '')}/`;
    let url = root + relative;
    if (method === 'GET' && encoded) url += (relative.includes('?') ? '&' : '?') + encoded;
    const query = encodeParams(options.query).toString();
    if (query) url += (url.includes('?') ? '&' : '?') + query;
    const body = options.json ?? (method === 'GET' ? undefined : encoded);
    const contentType =
      body === undefined
        ? undefined
        : options.json === undefined
          ? 'application/x-www-form-urlencoded'
          : 'application/json';

    for (let attempt = 1; ; attempt++) {
      if (this.config.signal?.aborted) throw this.deadlineError(method, relative);
      const started = performance.now();
      const outcome = await this.attempt(url, method, relative, body, contentType, options.noAuth);
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

  /**
   * The JWT the calls carry, for APIs that forward it (an extension request's
   * `impersonator_jwt`). Async so that a client holding an API key can mint one first.
   */
  async bearerJwt(): Promise<string> {
    return this.config.jwt;
  }

  private async attempt(
    url: string,
    method: HttpMethod,
    path: string,
    body: string | undefined,
    contentType: string | undefined,
    noAuth = false,
  ): Promise<AttemptOutcome> {
    const timeout = AbortSignal.timeout(this.config.timeoutMs);
    const deadline = this.config.signal;
    const signal = deadline ? AbortSignal.any([deadline, timeout]) : timeout;
    const headers: Record<string, string> = { 'user-agent': USER_AGENT };
    if (!noAuth) headers.authorization = `bearer ${this.config.jwt}`;
    if (contentType !== undefined) headers['content-type'] = contentType;

    let response: Response;
    let answer: AnswerText;
    try {
      response = await fetch(url, { method, headers, body, signal });
      answer = await readAnswer(response, this.config.maxResponseBytes);
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
    if (!answer.complete && response.ok) return this.tooLarge(response.status, method, path);
    return this.interpret(response, this.redact(answer.text), method, path);
  }

  private tooLarge(status: number, method: HttpMethod, path: string): AttemptOutcome {
    const message =
      `${describe(method, path)} answered with more than ${this.config.maxResponseBytes} bytes: ` +
      'raise limaCharlie.maxResponseBytes (maxResponseBytes of the client) if such answers are expected';
    return {
      ok: false,
      status,
      error: new LcApiError(message, { kind: 'http', status, method, path, retryable: false }),
    };
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

    const detail = truncate(errorString(parsed.value) ?? text);
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

/**
 * Reads at most `limit` bytes of the answer. Past it, a 2xx is dropped unread (it would fail
 * anyway) and an error answer keeps its head for the message; the rest is never read.
 */
async function readAnswer(response: Response, limit: number): Promise<AnswerText> {
  const reader = response.body?.getReader();
  if (!reader) return { text: '', complete: true };
  if (response.ok && Number(response.headers.get('content-length')) > limit) {
    return drop(reader, [], 0, false);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: decode(chunks, size), complete: true };
    if (size + value.byteLength > limit) {
      chunks.push(value.subarray(0, limit - size));
      return drop(reader, chunks, limit, !response.ok);
    }
    chunks.push(value);
    size += value.byteLength;
  }
}

function drop(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  chunks: Uint8Array[],
  size: number,
  keepHead: boolean,
): AnswerText {
  // Cancelling closes the connection (a half-read one cannot be reused): the rest is never sent.
  reader.cancel().catch(() => undefined);
  return { text: keepHead ? decode(chunks, size) : '', complete: false };
}

function decode(chunks: Uint8Array[], size: number): string {
  if (chunks.length === 0) return '';
  return UTF8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
}

function parseBody(text: string): { json: boolean; value: unknown } {
  if (text.trim() === '') return { json: true, value: {} };
  try {
    return { json: true, value: JSON.parse(text) as unknown };
  } catch {
    return { json: false, value: text };
  }
}

/** Only the head is flattened: a huge error costs no more than the detail it shows. */
function truncate(text: string): string {
  const trimmed = text.trim();
  const head = trimmed.length > MAX_DETAIL_CHARS ? trimmed.slice(0, MAX_DETAIL_CHARS) : trimmed;
  const flat = head.replace(/\s+/g, ' ');
  return head === trimmed ? flat : `${flat}…`;
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
