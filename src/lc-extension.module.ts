import {
  ConfigurableModuleBuilder,
  Inject,
  Injectable,
  Module,
  type OnModuleInit,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import {
  LcBootSummary,
  type LcBootProtocol,
  type LcServedBy,
} from './discovery/lc-boot-summary.js';
import { LcExtExplorer } from './discovery/lc-ext-explorer.js';
import { LcExtRegistry } from './discovery/lc-ext-registry.js';
import { LcDispatcher } from './dispatch/lc-dispatcher.js';
import { LC_WEBHOOK_PROTOCOL } from './dispatch/lc-protocol.js';
import { LcExtInvoker } from './dispatch/extension/lc-ext-invoker.js';
import { LcExtensionRules } from './dispatch/extension/lc-extension-rules.js';
import { LcCallTracking } from './call/lc-call-tracking.js';
import { LcContext } from './call/lc-context.js';
import { LcCallTrackingDecider } from './discovery/lc-call-tracking-decider.js';
import { EXTENSION_MODULE, LC_MODULE, LC_OPTIONS } from './lc-service.constants.js';
import type { LcMetrics } from './metrics/lc-metrics.js';
import { LcOperationsRoutes } from './operations/lc-operations.routes.js';
import { operationsProviders } from './operations/operations.providers.js';
import { LC_METRICS } from './operations/operations.tokens.js';
import { resolveLcExtOptions, type LcExtensionModuleOptions } from './options/extension-options.js';
import { LcWebhookRoute } from './transport/lc-webhook.route.js';

const {
  ConfigurableModuleClass: LcExtensionConfigurableModule,
  MODULE_OPTIONS_TOKEN: LC_EXT_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<LcExtensionModuleOptions>({ moduleName: 'LcExtension' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createLcExtensionOptions')
  .build();

/** The messages every extension gets besides its actions and events, as metrics labels. */
const MESSAGE_LABELS = ['heartbeat', 'schema_request', 'conf_validation', 'error_report'];

const EXTENSION_PROTOCOL: LcBootProtocol = {
  moduleName: 'LcExtensionModule',
  header: 'Extension webhook',
  signatureHeader: 'lc-ext-sig',
  decorators: '@LcAction, @LcExtensionEvent, @LcConfigValidator or @LcErrorReport',
  tryIt: (url) => `npx lc-service-sim ext schema ${url} --secret "$LC_EXT_SECRET"`,
};

/** What each Extension handler serves, for the boot summary. */
function served(registry: LcExtRegistry): LcServedBy[] {
  const out: LcServedBy[] = [];
  for (const [name, entry] of registry.actions)
    out.push({ what: `action: ${name}`, by: entry.name });
  for (const [name, entry] of registry.events) out.push({ what: `event: ${name}`, by: entry.name });
  const { configValidator, errorReport } = registry;
  if (configValidator !== undefined)
    out.push({ what: 'conf_validation', by: configValidator.name });
  if (errorReport !== undefined) out.push({ what: 'error_report', by: errorReport.name });
  return out;
}

/**
 * Boot: discover and check the Extension handlers (which computes the schema_request answer), then mount
 * the webhook and the operations routes and log them (onModuleInit, so a misconfiguration fails
 * `app.init()`).
 */
@Injectable()
class LcExtBootstrap implements OnModuleInit {
  constructor(
    @Inject(LC_METRICS) private readonly metrics: LcMetrics | null,
    private readonly explorer: LcExtExplorer,
    private readonly registry: LcExtRegistry,
    private readonly tracking: LcCallTrackingDecider,
    private readonly route: LcWebhookRoute,
    private readonly operationsRoutes: LcOperationsRoutes,
    private readonly summary: LcBootSummary,
  ) {}

  onModuleInit(): void {
    const { registry } = this;
    this.explorer.register();
    this.metrics?.allowLabels([
      ...MESSAGE_LABELS,
      ...registry.actions.keys(),
      ...registry.events.keys(),
    ]);
    this.tracking.decide();
    this.route.mount();
    this.operationsRoutes.mount();
    this.summary.log(EXTENSION_PROTOCOL, served(registry));
  }
}

/**
 * `LcExtensionModule.forRoot({ name, secret, config, views })` or `.forRootAsync({ imports,
 * inject, useFactory })`: a LimaCharlie Extension served from the app's HTTP server, next to
 * (or instead of) an `LcServiceModule` on another path.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: LC_OPTIONS,
      useFactory: (options: LcExtensionModuleOptions) => resolveLcExtOptions(options),
      inject: [LC_EXT_MODULE_OPTIONS],
    },
    { provide: LC_MODULE, useValue: EXTENSION_MODULE },
    LcExtRegistry,
    LcExtExplorer,
    LcExtInvoker,
    LcExtensionRules,
    { provide: LC_WEBHOOK_PROTOCOL, useExisting: LcExtensionRules },
    LcDispatcher,
    LcWebhookRoute,
    LcBootSummary,
    LcCallTracking,
    LcCallTrackingDecider,
    LcContext,
    LcExtBootstrap,
    ...operationsProviders,
  ],
  exports: [LcDispatcher, LcContext],
})
export class LcExtensionModule extends LcExtensionConfigurableModule {}
