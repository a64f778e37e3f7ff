import { Injectable } from '@nestjs/common';
import type { LimaCharlieClient } from '@nestjs-lc-service/limacharlie';
import { lcCallStorage } from './lc-call.storage.js';
import { LcCallTracking } from './lc-call-tracking.js';
import type { LcCall, LcRequest } from './lc-request.js';

/**
 * The LimaCharlie call being handled, readable from any provider without request scope
 * (request-scoped providers would rebuild the graph per call and are refused on handlers).
 * Injecting it turns on call tracking (`AsyncLocalStorage`) at boot.
 */
@Injectable()
export class LcContext {
  constructor(private readonly tracking: LcCallTracking) {}

  /** True inside an LC handler (and anything it awaits). */
  get isActive(): boolean {
    return this.current() !== undefined;
  }

  /** The current request; throws outside an LC handler. */
  get request(): LcRequest {
    const call = this.current();
    if (call === undefined) {
      throw new Error(
        'LcContext: no LimaCharlie call is being handled here. Read it from an @LcHandler / @LcCron method or code it awaits.',
      );
    }
    return call;
  }

  get oid(): string | undefined {
    return this.request.oid;
  }

  /** The per-org client; throws for calls that carry no org (health, once_per_*). */
  get client(): LimaCharlieClient {
    const call = this.current();
    const client = call === undefined ? null : call.client;
    if (client === null) {
      throw new Error(
        `LcContext: no LimaCharlie client for ${call === undefined ? 'code outside an LC handler' : `etype '${call.eventType}'`}: only calls that carry an oid and a JWT have one.`,
      );
    }
    return client;
  }

  private current(): LcCall | undefined {
    if (!this.tracking.enabled) throw new Error(`LcContext: ${this.tracking.offReason()}`);
    return lcCallStorage.getStore();
  }
}
