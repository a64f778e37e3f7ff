import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { LcRunState } from '../call/lc-run-state.js';
import { readinessOf, type LcReadiness } from '../health/lc-probes.js';

/**
 * The module's readiness as a `@nestjs/terminus` indicator, for apps whose own health check
 * answers the orchestrator (with the module's probes off, `probes: false`): `up` once the app has
 * booted, `down` while it starts or drains on shutdown, so the replica stops getting traffic
 * while its calls in flight finish. With both LcServiceModule and LcExtensionModule, `down` when
 * either is.
 */
@Injectable()
export class LcHealthIndicator implements OnModuleInit {
  private states: LcRunState[] = [];

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // Each protocol module keeps its own run state, private to it: found once, across modules.
    try {
      this.states = this.moduleRef.get(LcRunState, { strict: false, each: true });
    } catch {
      this.states = [];
    }
    if (this.states.length === 0) {
      throw new Error(
        'LcHealthIndicator: the app has no LcServiceModule or LcExtensionModule to report on. ' +
          'Import one (LcServiceModule.forRoot(...)) in the app, or remove LcHealthIndicator from the providers.',
      );
    }
  }

  /** `{ [key]: { status: 'up' } }`, or `down` with `state: 'starting' | 'draining'`. */
  isReady(key = 'limacharlie'): HealthIndicatorResult {
    const indicator = this.indicators.check(key);
    const state = this.readiness();
    return state === 'ready' ? indicator.up() : indicator.down({ state });
  }

  private readiness(): LcReadiness {
    let worst: LcReadiness = 'ready';
    for (const state of this.states) {
      const now = readinessOf(state);
      if (now === 'draining') return now;
      if (now === 'starting') worst = now;
    }
    return worst;
  }
}
