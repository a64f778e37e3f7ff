import type { Provider } from '@nestjs/common';
import { LcIdempotency } from '../idempotency/lc-idempotency.js';
import { LcMemoryIdempotencyStore } from '../idempotency/memory-idempotency-store.js';
import { LC_MODULE, LC_OPTIONS, type LcModuleIdentity } from '../lc-service.constants.js';
import type { ResolvedLcOptions } from '../options/lc-service.options.js';
import { LcMetrics } from '../metrics/lc-metrics.js';
import { LcDrain } from './lc-drain.js';
import { LcOperationsRoutes } from './lc-operations.routes.js';
import { LcRunState } from '../call/lc-run-state.js';
import { LcTelemetry } from '../telemetry/lc-telemetry.js';
import { LC_IDEMPOTENCY, LC_METRICS, LC_TELEMETRY } from './operations.tokens.js';

/** Graceful shutdown, probes, metrics, spans and idempotency, as the module options configure them. */
export const operationsProviders: Provider[] = [
  LcRunState,
  {
    provide: LC_METRICS,
    useFactory: (options: ResolvedLcOptions, module: LcModuleIdentity) =>
      options.metrics === undefined ? null : LcMetrics.create(options.metrics, module),
    inject: [LC_OPTIONS, LC_MODULE],
  },
  {
    provide: LC_TELEMETRY,
    useFactory: (options: ResolvedLcOptions) =>
      options.openTelemetry === undefined ? null : LcTelemetry.create(options.openTelemetry),
    inject: [LC_OPTIONS],
  },
  {
    provide: LC_IDEMPOTENCY,
    useFactory: (options: ResolvedLcOptions, metrics: LcMetrics | null) => {
      const config = options.idempotency;
      if (config === undefined) return null;
      const store =
        config.store === 'memory'
          ? new LcMemoryIdempotencyStore({ maxBytes: config.maxBytes })
          : config.store;
      return new LcIdempotency(store, config, options.serviceName, metrics?.replayed);
    },
    inject: [LC_OPTIONS, LC_METRICS],
  },
  LcDrain,
  LcOperationsRoutes,
];
