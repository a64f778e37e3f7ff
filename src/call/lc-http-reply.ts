/** How a protocol answer (HTTP 200) ended, for metrics. */
export type LcAnswerOutcome = 'success' | 'failure' | 'retry';

/** What the transport writes back: a status and a JSON body. */
export interface LcHttpReply {
  status: number;
  body: string;
  /** Set on protocol answers built from a response; a 200 without it is a success. */
  outcome?: LcAnswerOutcome;
  /**
   * The transport sends `Connection: close`: the replica is draining (the keep-alive connection
   * must not hold the server open, and the next call should go to another replica), or the body
   * was not read to its end.
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

/**
 * A call refused for now (LimaCharlie retries it) on a connection the server closes, so that
 * the retry may reach another replica and the refused call's unread bytes are dropped.
 */
export function retryLater(status: number, error: string): LcHttpReply {
  return {
    status,
    close: true,
    body: JSON.stringify({ success: false, retry: true, data: {}, error }),
  };
}

/** New calls while the replica drains: LimaCharlie retries them, on a replica that is not leaving. */
export const SHUTTING_DOWN: LcHttpReply = retryLater(503, 'the service is shutting down; retry');
