import type { Logger } from '@nestjs/common';
import type { LcCall } from '../call/lc-request.js';
import { LcError } from '../protocol/lc-error.js';
import {
  LcResponse,
  toWire,
  type LcJobLike,
  type LcResponseInit,
  type LcWireResponse,
} from '../protocol/service/response.js';

const RESPONSE_KEYS = new Set(['success', 'retry', 'data', 'error', 'jobs']);

/** Why a handler's return value is not a valid response, or undefined when it is. */
function invalidResponseObject(value: Record<string, unknown>): string | undefined {
  for (const key of Object.keys(value)) {
    if (!RESPONSE_KEYS.has(key)) return `unknown response field '${key}'`;
  }
  if (typeof value.success !== 'boolean') return "'success' must be a boolean";
  if (value.retry !== undefined && typeof value.retry !== 'boolean')
    return "'retry' must be a boolean";
  if (value.error !== undefined && typeof value.error !== 'string')
    return "'error' must be a string";
  const { data, jobs } = value;
  if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) {
    return "'data' must be an object";
  }
  if (jobs !== undefined && !(Array.isArray(jobs) && jobs.every(isJobLike))) {
    return "'jobs' must be a list of Job";
  }
  return undefined;
}

function isJobLike(value: unknown): value is LcJobLike {
  return (
    typeof value === 'object' && value !== null && typeof (value as LcJobLike).toJSON === 'function'
  );
}

/** A handler result the module cannot send; the message is for the handler's author. */
export class LcInvalidResultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LcInvalidResultError';
  }
}

/** Jobs serialise here, so a job the author left incomplete fails this call, without retry. */
function serialisedJobs(response: LcResponseInit): LcWireResponse {
  try {
    return toWire(response);
  } catch (err) {
    throw new LcInvalidResultError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * The RI's result shortcuts: `true` success, `false` failure without retry, `null`/`undefined`
 * failure with retry, a response (from `lcResponse()` or a plain `{success, ...}` object) as
 * given. Anything else is a bug in the handler: the RI answered "success" for it; we refuse it.
 */
export function resultToWire(result: unknown): LcWireResponse {
  if (result === true) return { success: true, data: {} };
  if (result === false) return { success: false, retry: false, data: {} };
  if (result === null || result === undefined) return { success: false, retry: true, data: {} };
  if (result instanceof LcResponse) return serialisedJobs(result);
  if (typeof result === 'object' && !Array.isArray(result)) {
    const problem = invalidResponseObject(result as Record<string, unknown>);
    if (problem === undefined) return serialisedJobs(result as LcResponseInit);
    throw new LcInvalidResultError(`the handler returned an invalid response: ${problem}`);
  }
  throw new LcInvalidResultError(
    `the handler returned ${Array.isArray(result) ? 'an array' : `a ${typeof result}`}; return true, false, null or lcResponse({...})`,
  );
}

export interface HttpExceptionLike {
  getStatus(): number;
  getResponse(): unknown;
}

export function isHttpException(err: unknown): err is HttpExceptionLike {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as HttpExceptionLike).getStatus === 'function' &&
    typeof (err as HttpExceptionLike).getResponse === 'function'
  );
}

export function httpExceptionMessage(err: HttpExceptionLike & Error): string {
  const body = err.getResponse();
  if (typeof body === 'object' && body !== null) {
    const message = (body as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  }
  return err.message;
}

export interface ErrorOutcome {
  wire: LcWireResponse;
  /** Whether the error is the service's own fault, worth an error log with its stack. */
  unexpected: boolean;
}

/**
 * A thrown error becomes a failure. `LcError` chooses retry; a 4xx from a guard or pipe (e.g. a
 * ValidationPipe's BadRequestException) will fail again the same way, so no retry; an invalid
 * result is a bug, so no retry; anything else is retried, as the RI does.
 */
export function errorToWire(err: unknown, exposeErrors: boolean): ErrorOutcome {
  if (err instanceof LcError) {
    return {
      wire: { success: false, retry: err.retry, data: err.data ?? {}, error: err.message },
      unexpected: false,
    };
  }
  if (isHttpException(err) && err instanceof Error) {
    const status = err.getStatus();
    const retry = status >= 500 || status === 429;
    return {
      wire: { success: false, retry, data: {}, error: httpExceptionMessage(err) },
      unexpected: retry,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  const data: Record<string, unknown> = {};
  if (exposeErrors && err instanceof Error && err.stack !== undefined) data.exception = err.stack;
  const retry = !(err instanceof LcInvalidResultError);
  return { wire: { success: false, retry, data, error: message }, unexpected: true };
}

const READ_OF_NULL = /^Cannot read properties of null \(reading /;

/**
 * A handler that read a property of its null client (`lc.rules` on a call without a JWT) gets
 * V8's bare "Cannot read properties of null": this says which handler, why the client is null,
 * and what to change. `whyNull` is asked only for such an error and says why the call's client
 * is null, or undefined when it is not. Any other error is returned as it is.
 */
export function explainNullClient(
  err: unknown,
  handler: string,
  whyNull: () => string | undefined,
): unknown {
  if (!(err instanceof TypeError) || !READ_OF_NULL.test(err.message)) return err;
  const why = whyNull();
  if (why === undefined) return err;
  const explained = new TypeError(
    `${handler}: ${err.message}: its LimaCharlie client (@LcClient()) is null because ${why}. ` +
      'Handlers that may get such calls check `if (!lc)` first.',
  );
  if (err.stack !== undefined) {
    explained.stack = `TypeError: ${explained.message}${err.stack.slice(err.stack.indexOf('\n'))}`;
  }
  return explained;
}

/**
 * The failure's log line: the call's own fields in the message, so they show with any logger,
 * and the stack as Nest's `error(message, stack)` passes it, which `LcGcpLogger` writes to
 * `stack_trace`.
 */
export function logFailure(
  logger: Logger,
  context: string,
  fields: string,
  err: unknown,
  redact: (text: string) => string,
): void {
  const message = redact(
    `${context} (${fields}): ${err instanceof Error ? err.message : String(err)}`,
  );
  const stack = err instanceof Error ? err.stack : undefined;
  if (stack === undefined) logger.error(message);
  else logger.error(message, redact(stack));
}

/** `etype=… mid=… oid=…`: the fields LimaCharlie's own logs show for the call. */
export function serviceCallFields(call: LcCall): string {
  let fields = `etype=${call.eventType}`;
  if (call.messageId !== undefined) fields += ` mid=${call.messageId}`;
  if (call.oid !== undefined) fields += ` oid=${call.oid}`;
  return fields;
}

/**
 * A thrown error as a protocol answer, the JWT redacted from what it says. Unexpected errors (and
 * every error when `alwaysLog`) are logged with their stack after `context`.
 */
export function errorAnswer(
  call: LcCall,
  err: unknown,
  exposeErrors: boolean,
  logger: Logger,
  context: string,
  alwaysLog = false,
): LcWireResponse {
  const { wire, unexpected } = errorToWire(err, exposeErrors);
  if (wire.error !== undefined) wire.error = call.redact(wire.error);
  const data = wire.data as Record<string, unknown>;
  if (typeof data.exception === 'string') data.exception = call.redact(data.exception);
  if (unexpected || alwaysLog) {
    logFailure(logger, context, serviceCallFields(call), err, (text) => call.redact(text));
  }
  return wire;
}
