import { lcCallStorage } from '../call/lc-call.storage.js';

/** What the current call adds to a log line: a Service call's or an Extension call's ids. */
export interface LcLogFields {
  etype?: string;
  mid?: string;
  oid?: string;
  /** An Extension request's action, or an Extension event's name. */
  action?: string;
  idempotency_key?: string;
}

/** The fields both protocols' calls share, read by shape so either call type fits. */
interface LcLoggedCall {
  readonly eventType: string;
  readonly messageId: string | undefined;
  readonly oid: string | undefined;
  readonly action?: string | undefined;
  readonly idempotencyKey?: string;
}

/**
 * The current LimaCharlie call's ids for a structured log line: `{ etype, mid, oid }` inside a
 * Service call, `{ action, oid, idempotency_key }` inside an Extension call, `{}` elsewhere. Made
 * for pino's `mixin` (nestjs-pino: `pinoHttp: { mixin: lcLogFields }`), which runs at
 * each line, in the handler's async context. Needs call tracking (option `asyncContext: true`).
 * A new object each time: pino's default merge writes the line's own fields into it.
 */
export function lcLogFields(): LcLogFields {
  const call: LcLoggedCall | undefined = lcCallStorage.getStore();
  const fields: LcLogFields = {};
  if (call === undefined) return fields;
  if (call.idempotencyKey === undefined) {
    fields.etype = call.eventType;
    if (call.messageId !== undefined) fields.mid = call.messageId;
  } else {
    if (call.action !== undefined) fields.action = call.action;
    if (call.idempotencyKey !== '') fields.idempotency_key = call.idempotencyKey;
  }
  if (call.oid !== undefined) fields.oid = call.oid;
  return fields;
}
