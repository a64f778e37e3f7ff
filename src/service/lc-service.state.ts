import { Injectable } from '@nestjs/common';
import { LcConfigError } from '../options/lc-config-error.js';
import type { LcResourceRecord } from '../protocol/service/resources.js';
import type { LcRequestParamDefs } from '../protocol/service/request-params.js';

/**
 * What the service advertises and serves beyond its handlers: detect subscriptions, published
 * resources, request parameters. Written by `LcService` (at boot or later), read by the
 * dispatcher and the health document; `revision` tells readers their cached copy is stale.
 */
@Injectable()
export class LcServiceState {
  readonly startTime = Math.floor(Date.now() / 1000);
  readonly detectSubscriptions = new Set<string>();
  /** Etypes the module itself handles beyond user handlers (interactive services). */
  readonly moduleCallbacks = new Set<string>();
  readonly resources = new Map<string, LcResourceRecord>();
  requestParams: LcRequestParamDefs | undefined;
  readonly commands: Record<string, unknown> = {};
  private revisionCounter = 0;
  /** Who declared `requestParams`: a request DTO, or `LcService.setRequestParameters()`. */
  private requestParamsOwner: string | undefined;

  get revision(): number {
    return this.revisionCounter;
  }

  changed(): void {
    this.revisionCounter++;
  }

  /**
   * Sets `requestParams`, refusing a second declarer: a request DTO and setRequestParameters()
   * would validate differently, and silently keeping one would hide the mistake.
   */
  declareRequestParams(defs: LcRequestParamDefs, owner: string): void {
    const current = this.requestParamsOwner;
    if (current !== undefined && current !== owner) {
      throw new LcConfigError(
        `LcServiceModule: request parameters are declared twice, by ${current} and by ${owner}. ` +
          "Declare them once: keep the DTO of @LcHandler('request', { params }) and stop calling setRequestParameters(), or the reverse.",
      );
    }
    this.requestParamsOwner = owner;
    this.requestParams = defs;
    this.changed();
  }
}
