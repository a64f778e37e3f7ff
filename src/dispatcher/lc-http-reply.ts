/** What the transport writes back: a status and a JSON body. */
export interface LcHttpReply {
  status: number;
  body: string;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** A JSON reply outside the protocol's 200s: bad signature, malformed envelope, oversized body. */
export function rejection(status: number, error: string): LcHttpReply {
  return { status, body: JSON.stringify({ success: false, retry: false, data: {}, error }) };
}

export const UNAUTHORIZED: LcHttpReply = rejection(
  401,
  'unauthorized: missing or bad lc-svc-sig signature',
);
