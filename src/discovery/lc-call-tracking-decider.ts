import { Inject, Injectable } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { callTrackingRequested } from '../call/lc-call.storage.js';
import { LcCallTracking } from '../call/lc-call-tracking.js';
import { LcContext } from '../call/lc-context.js';
import { LC_MODULE, LC_OPTIONS, type LcModuleIdentity } from '../lc-service.constants.js';
import type { ResolvedLcOptions } from '../options/lc-service.options.js';
import { findInjectionsOf } from './lc-context-consumers.js';
import { LcLogger } from '../logging/lc-logger.js';

/** Decides once, at boot, whether calls run inside their AsyncLocalStorage. */
@Injectable()
export class LcCallTrackingDecider {
  private readonly logger = new LcLogger('LcService');

  constructor(
    @Inject(LC_OPTIONS) private readonly options: ResolvedLcOptions,
    @Inject(LC_MODULE) private readonly module: LcModuleIdentity,
    private readonly tracking: LcCallTracking,
    private readonly modules: ModulesContainer,
  ) {}

  /**
   * `AsyncLocalStorage` costs every promise in the process on Node 20 (a sixth of the throughput
   * of small calls): entered only when the option asks for it or something reads it.
   */
  decide(): void {
    const readers = findInjectionsOf(this.modules, LcContext);
    this.tracking.decide(this.options.asyncContext, readers.length > 0, this.module.name);
    if (callTrackingRequested()) readers.push('LcGcpLogger');
    if (this.tracking.enabled) {
      this.logger.log(
        `call tracking (AsyncLocalStorage) is on for ${readers.length > 0 ? readers.join(', ') : "the option 'asyncContext'"}`,
      );
    }
  }
}
