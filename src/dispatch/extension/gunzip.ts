import { createGunzip } from 'node:zlib';

/** A gzip body that inflates past the limit; answered 413 like a raw body over it. */
export class LcGunzipTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the body inflates to more than the ${limit} bytes allowed (option 'bodyLimit')`);
    this.name = 'LcGunzipTooLargeError';
  }
}

/** A gzip body still inflating when its time ran out. */
export class LcGunzipTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the gzip body did not inflate within ${timeoutMs} ms; retry`);
    this.name = 'LcGunzipTimeoutError';
  }
}

/**
 * Inflates a gzip body, holding at most `maxBytes` of output and for at most `timeoutMs`: a small
 * body that inflates to gigabytes (a gzip bomb) is stopped at the limit, without allocating more.
 * Rejects with the zlib error for a body that is not gzip.
 */
export function gunzipBounded(input: Buffer, maxBytes: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (err: Error | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err === undefined) {
        resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
        return;
      }
      chunks.length = 0;
      gunzip.destroy();
      reject(err);
    };
    const timer = setTimeout(() => finish(new LcGunzipTimeoutError(timeoutMs)), timeoutMs);
    gunzip.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(new LcGunzipTooLargeError(maxBytes));
      else chunks.push(chunk);
    });
    gunzip.on('end', () => finish(undefined));
    gunzip.on('error', (err) => finish(err));
    gunzip.end(input);
  });
}
