import type { IncomingMessage, ServerResponse } from 'node:http';

/** A body over the limit; answered with 413. */
export class LcBodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the body is larger than the ${limit} bytes allowed (option 'bodyLimit')`);
    this.name = 'LcBodyTooLargeError';
  }
}

/** A body a framework parser consumed before the webhook saw its bytes. */
export class LcBodyConsumedError extends Error {
  constructor() {
    super(
      'the request body was read before the LimaCharlie webhook saw its bytes: a body parser runs ahead of it. ' +
        'Mount body parsers after LcServiceModule, or keep the raw bytes in req.rawBody (NestFactory.create(..., { rawBody: true })).',
    );
    this.name = 'LcBodyConsumedError';
  }
}

interface RequestWithRawBody extends IncomingMessage {
  rawBody?: unknown;
}

/**
 * The exact bytes of a request body, at most `limit` of them. A body someone else already read is
 * taken from `req.rawBody` when they kept it (Nest's `rawBody` option, Cloud Functions).
 */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const kept = (req as RequestWithRawBody).rawBody;
  if (Buffer.isBuffer(kept)) return Promise.resolve(kept);
  if (req.readableEnded) {
    return hasBody(req)
      ? Promise.reject(new LcBodyConsumedError())
      : Promise.resolve(Buffer.alloc(0));
  }
  if (declaredLength(req) > limit) return Promise.reject(new LcBodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err: Error | undefined): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (err === undefined) resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
      else reject(err);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        // Whatever else arrives is discarded; the 413 goes out with Connection: close.
        req.resume();
        done(new LcBodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => done(undefined);
    const onError = (err: Error): void => done(err);
    const onAborted = (): void => done(new Error('the client aborted the request'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
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
  res.statusCode = status;
  res.setHeader('content-type', contentType);
  res.setHeader('cache-control', 'no-store');
  // HTTP/2 has no Connection header (setting one throws); its streams do not hold the server.
  if (close && res.req.httpVersionMajor < 2) res.setHeader('connection', 'close');
  res.end(body);
}
