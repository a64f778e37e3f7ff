import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { livenessReply, readinessReply } from '../health/lc-probes.js';
import { LC_MODULE, LC_OPTIONS, type LcModuleIdentity } from '../lc-service.constants.js';
import type { ResolvedLcOptions } from '../options/lc-service.options.js';
import type { LcMetrics } from '../metrics/lc-metrics.js';
import { mountGetRoutes, type LcGetRoute } from '../transport/get-routes.js';
import { LcRunState } from '../call/lc-run-state.js';
import { LC_METRICS } from './operations.tokens.js';

/** The probes and the metrics route: unsigned GETs, mounted at boot right after the webhook. */
@Injectable()
export class LcOperationsRoutes {
  constructor(
    @Inject(LC_OPTIONS) private readonly options: ResolvedLcOptions,
    @Inject(LC_METRICS) private readonly metrics: LcMetrics | null,
    @Inject(LC_MODULE) private readonly module: LcModuleIdentity,
    private readonly state: LcRunState,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  mount(): void {
    const adapter = this.adapterHost.httpAdapter as HttpAdapterHost['httpAdapter'] | undefined;
    if (adapter === undefined || adapter === null) return;
    const routes = this.routes();
    if (routes.length > 0) mountGetRoutes(adapter, routes, this.module.name);
  }

  private routes(): LcGetRoute[] {
    const routes: LcGetRoute[] = [];
    const { probes } = this.options;
    if (probes !== undefined) {
      const fix = (option: string, example: string): string =>
        `Give the probe another path (probes: { ${option}: '${example}' }), or turn the module's probes off ` +
        "(probes: false) and answer the path from your own controller, with LcHealthIndicator from 'nestjs-lc-service/terminus' in its check.";
      routes.push({
        path: probes.liveness,
        reply: livenessReply,
        joinable: true,
        option: 'probes.liveness',
        fix: fix('liveness', '/lc/healthz'),
      });
      routes.push({
        path: probes.readiness,
        reply: () => readinessReply(this.state),
        joinable: true,
        option: 'probes.readiness',
        fix: fix('readiness', '/lc/readyz'),
      });
    }
    const metrics = this.metrics;
    const path = this.options.metrics?.path;
    if (metrics !== null && path !== undefined) {
      routes.push({
        path,
        serves: metrics.registry,
        reply: async () => ({
          status: 200,
          contentType: metrics.contentType,
          body: await metrics.render(),
        }),
        option: 'metrics.path',
        fix:
          "Give the metrics route another path (metrics: { path: '/lc/metrics' }), or mount none " +
          '(metrics: { path: false, registry }) and serve your registry from your own route.',
      });
    }
    return routes;
  }
}
