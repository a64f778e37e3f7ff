import type { JwtSource } from './auth.js';
import { LcApiError, LcAuthError, errorString, type LcApiErrorDetails } from './errors.js';
import { encodeParams } from './form.js';
import { isRecord, unexpectedShape } from './response.js';
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
  auth: JwtSource;
  /** A function is called once, on first need: a client built per call may never make one. */
  signal: AbortSignal | (() => AbortSignal) | undefined;
  timeoutMs: number;
  maxAttempts: number;
  maxResponseBytes: number;
  backoff: Required<BackoffOptions>;
  onApiCall: ((event: ApiCallEvent) => void) | undefined;
}

/** One logical call: an API call under `/v1/` with the JWT, or the JWT exchange itself. */
interface Target {
  operation: string;
  method: HttpMethod;
  /** Relative to `/v1/` for API calls; `jwt` for the exchange. */
  path: string;
  url: string;
  body: string | Uint8Array | undefined;
  /** The answer is bytes, not JSON (a signed storage URL). */
  raw?: boolean;
  /** The exchange carries the API key in its body and no JWT. */
  exchange: boolean;
  /** Whether the JWT goes along (not for the exchange nor the few public endpoints). */
  authenticated: boolean;
  contentType: string | undefined;
}

/** What some endpoints need beyond a form: py's `query_params`, `raw_body`, `alt_root`, `is_no_auth`. */
export interface CallOptions {
  /** Query parameters added to the URL whatever the method (py's `query_params`). */
  query?: FormParams;
  /** A JSON text sent as the body with `Content-Type: application/json`, instead of a form. */
  json?: string;
  /** Another API root, such as the org's search host, in place of `{apiUrl}/v1/`. */
  root?: string;
  /** Send no Authorization header, for the endpoints the SDK calls without one. */
  noAuth?: boolean;
}

type AttemptOutcome =
  | { ok: true; status: number; value: unknown }
  | { ok: false; status: number; error: LcApiError; retryAfterMs?: number };

/** What was read of an answer; `complete: false` when it ran past the limit and was dropped. */
interface AnswerText {
  bytes: Uint8Array;
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

/** API roots already turned into `{root}/v1/`: a client built per call derives its own once. */
const baseUrls = new Map<string, string>();
const MAX_BASE_URLS = 64;

function baseUrlOf(apiUrl: string): string {
  let base = baseUrls.get(apiUrl);
  if (base === undefined) {
    base = `${apiUrl.replace(/\/+$/, '')}/v1/`;
    if (baseUrls.size < MAX_BASE_URLS) baseUrls.set(apiUrl, base);
  }
  return base;
}

/** One org's authenticated HTTP channel: encoding, timeouts, deadline, retries, typed errors. */
export class LcTransport {
  private readonly baseUrl: string;
  private deadline: AbortSignal | (() => AbortSignal) | undefined;

  constructor(private readonly config: TransportConfig) {
    this.baseUrl = baseUrlOf(config.apiUrl);
    this.deadline = config.signal;
  }

  /** The call's deadline, for waits between calls (polling) to end with it. */
  get signal(): AbortSignal | undefined {
    const deadline = this.deadline;
    if (typeof deadline !== 'function') return deadline;
    const signal = deadline();
    this.deadline = signal;
    return signal;
  }

  /** Also bounds what a compressed answer may inflate to. */
  get maxResponseBytes(): number {
    return this.config.maxResponseBytes;
  }

  /**
   * The JWT the calls carry, for APIs that forward it (an extension request's
   * `impersonator_jwt`); a client holding an API key mints one first.
   */
  async bearerJwt(): Promise<string> {
    const token = this.config.auth.token();
    return typeof token === 'string' ? token : await token;
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
    return this.send({
      operation,
      method,
      path: relative,
      url,
      body,
      exchange: false,
      authenticated: options.noAuth !== true,
      contentType,
    });
  }

