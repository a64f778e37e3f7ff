import type { IncomingMessage, ServerResponse } from 'node:http';
import { LcDeadlineWatch } from '../call/lc-deadline-watch.js';

/** A body over the limit; answered with 413. */
export class LcBodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the body is larger than the ${limit} bytes allowed (option 'bodyLimit')`);
    this.name = 'LcBodyTooLargeError';
  }
}

/** A body still incomplete when its time ran out; answered with 408. */
export class LcBodyTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the body did not arrive within ${timeoutMs} ms (option 'bodyTimeoutMs'); retry`);
    this.name = 'LcBodyTimeoutError';
  }
}

/** Bodies not yet verified already hold the process's allowance; answered with 503 and retry. */
export class LcBodyBudgetError extends Error {
  constructor(readonly budget: number) {
    super(
      `the service is reading ${budget} bytes of other calls' bodies (option 'maxPendingBodyBytes'); retry`,
    );
    this.name = 'LcBodyBudgetError';
  }
}

/** A body a framework parser consumed before the webhook saw its bytes. */
export class LcBodyConsumedError extends Error {
  constructor() {
    super(
      'the request body was read before the LimaCharlie webhook saw its bytes: a body parser runs ahead of it. ' +
        'Mount body parsers after LcServiceModule or LcExtensionModule, or keep the raw bytes in req.rawBody (NestFactory.create(..., { rawBody: true })).',
    );
    this.name = 'LcBodyConsumedError';
  }
}

/** How much, and for how long, a body may be read before its signature is checked. */
export interface LcBodyLimits {
  bodyLimit: number;
  bodyTimeoutMs: number;
  maxPendingBodyBytes: number;
}

interface RequestWithRawBody extends IncomingMessage {
  rawBody?: unknown;
}

/**
 * Bytes of bodies being read in this process, not yet verified: one count for every module
 * instance and entry, since they share the process's memory. Each read checks it against its own
 * module's `maxPendingBodyBytes`.
 */
let pendingBodyBytes = 0;

/** Bytes held now by bodies being read; 0 when no read is in progress. */
export function pendingBodyBytesNow(): number {
  return pendingBodyBytes;
}

/**
 * Every read's time limit on one timer: a timer per call costs a Node timer list and a few
 * microseconds each, a visible share of a small call.
 */
const bodyDeadlines = new LcDeadlineWatch();

/** Gets the body, or why it could not be read; called once, never synchronously. */
export type LcBodyCallback = (err: Error | undefined, body: Buffer) => void;

const NO_BODY: Buffer = Buffer.alloc(0);

/**
 * The exact bytes of a request body, at most `bodyLimit` of them, arrived within `bodyTimeoutMs`.
 * A declared length is reserved against `maxPendingBodyBytes` before the first byte is read, a
 * chunked body as it arrives; the reservation ends with the read, right before the signature
 * check. A body someone else already read is taken from `req.rawBody` when they kept it (Nest's
 * `rawBody` option, Cloud Functions): its bytes have arrived and are checked next.
 *
 * A callback rather than a promise: every webhook call goes through here, and the promise and
 * its await were a measurable share of a small call.
 */
export function readRawBody(req: IncomingMessage, limits: LcBodyLimits, cb: LcBodyCallback): void {
  const early = (err: Error | undefined, body = NO_BODY): void => {
    process.nextTick(cb, err, body);
  };
  const kept = (req as RequestWithRawBody).rawBody;
  if (Buffer.isBuffer(kept)) return early(undefined, kept);
  if (req.readableEnded) return early(hasBody(req) ? new LcBodyConsumedError() : undefined);
  const { bodyLimit, maxPendingBodyBytes } = limits;
  let reserved = declaredLength(req);
  if (reserved > bodyLimit) return early(new LcBodyTooLargeError(bodyLimit));
  if (pendingBodyBytes + reserved > maxPendingBodyBytes) {
    return early(new LcBodyBudgetError(maxPendingBodyBytes));
  }
  pendingBodyBytes += reserved;
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const done = (err: Error | undefined): void => {
    if (settled) return;
    settled = true;
    bodyDeadlines.cancel(watched);
    pendingBodyBytes -= reserved;
    if (err === undefined) {
      // Nothing but a late 'error' or 'aborted' can follow 'end', and `settled` ignores it:
      // leaving the listeners saves removing four of them on every call.
      cb(undefined, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
      return;
    }
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
    req.off('aborted', onAborted);
    // Whatever else arrives is discarded; the answer goes out with Connection: close.
    req.resume();
    cb(err, NO_BODY);
  };
  const onData = (chunk: Buffer): void => {
    size += chunk.length;
    if (size > bodyLimit) {
      done(new LcBodyTooLargeError(bodyLimit));
      return;
    }
    // Only a chunked body outgrows its reservation: its bytes are counted as they come.
    if (size > reserved) {
      if (pendingBodyBytes + size - reserved > maxPendingBodyBytes) {
        done(new LcBodyBudgetError(maxPendingBodyBytes));
        return;
      }
      pendingBodyBytes += size - reserved;
      reserved = size;
    }
    chunks.push(chunk);
  };
  const onEnd = (): void => done(undefined);
  const onError = (err: Error): void => done(err);
  const onAborted = (): void => done(new Error('the client aborted the request'));
  const onTimeout = (): void => done(new LcBodyTimeoutError(limits.bodyTimeoutMs));
  const watched = bodyDeadlines.watch(Date.now() + limits.bodyTimeoutMs, onTimeout);
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
  req.on('aborted', onAborted);
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || declaredLength(req) > 0;
}

function declaredLength(req: IncomingMessage): number {
  const header = req.headers['content-length'];
  const length = header === undefined ? 0 : Number(header);
  return Number.isFinite(length) ? length : 0;
}

/** Writes a complete answer with Node's own API, which Express and Cloud Functions responses share. */
export function writeReply(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  close = false,
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  // One writeHead with every header: setHeader() stores each one first and writeHead() walks
  // them again, a visible share of a small call. Headers the app set before are kept (merged).
  const headers: Record<string, string | number> = {
    'content-type': contentType,
    'cache-control': 'no-store',
    // Set here: after an explicit writeHead, end() would send the body chunked.
    'content-length': Buffer.byteLength(body),
  };
  // HTTP/2 has no Connection header (setting one throws); its streams do not hold the server.
  if (close && res.req.httpVersionMajor < 2) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(body);
}
