/** What a store holds for one message: still being handled, or the answer to give again. */
export type LcIdempotencyRecord = { state: 'pending' } | { state: 'done'; reply: string };

/**
 * Where first answers are kept, keyed by service, org and `mid`. Every replica that may receive a
 * redelivery must share the store (Redis for more than one replica); `claim` must be atomic
 * across all of them. An operation still running after `storeTimeoutMs` (or the call's reply
 * time) is no longer waited for: a claim that resolves `undefined` that late gets a `release`.
 */
export interface LcIdempotencyStore {
  /**
   * Records `key` as pending for `pendingTtlMs` unless it already exists. Resolves `undefined`
   * when this caller now owns the key, or the record that was already there.
   */
  claim(key: string, pendingTtlMs: number): Promise<LcIdempotencyRecord | undefined>;
  get(key: string): Promise<LcIdempotencyRecord | undefined>;
  /** Replaces the pending claim with the reply to give to redeliveries, kept for `ttlMs`. */
  complete(key: string, reply: string, ttlMs: number): Promise<void>;
  /** Drops a pending claim: the first delivery failed with retry, so the next one must run. */
  release(key: string): Promise<void>;
}
