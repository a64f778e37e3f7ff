import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { LcBootSummary } from './discovery/lc-boot-summary.js';
import { LcBootstrap } from './discovery/lc-bootstrap.js';
import { LcCallTrackingDecider } from './discovery/lc-call-tracking-decider.js';
import { LcHandlerRegistrar } from './discovery/lc-handler-registrar.js';
import { LcInteractive } from './interactive/lc-interactive.js';
import { LcCallTracking } from './call/lc-call-tracking.js';
import { LcContext } from './call/lc-context.js';
import { LcClients } from './dispatch/lc-clients.js';
import { LcDispatcher } from './dispatch/lc-dispatcher.js';
import { LcHandlerInvoker } from './dispatch/lc-invoker.js';
import { LC_WEBHOOK_PROTOCOL } from './dispatch/lc-protocol.js';
import { LcServiceRouting } from './dispatch/service/lc-service-routing.js';
import { LcServiceRules } from './dispatch/service/lc-service-rules.js';
import { LcExplorer } from './discovery/lc-explorer.js';
import { LcHandlerRegistry } from './discovery/lc-handler.registry.js';
import { LcWebhookRoute } from './transport/lc-webhook.route.js';
import { LcHealth } from './health/lc-health.js';
import { LC_MODULE, LC_OPTIONS, SERVICE_MODULE } from './lc-service.constants.js';
import { LC_MODULE_OPTIONS, LcServiceConfigurableModule } from './lc-service.module-definition.js';
import { resolveLcOptions, type LcServiceModuleOptions } from './options/lc-service.options.js';
import { operationsProviders } from './operations/operations.providers.js';
import { LcService } from './service/lc.service.js';
import { LcServiceState } from './service/lc-service.state.js';

/**
 * `LcServiceModule.forRoot({ serviceName, secret })` or `.forRootAsync({ imports, inject,
 * useFactory })`; `isGlobal: true` makes `LcService` and `LcContext` injectable everywhere.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: LC_OPTIONS,
      useFactory: (options: LcServiceModuleOptions) => resolveLcOptions(options),
      inject: [LC_MODULE_OPTIONS],
    },
    { provide: LC_MODULE, useValue: SERVICE_MODULE },
    LcServiceState,
    LcHandlerRegistry,
    LcExplorer,
    LcHealth,
    LcClients,
    LcHandlerInvoker,
    LcServiceRouting,
    LcServiceRules,
    { provide: LC_WEBHOOK_PROTOCOL, useExisting: LcServiceRules },
    LcDispatcher,
    LcWebhookRoute,
    LcHandlerRegistrar,
    LcCallTrackingDecider,
    LcBootSummary,
    LcBootstrap,
    LcService,
    LcContext,
    LcCallTracking,
    LcInteractive,
    ...operationsProviders,
  ],
  exports: [LcService, LcContext, LcDispatcher, LcInteractive, LC_OPTIONS],
})
export class LcServiceModule extends LcServiceConfigurableModule {}
