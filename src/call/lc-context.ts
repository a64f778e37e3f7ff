import { Injectable } from '@nestjs/common';
import type { LimaCharlieClient } from '@nestjs-lc-service/limacharlie';
import { lcCallStorage } from './lc-call.storage.js';
import { LcCallTracking } from './lc-call-tracking.js';
import { LcExtCall, type LcExtRequest } from './lc-ext-call.js';
import type { LcCall, LcRequest } from './lc-request.js';

/**
 * The LimaCharlie call being handled, readable from any provider without request scope
 * (request-scoped providers would rebuild the graph per call and are refused on handlers).
 * Injecting it turns on call tracking (`AsyncLocalStorage`) at boot.
 */
@Injectable()
export class LcContext {
  constructor(private readonly tracking: LcCallTracking) {}

  /** True inside an LC handler of either module (and anything it awaits). */
  get isActive(): boolean {
    return this.current() !== undefined;
  }

  /** The current call's protocol; undefined outside an LC handler. */
  get protocol(): 'service' | 'extension' | undefined {
    return this.current()?.protocol;
  }

  /** The current `LcServiceModule` request; throws outside one (an Extension call: `extRequest`). */
  get request(): LcRequest {
    const call = this.active();
    if (call instanceof LcExtCall) {
      throw new Error(
        `LcContext: '${call.eventType}' is an Extension call: read LcContext.extRequest (LcContext.protocol tells them apart).`,
      );
    }
    return call;
  }

  /** The current `LcExtensionModule` request; throws outside one (a Service call: `request`). */
  get extRequest(): LcExtRequest {
    const call = this.active();
    if (!(call instanceof LcExtCall)) {
      throw new Error(
        `LcContext: '${call.eventType}' is an LcServiceModule call: read LcContext.request (LcContext.protocol tells them apart).`,
      );
    }
    return call;
  }

  get oid(): string | undefined {
    return this.active().oid;
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

  private active(): LcCall | LcExtCall {
    const call = this.current();
    if (call === undefined) {
      throw new Error(
        'LcContext: no LimaCharlie call is being handled here. Read it from an LC handler (@LcHandler, @LcCron, @LcAction, @LcExtensionEvent...) or code it awaits.',
      );
    }
    return call;
  }

  private current(): LcCall | LcExtCall | undefined {
    if (!this.tracking.enabled) throw new Error(`LcContext: ${this.tracking.offReason()}`);
    return lcCallStorage.getStore();
  }
}
