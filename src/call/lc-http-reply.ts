/** How a protocol answer (HTTP 200) ended, for metrics. */
export type LcAnswerOutcome = 'success' | 'failure' | 'retry';

/** What the transport writes back: a status and a JSON body. */
export interface LcHttpReply {
  status: number;
  body: string;
  /** Set on protocol answers built from a response; a 200 without it is a success. */
  outcome?: LcAnswerOutcome;
  /**
   * The replica is draining: the transport sends `Connection: close`, so the keep-alive
   * connection does not hold the server open and the next call goes to another replica.
   */
  close?: boolean;
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

/** New calls while the replica drains: LimaCharlie retries them, on a replica that is not leaving. */
export const SHUTTING_DOWN: LcHttpReply = {
  status: 503,
  close: true,
  body: JSON.stringify({
    success: false,
    retry: true,
    data: {},
    error: 'the service is shutting down; retry',
  }),
};
