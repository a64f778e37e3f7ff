import { Injectable } from '@nestjs/common';
import type { LcResourceRecord } from '../protocol/resources.js';
import type { LcRequestParamDefs } from '../protocol/request-params.js';

/**
 * What the service advertises and serves beyond its handlers: detect subscriptions, published
 * resources, request parameters. Written by `LcService` (at boot or later), read by the
 * dispatcher and the health document; `revision` tells readers their cached copy is stale.
 */
@Injectable()
export class LcServiceState {
  readonly startTime = Math.floor(Date.now() / 1000);
  readonly detectSubscriptions = new Set<string>();
  readonly resources = new Map<string, LcResourceRecord>();
  requestParams: LcRequestParamDefs | undefined;
  readonly commands: Record<string, unknown> = {};
  private revisionCounter = 0;

  get revision(): number {
    return this.revisionCounter;
  }

  changed(): void {
    this.revisionCounter++;
  }
}
