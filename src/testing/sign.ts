import { SIGNATURE_HEADER, signBody } from '../protocol/service/signature.js';

export interface SignedLcRequest {
  body: string;
  headers: Record<string, string>;
}

/**
 * Signs a body the way LimaCharlie does: an object is serialised with `JSON.stringify`, a string
 * or Buffer is signed as is (pass the Python simulator's `sort_keys` text to reproduce it).
 */
export function signLcRequest(secret: string, body: unknown): SignedLcRequest {
  const text =
    typeof body === 'string'
      ? body
      : Buffer.isBuffer(body)
        ? body.toString('utf8')
        : JSON.stringify(body);
  return {
    body: text,
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(secret, text) },
  };
}
