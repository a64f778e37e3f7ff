import type { LcMaybePromise } from '../call/lc-maybe-promise.js';
import { LcDeadlineWatch } from '../call/lc-deadline-watch.js';
import { replyBy } from '../call/lc-reply-time.js';
import type { LcCall } from '../call/lc-request.js';
import { DEADLINE_EXCEEDED, failure, type LcWireResponse } from '../protocol/service/response.js';
import type { ResolvedLcIdempotency } from '../options/idempotency-options.js';
import type { LcIdempotencyRecord, LcIdempotencyStore } from '../options/idempotency-store.js';
import { LcMemoryIdempotencyStore } from './memory-idempotency-store.js';
import { LcLogger } from '../logging/lc-logger.js';

/** A duplicate without deadline waits at most this long for the first delivery's answer. */
const NO_DEADLINE_WAIT_MS = 10 * 60_000;
/**
 * LimaCharlie's deadlines are about ten minutes away; a claim held longer than this only keeps
 * the redeliveries of a replica that died waiting.
 */
const MAX_CLAIM_MS = 60 * 60_000;
const POLL_FIRST_MS = 20;
const POLL_MAX_MS = 500;

export const STORE_UNAVAILABLE = 'idempotency store unavailable';

/** What idempotency reads of a call: its org, its redelivery key and when it is due. */
export interface LcIdempotentCall {
  readonly eventType: string;
  readonly oid: string | undefined;
  readonly messageId: string | undefined;
  readonly deadlineMs: number | undefined;
}

/** How a protocol's answers look to idempotency: which are final, and a retriable failure. */
export interface LcAnswerShape<W> {
  /** A success, or a failure that will not be retried: the answer redeliveries get. */
  isFinal(answer: W): boolean;
  retryLater(error: string): W;
}

const SERVICE_ANSWERS: LcAnswerShape<LcWireResponse> = {
  isFinal: (wire) => wire.success || wire.retry !== true,
  retryLater: (error) => failure(error, true),
};

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** `:` separates the key's parts: escaped inside them, `a:b` + `c` and `a` + `b:c` stay apart. */
function keyPart(value: string): string {
  return value.includes(':') || value.includes('%')
    ? value.replace(/[%:]/g, (c) => (c === '%' ? '%25' : '%3A'))
    : value;
}

/**
 * Runs a handler once per org and `mid`. The first delivery claims the key and stores its answer
 * when it is final (a success, or a failure without retry); a failure with retry releases the key,
 * so the next delivery runs the handler again. A redelivery that finds the answer gets it back;
 * one that arrives while the first is still running waits for it, until its own reply time.
 *
 * No store operation holds a call past its reply time, or past `storeTimeoutMs`: a claim that
 * does not come back in time is answered with retry and the handler does not run, and a finished
 * handler is answered before its answer is recorded.
 */
export class LcIdempotency {
  private readonly logger = new LcLogger('LcService');
  private readonly servicePart: string;
  private readonly ttlMs: number;
  private readonly storeTimeoutMs: number;
  /** The memory store answers at once: racing it against a timer would only cost allocations. */
  private readonly bounded: boolean;
  private readonly timeouts = new LcDeadlineWatch();
  /** Answers being recorded, and claims being released, after their call was answered. */
  private writing = 0;

  constructor(
    private readonly store: LcIdempotencyStore,
    config: Pick<ResolvedLcIdempotency, 'ttlMs' | 'storeTimeoutMs'>,
    serviceName: string,
    private readonly onReplay: ((etype: string) => void) | undefined,
  ) {
    // The service name keeps services sharing one Redis apart; the oid keeps orgs apart.
    this.servicePart = `${keyPart(serviceName)}:`;
    this.ttlMs = config.ttlMs;
    this.storeTimeoutMs = config.storeTimeoutMs;
    this.bounded = !(store instanceof LcMemoryIdempotencyStore);
  }

  run(call: LcCall, handle: () => LcMaybePromise<LcWireResponse>): Promise<LcWireResponse> {
    return this.runAs(call, handle, SERVICE_ANSWERS);
  }

  /** `run` for a protocol whose answers have another shape (the Extension protocol's). */
  async runAs<W>(
    call: LcIdempotentCall,
    handle: () => LcMaybePromise<W>,
    shape: LcAnswerShape<W>,
  ): Promise<W> {
    const mid = call.messageId;
    if (mid === undefined || mid === '') return handle();
    const key = `${this.servicePart}${keyPart(call.oid ?? '')}:${mid}`;
    const deadline = call.deadlineMs;
    const now = Date.now();
    const answerBy = deadline === undefined ? now + NO_DEADLINE_WAIT_MS : replyBy(deadline, now);
    let pause = POLL_FIRST_MS;
    for (;;) {
      let record: LcIdempotencyRecord | undefined;
      try {
        record = await this.claim(key, this.claimTtl(deadline), answerBy);
      } catch (err) {
        return this.storeFailed(mid, err, shape);
      }
      if (record === undefined) return this.first(key, mid, handle, shape);
      if (record.state === 'done') return this.replay(call, mid, record.reply, shape);
      const remaining = answerBy - Date.now();
      if (remaining <= 0) return shape.retryLater(DEADLINE_EXCEEDED);
      await sleep(Math.min(pause, remaining));
      pause = Math.min(pause * 2, POLL_MAX_MS);
    }
  }

