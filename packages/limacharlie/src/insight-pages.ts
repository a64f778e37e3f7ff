import { gunzipSync } from 'node:zlib';

import type { LcTransport } from './http.js';
import { expectRecord, unexpectedShape } from './response.js';
import type { FormParams } from './types.js';

/** Start and end of an Insight time range, in epoch seconds as the SDK sends them. */
export interface InsightRange {
  start: number;
  end: number;
}

/**
 * Decodes a list the API sent with `is_compressed=true`: base64 of gzip of JSON, as the SDK's
 * `Client.unwrap` reads it. The inflated size is bounded by `maxResponseBytes` so a small answer
 * cannot expand past what an uncompressed one could be.
 */
export function unwrapList(
  value: unknown,
  path: string,
  field: string,
  maxBytes: number,
): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') {
    throw unexpectedShape('GET', path, `\`${field}\` as compressed data`, value);
  }
  let decoded: unknown;
  try {
    const json = gunzipSync(Buffer.from(value, 'base64'), { maxOutputLength: maxBytes });
    decoded = JSON.parse(json.toString('utf8'));
  } catch (cause) {
    const reason =
      cause instanceof RangeError ? `inflates past ${maxBytes} bytes` : 'is not gzip+base64 JSON';
    throw unexpectedShape('GET', path, `\`${field}\` as compressed data (it ${reason})`, undefined);
  }
  if (!Array.isArray(decoded)) {
    throw unexpectedShape('GET', path, `\`${field}\` to hold a JSON list`, decoded);
  }
  return decoded;
}

/** Seconds as the SDK sends them (`str(int(x))`); refuses what it would turn into nonsense. */
export function epochSeconds(name: string, value: number): string {
  if (!Number.isFinite(value) || value < 0) {
    throw new TypeError(`${name} must be a non-negative number of epoch seconds`);
  }
  return String(Math.trunc(value));
}

export function positiveLimit(name: string, limit: number | undefined): number | undefined {
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit > 0)) {
    throw new TypeError(`${name} limit must be a positive integer`);
  }
  return limit;
}

export interface CursorWalk {
  operation: string;
  path: string;
  /** Query parameters sent with every page; `cursor` is added. */
  query: FormParams;
  /** The answer field holding the compressed page. */
  field: string;
  /** Stop after this many items, across pages. */
  limit: number | undefined;
}

/**
 * Walks an Insight cursor: `-` asks for the first page, `next_cursor` for the next, and a
 * missing or empty one ends it. Each page is fetched when the previous one is used up, through
 * the transport, so the deadline ends the walk at the next page.
 */
export async function* walkCursor<T>(
  transport: LcTransport,
  walk: CursorWalk,
): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined = '-';
  let returned = 0;
  while (cursor !== undefined) {
    const page = expectRecord(
      await transport.call(walk.operation, 'GET', walk.path, { ...walk.query, cursor }),
      'GET',
      walk.path,
    );
    const next = page.next_cursor;
    cursor = typeof next === 'string' && next !== '' ? next : undefined;
    const items = unwrapList(page[walk.field], walk.path, walk.field, transport.maxResponseBytes);
    for (const item of items) {
      yield item as T;
      returned += 1;
      if (walk.limit !== undefined && returned >= walk.limit) return;
    }
  }
}
