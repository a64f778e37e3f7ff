import { Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { LcOperationsRoutes } from '../operations/lc-operations.routes.js';
import { LcWebhookRoute } from '../transport/lc-webhook.route.js';
import { LcBootSummary, type LcBootProtocol } from './lc-boot-summary.js';
import { LcCallTrackingDecider } from './lc-call-tracking-decider.js';
import { LcExplorer, type LcDiscoveredMethod } from './lc-explorer.js';
import { LcHandlerRegistrar } from './lc-handler-registrar.js';

const SERVICE_PROTOCOL: LcBootProtocol = {
  moduleName: 'LcServiceModule',
  header: 'Webhook',
  signatureHeader: 'lc-svc-sig',
  decorators: '@LcHandler, @LcCron, @LcCommand, @LcResource or @LcTaskCallback',
  tryIt: (url) => `npx lc-service-sim send ${url} health --secret "$LC_SHARED_SECRET"`,
};

/**
 * Boot: discover, check and register handlers, decide call tracking, mount the routes and log
 * them (onModuleInit, so a misconfiguration fails `app.init()` before the app listens); then compute
 * the `@LcResource` contents (onApplicationBootstrap, when every provider is initialised).
 */
@Injectable()
export class LcBootstrap implements OnModuleInit, OnApplicationBootstrap {
  private resourceMethods: LcDiscoveredMethod[] = [];

  constructor(
    private readonly explorer: LcExplorer,
    private readonly registrar: LcHandlerRegistrar,
    private readonly tracking: LcCallTrackingDecider,
    private readonly route: LcWebhookRoute,
    private readonly operationsRoutes: LcOperationsRoutes,
    private readonly summary: LcBootSummary,
  ) {}

  onModuleInit(): void {
    const methods = this.explorer.explore();
    this.registrar.register(methods);
    this.resourceMethods = methods.filter((m) => m.resource !== undefined);
    this.tracking.decide();
    this.route.mount();
    this.operationsRoutes.mount();
    this.summary.log(SERVICE_PROTOCOL, this.registrar.served);
  }

  onApplicationBootstrap(): Promise<void> {
    return this.registrar.publishResources(this.resourceMethods);
  }
}