  /**
   * Moves bytes to or from a signed storage URL (a payload's `get_url` / `put_url`), without the
   * JWT, as the SDK does; with the calls' timeout, retries, deadline, metrics and
   * `maxResponseBytes`. Errors name the URL without its query, which holds the signature.
   */
  async transfer(
    operation: string,
    method: 'GET' | 'PUT',
    url: string,
    body?: Uint8Array,
  ): Promise<Uint8Array> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw unexpectedShape(method, operation, 'an absolute signed URL', undefined);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw unexpectedShape(method, operation, 'an http(s) signed URL', undefined);
    }
    const value = await this.send({
      operation,
      method,
      path: `${parsed.origin}${parsed.pathname}`,
      url,
      body,
      raw: true,
      exchange: false,
      authenticated: false,
      contentType: body === undefined ? undefined : 'application/octet-stream',
    });
    return value as Uint8Array;
  }

  /**
   * Trades an API key for a JWT: a form POST to the JWT URL without Authorization, as the
   * Python SDK's `refresh_jwt` sends it. Retried like any call; a refusal is an `LcAuthError`.
   */
  async exchangeJwt(jwtUrl: string, params: FormParams): Promise<string> {
    const body = encodeParams(params).toString();
    const target: Target = {
      operation: 'jwt',
      method: 'POST',
      path: 'jwt',
      url: jwtUrl,
      body,
      exchange: true,
      authenticated: false,
      contentType: 'application/x-www-form-urlencoded',
    };
    const value = await this.send(target);
    const jwt = isRecord(value) ? value.jwt : undefined;
    if (typeof jwt === 'string' && jwt !== '') return jwt;
    throw unexpectedShape('POST', 'jwt', 'a {jwt} object', undefined);
  }

  private async send(target: Target): Promise<unknown> {
    let renewed = false;
    let counted = 0;
    for (let attempt = 1; ; attempt++) {
      if (this.signal?.aborted) throw this.deadlineError(target);
      let jwt: string | undefined;
      if (target.authenticated) {
        const token = this.config.auth.token();
        jwt = typeof token === 'string' ? token : await token;
      }
      const started = performance.now();
      const outcome = await this.attempt(target, jwt);
      this.report({
        operation: target.operation,
        method: target.method,
        status: outcome.status,
        durationMs: performance.now() - started,
        attempt,
      });
      if (outcome.ok) return outcome.value;
      const { error } = outcome;
      // An API-key client mints a fresh JWT once per call after a 401, as the SDK does; the
      // retry does not use up an attempt, since the 401 said nothing about the API's health.
      if (jwt !== undefined && outcome.status === 401 && !renewed) {
        renewed = true;
        if (await this.config.auth.renew(jwt)) continue;
      }
      counted += 1;
      if (!error.retryable || error.kind === 'deadline' || counted >= this.config.maxAttempts) {
        throw error;
      }
      const delay = backoffDelay(counted, this.config.backoff, outcome.retryAfterMs);
      if (!(await abortableSleep(delay, this.signal))) {
        throw this.deadlineError(target, error);
      }
    }
  }

  private async attempt(target: Target, jwt: string | undefined): Promise<AttemptOutcome> {
    const { method, path } = target;
    const timeout = AbortSignal.timeout(this.config.timeoutMs);
    const deadline = this.signal;
    const signal = deadline ? AbortSignal.any([deadline, timeout]) : timeout;
    const headers: Record<string, string> = { 'user-agent': USER_AGENT };
    if (jwt !== undefined) headers.authorization = `bearer ${jwt}`;
    const body = target.body;
    if (target.contentType !== undefined) headers['content-type'] = target.contentType;

    let response: Response;
    let answer: AnswerText;
    try {
      response = await fetch(target.url, { method, headers, body, signal });
      answer = await readAnswer(response, this.config.maxResponseBytes);
    } catch (cause) {
      if (deadline?.aborted) {
        return { ok: false, status: 0, error: this.deadlineError(target, cause) };
      }
      if (timeout.aborted) {
        const message = `${describe(target)} timed out after ${this.config.timeoutMs} ms`;
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
        error: new LcApiError(`${describe(target)} failed: ${networkReason(cause)}`, {
          kind: 'network',
          status: 0,
          method,
          path,
          retryable: true,
          cause,
        }),
      };
    }
    if (!answer.complete && response.ok) return this.tooLarge(response.status, target);
    if (target.raw === true && response.ok) {
      return { ok: true, status: response.status, value: answer.bytes };
    }
    // The API has no reason to echo a token or the key, but an error must never carry one onward.
    return this.interpret(response, this.config.auth.redact(UTF8.decode(answer.bytes)), target);
  }

  private tooLarge(status: number, target: Target): AttemptOutcome {
    const { method, path } = target;
    const message =
      `${describe(target)} answered with more than ${this.config.maxResponseBytes} bytes: ` +
      'raise limaCharlie.maxResponseBytes (maxResponseBytes of the client) if such answers are expected';
    return {
      ok: false,
      status,
      error: new LcApiError(message, { kind: 'http', status, method, path, retryable: false }),
    };
  }

  private interpret(response: Response, text: string, target: Target): AttemptOutcome {
    const { method, path } = target;
    const { status } = response;
    const parsed = parseBody(text);
    if (status >= 200 && status < 300) {
      if (parsed.json) return { ok: true, status, value: parsed.value };
      const message = `${describe(target)} returned HTTP ${status} with a body that is not JSON`;
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
    if (target.exchange && (status === 401 || status === 403)) {
      const message =
        `${describe(target)} was refused (HTTP ${status}): check the apiKey, oid and uid ` +
        `options of the client${detail ? ` (${detail})` : ''}`;
      return { ok: false, status, error: new LcAuthError(message, details, undefined) };
    }
    if (status === 401) {
      const permission = findPermission(detail);
      const reason = permission
        ? `the JWT lacks the permission ${permission}`
        : 'the JWT has expired or lacks a permission for this call';
      const message = `${describe(target)} was refused (HTTP 401): ${reason}${detail ? ` (${detail})` : ''}`;
      return { ok: false, status, error: new LcAuthError(message, details, permission) };
    }
    const message = `${describe(target)} failed with HTTP ${status}${detail ? `: ${detail}` : ''}`;
    return {
      ok: false,
      status,
      error: new LcApiError(message, details),
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    };
  }

  private deadlineError(target: Target, cause?: unknown): LcApiError {
    return new LcApiError(`${describe(target)} aborted: the request deadline passed`, {
      kind: 'deadline',
      status: 0,
      method: target.method,
      path: target.path,
      retryable: true,
      cause,
    });
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

function describe(target: Target): string {
  if (target.exchange) return 'LimaCharlie JWT exchange';
  return `LimaCharlie API ${target.method} ${target.path.split('?')[0]}`;
}

/**
 * Reads at most `limit` bytes of the answer. Past it, a 2xx is dropped unread (it would fail
 * anyway) and an error answer keeps its head for the message; the rest is never read.
 */
async function readAnswer(response: Response, limit: number): Promise<AnswerText> {
  const reader = response.body?.getReader();
  if (!reader) return { bytes: new Uint8Array(0), complete: true };
  if (response.ok && Number(response.headers.get('content-length')) > limit) {
    return drop(reader, [], 0, false);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: join(chunks, size), complete: true };
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
  return { bytes: keepHead ? join(chunks, size) : new Uint8Array(0), complete: false };
}

function join(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 0) return new Uint8Array(0);
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
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
