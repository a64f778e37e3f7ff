import { LcApiError } from './errors.js';
import type { HttpMethod } from './types.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A 2xx whose JSON lacks what the SDKs read means the API changed; say so instead of a TypeError. */
export function unexpectedShape(
  method: HttpMethod,
  path: string,
  expected: string,
  body: unknown,
): LcApiError {
  return new LcApiError(
    `LimaCharlie API ${method} ${path} returned an unexpected body (expected ${expected})`,
    {
      kind: 'http',
      status: 200,
      method,
      path,
      body,
      retryable: false,
    },
  );
}

export function expectRecord(
  value: unknown,
  method: HttpMethod,
  path: string,
): Record<string, unknown> {
  if (isRecord(value)) return value;
  throw unexpectedShape(method, path, 'a JSON object', value);
}
