/** A call still running is answered a fifth of its time before the deadline, at most this much. */
const MAX_REPLY_MARGIN_MS = 1000;

/**
 * When a call that is still waiting (on its handler, the idempotency store or its first
 * delivery) must be answered: a reply sent at the deadline arrives after LimaCharlie stopped
 * waiting.
 */
export function replyBy(deadlineMs: number, now: number): number {
  return deadlineMs - Math.max(0, Math.min(MAX_REPLY_MARGIN_MS, (deadlineMs - now) / 5));
}
