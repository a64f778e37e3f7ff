import type { LcMaybePromise } from '../call/lc-maybe-promise.js';
import type { LcHttpReply } from '../call/lc-http-reply.js';
import type { LcSpannedCall } from '../telemetry/lc-telemetry.js';

/** What the pipeline needs of a protocol's call: names for logs and spans, and redactors. */
export interface LcTracedCall extends LcSpannedCall {
  /** The text with every secret the call carries (its JWT) removed from its JSON strings. */
  redactJson(text: string): string;
}

/**
 * One webhook protocol's rules: how its bytes are authenticated and parsed, what a call is, and
 * how it is answered. The pipeline (LcDispatcher) owns everything around them (drain, in-flight
 * count, metrics, tracing), the transports own the bytes, so a second protocol implements only
 * this.
 */
export interface LcWebhookProtocol<M = unknown, C extends LcTracedCall = LcTracedCall> {
  /** The header that carries the signature of the raw body. */
  readonly signatureHeader: string;
  /** The answer to a bad signature (401), in the protocol's shape. */
  readonly unauthorized: LcHttpReply;
  /** The answer to a call while the replica drains (503, retry), in the protocol's shape. */
  readonly shuttingDown: LcHttpReply;
  /**
   * An error answered before the protocol saw the call (the body too large, too slow, over the
   * pending-bytes budget or unreadable; a failure of the route), in the protocol's shape.
   * `status` is the HTTP status the transport means; the protocol may adjust it to its rules.
   */
  refusal(status: number, error: string, retry: boolean): LcHttpReply;
  /**
   * Before verification: the bytes the signature covers (a `Content-Encoding` undone), or the
   * answer when there is nothing to verify (a reachability probe, an unreadable encoding).
   * Absent: the raw bytes are verified as they arrived.
   */
  decode?(
    body: Buffer,
    signature: unknown,
    contentEncoding: unknown,
  ): Buffer | LcHttpReply | Promise<Buffer | LcHttpReply>;
  /** Whether `signature` signs exactly `body`. Runs before anything reads the body. */
  verify(body: Buffer, signature: unknown): boolean;
  /** The message, or the answer refusing it (HTTP 400 naming the field). */
  parse(body: Buffer): { message: M } | { rejected: LcHttpReply };
  open(message: M): C;
  /** The metrics label of the message (its etype, action or event). */
  label(message: M): string;
  answer(message: M, call: C): LcMaybePromise<LcHttpReply>;
  /** The answer when a step of `answer` outside a handler threw. */
  unhandled(call: C, err: unknown): LcHttpReply;
}

/** The protocol an LcDispatcher serves; each protocol module binds it to its rules. */
export const LC_WEBHOOK_PROTOCOL = Symbol('LC_WEBHOOK_PROTOCOL');