  /** The claim outlives the handler (stopped at the deadline) and the recording of its answer. */
  private claimTtl(deadline: number | undefined): number {
    const left = deadline === undefined ? NO_DEADLINE_WAIT_MS : deadline - Date.now();
    return Math.min(Math.max(0, left), MAX_CLAIM_MS) + this.storeTimeoutMs;
  }

  private claim(
    key: string,
    ttlMs: number,
    answerBy: number,
  ): Promise<LcIdempotencyRecord | undefined> {
    const claiming = this.store.claim(key, ttlMs);
    if (!this.bounded) return claiming;
    return this.within(claiming, answerBy, () => {
      // The claim may still land when the store comes back: nothing would ever release it then,
      // and the redeliveries would wait for it to expire.
      claiming.then(
        (late) => {
          if (late === undefined) this.release(key);
        },
        () => undefined,
      );
    });
  }

  private async first<W>(
    key: string,
    mid: string,
    handle: () => LcMaybePromise<W>,
    shape: LcAnswerShape<W>,
  ): Promise<W> {
    const wire = await handle();
    let reply: string | undefined;
    if (shape.isFinal(wire)) {
      try {
        reply = JSON.stringify(wire);
      } catch {
        // Not serialisable: the dispatcher answers with a failure of its own; nothing to keep.
      }
    }
    // The work is done: it is answered now, and recorded on the side.
    if (reply === undefined) this.release(key);
    else this.complete(key, mid, reply);
    return wire;
  }

  /** Store writes still running after their call was answered; a shutdown waits for them. */
  get pendingWrites(): number {
    return this.writing;
  }

  private complete(key: string, mid: string, reply: string): void {
    this.write(() => this.store.complete(key, reply, this.ttlMs)).catch((err: unknown) => {
      this.logger.error(
        `idempotency store: could not record the answer to mid=${mid} (a redelivery will run the handler again): ${describe(err)}`,
      );
    });
  }

  private release(key: string): void {
    this.write(() => this.store.release(key)).catch((err: unknown) => {
      this.logger.error(
        `idempotency store: could not release a claim (redeliveries wait for it to expire): ${describe(err)}`,
      );
    });
  }

  private write(operation: () => Promise<void>): Promise<void> {
    this.writing++;
    return this.attempt(operation).finally(() => {
      this.writing--;
    });
  }

  /** One store operation, whether it throws or rejects, bounded by `storeTimeoutMs`. */
  private attempt(operation: () => Promise<void>): Promise<void> {
    let running: Promise<void>;
    try {
      running = operation();
    } catch (err) {
      return Promise.reject(err);
    }
    return this.within(running, Infinity);
  }

  /**
   * Settles with `operation`, or rejects at `storeTimeoutMs` or `by`, whichever comes first. The
   * operation itself cannot be stopped; `onTimeout` deals with what it may still do.
   */
  private within<T>(operation: Promise<T>, by: number, onTimeout?: () => void): Promise<T> {
    if (!this.bounded) return operation;
    const wait = Math.min(this.storeTimeoutMs, by - Date.now());
    return this.timeouts.race(Date.now() + wait, operation, () => {
      onTimeout?.();
      return new Error(
        wait === this.storeTimeoutMs
          ? `no answer within ${wait} ms (idempotency.storeTimeoutMs)`
          : `no answer before the call's deadline`,
      );
    });
  }

  private replay<W>(
    call: LcIdempotentCall,
    mid: string,
    reply: string,
    shape: LcAnswerShape<W>,
  ): W {
    let wire: W;
    try {
      wire = JSON.parse(reply) as W;
    } catch (err) {
      return this.storeFailed(mid, err, shape);
    }
    this.logger.debug(`${call.eventType} mid=${mid}: answered from the first delivery`);
    this.onReplay?.(call.eventType);
    return wire;
  }

  /** No store, no guarantee: answer with retry rather than risk running the work twice. */
  private storeFailed<W>(mid: string, err: unknown, shape: LcAnswerShape<W>): W {
    this.logger.error(`idempotency store failed for mid=${mid}: ${describe(err)}`);
    return shape.retryLater(STORE_UNAVAILABLE);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
