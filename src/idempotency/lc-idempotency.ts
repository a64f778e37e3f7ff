import { Logger } from '@nestjs/common';
import type { LcCall } from '../call/lc-request.js';
import { DEADLINE_EXCEEDED, failure, type LcWireResponse } from '../protocol/service/response.js';
import type { LcIdempotencyStore } from '../options/idempotency-store.js';

/** A duplicate without deadline waits at most this long for the first delivery's answer. */
const NO_DEADLINE_WAIT_MS = 10 * 60_000;
/** A claim outlives the call's deadline a little, so a slow first answer can still be stored. */
const CLAIM_MARGIN_MS = 5_000;
const POLL_FIRST_MS = 20;
const POLL_MAX_MS = 500;

export const STORE_UNAVAILABLE = 'idempotency store unavailable';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Runs a handler once per org and `mid`. The first delivery claims the key and stores its answer
 * when it is final (a success, or a failure without retry); a failure with retry releases the key,
 * so the next delivery runs the handler again. A redelivery that finds the answer gets it back;
 * one that arrives while the first is still running waits for it, until its own deadline.
 */
export class LcIdempotency {
  private readonly logger = new Logger('LcService');

  constructor(
    private readonly store: LcIdempotencyStore,
    private readonly ttlMs: number,
    private readonly serviceName: string,
    private readonly onReplay: ((etype: string) => void) | undefined,
  ) {}

  async run(call: LcCall, handle: () => Promise<LcWireResponse>): Promise<LcWireResponse> {
    const mid = call.messageId;
    if (mid === undefined || mid === '') return handle();
    // The service name keeps services sharing one Redis apart; the oid keeps orgs apart.
    const key = `${this.serviceName}:${call.oid ?? ''}:${mid}`;
    const waitUntil = call.deadlineMs ?? Date.now() + NO_DEADLINE_WAIT_MS;
    let pause = POLL_FIRST_MS;
    for (;;) {
      let reply: string | undefined;
      try {
        const record = await this.store.claim(
          key,
          Math.max(0, waitUntil - Date.now()) + CLAIM_MARGIN_MS,
        );
        if (record === undefined) return await this.first(key, handle);
        if (record.state === 'done') reply = record.reply;
      } catch (err) {
        return this.storeFailed(mid, err);
      }
      if (reply !== undefined) return this.replay(call, mid, reply);
      const remaining = waitUntil - Date.now();
      if (remaining <= 0) return failure(DEADLINE_EXCEEDED, true);
      await sleep(Math.min(pause, remaining));
      pause = Math.min(pause * 2, POLL_MAX_MS);
    }
  }

  private async first(key: string, handle: () => Promise<LcWireResponse>): Promise<LcWireResponse> {
    const wire = await handle();
    let reply: string | undefined;
    if (wire.success || wire.retry !== true) {
      try {
        reply = JSON.stringify(wire);
      } catch {
        // Not serialisable: the dispatcher answers with a failure of its own; nothing to keep.
      }
    }
    try {
      if (reply === undefined) await this.store.release(key);
      else await this.store.complete(key, reply, this.ttlMs);
    } catch (err) {
      // The work is done: answer it. A redelivery will wait for the claim to expire.
      this.logger.error(`idempotency store: could not record the answer: ${describe(err)}`);
    }
    return wire;
  }

  private replay(call: LcCall, mid: string, reply: string): LcWireResponse {
    let wire: LcWireResponse;
    try {
      wire = JSON.parse(reply) as LcWireResponse;
    } catch (err) {
      return this.storeFailed(mid, err);
    }
    this.logger.debug(`${call.eventType} mid=${mid}: answered from the first delivery`);
    this.onReplay?.(call.eventType);
    return wire;
  }

  /** No store, no guarantee: answer with retry rather than risk running the work twice. */
  private storeFailed(mid: string, err: unknown): LcWireResponse {
    this.logger.error(`idempotency store failed for mid=${mid}: ${describe(err)}`);
    return failure(STORE_UNAVAILABLE, true);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
