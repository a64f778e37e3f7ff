import type { IncomingMessage, ServerResponse } from 'node:http';

import type { FakeParams } from './types.js';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** A reply the router turns into an HTTP response; thrown to short-circuit a handler. */
export class FakeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`fake LimaCharlie HTTP ${status}`);
  }
}

export function errorReply(status: number, error: string): FakeHttpError {
  return new FakeHttpError(status, { error });
}

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString('utf8');
}

/** The body as sent, for the storage URLs whose bodies are not text. */
export async function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw errorReply(413, 'request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export function parseParams(encoded: string): FakeParams {
  const out: FakeParams = {};
  for (const [key, value] of new URLSearchParams(encoded)) {
    const prior = out[key];
    if (prior === undefined) out[key] = value;
    else if (Array.isArray(prior)) prior.push(value);
    else out[key] = [prior, value];
  }
  return out;
}

/** The SDKs send forms on POST and DELETE, and py even on GET; anything else is not parsed. */
export function isForm(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
}

export function one(params: FakeParams, key: string): string | undefined {
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

export function many(params: FakeParams, key: string): string[] {
  const value = params[key];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? {});
  const contentType = typeof body === 'string' ? 'text/plain' : 'application/json';
  res.writeHead(status, { 'content-type': contentType, ...headers });
  res.end(text);
}
