import { Inject, Injectable } from '@nestjs/common';
import { LimaCharlieClient, type ApiCallEvent } from '@nestjs-lc-service/limacharlie';
import { LcInteractive } from '../interactive/lc-interactive.js';
import type { LcMetrics } from '../metrics/lc-metrics.js';
import { LC_METRICS, LC_TELEMETRY } from '../operations/operations.tokens.js';
import type { LcTelemetry } from '../telemetry/lc-telemetry.js';
import { LC_OPTIONS } from '../lc-service.constants.js';
import type { LcCallClientFactory } from '../call/lc-request.js';
import type { LcClientFactory, ResolvedLcOptions } from '../options/lc-service.options.js';

/** Builds the per-org client of a call: the user's factory or the built-in one. */
@Injectable()
export class LcClients {
  readonly create: LcCallClientFactory;

  constructor(
    @Inject(LC_OPTIONS) options: ResolvedLcOptions,
    @Inject(LC_METRICS) metrics: LcMetrics | null,
    @Inject(LC_TELEMETRY) telemetry: LcTelemetry | null,
    interactive: LcInteractive,
  ) {
    const user = options.limaCharlie.clientFactory;
    // A user's factory gets the signal itself, as its type promises; the built-in client takes
    // it lazily.
    const factory: LcCallClientFactory =
      user === undefined
        ? builtIn(options, apiCallHook(metrics, telemetry))
        : (oid, jwt, signal) => user(oid, jwt, signal());
    // Clients of an interactive service, the user's own factory's included, can track tasks.
    this.create = interactive.enabled
      ? (oid, jwt, signal) => {
          const client = factory(oid, jwt, signal);
          client.useTaskTracker(interactive);
          return client;
        }
      : factory;
  }
}

/** The client of `limaCharlie.clientFactory`, or the built-in one with the module's API options. */
export function clientFactoryOf(
  options: ResolvedLcOptions,
  metrics: LcMetrics | null,
  telemetry: LcTelemetry | null,
): LcClientFactory {
  return options.limaCharlie.clientFactory ?? builtIn(options, apiCallHook(metrics, telemetry));
}

type ApiCallHook = ((event: ApiCallEvent) => void) | undefined;

/** The built-in client's `onApiCall`: metrics, spans, both, or nothing to call at all. */
function apiCallHook(metrics: LcMetrics | null, telemetry: LcTelemetry | null): ApiCallHook {
  const count = metrics?.apiCall;
  const span = telemetry?.apiCall;
  if (count === undefined || span === undefined) return count ?? span;
  return (event) => {
    count(event);
    span(event);
  };
}

function builtIn(
  options: ResolvedLcOptions,
  onApiCall: ApiCallHook,
): (oid: string, jwt: string, signal: AbortSignal | (() => AbortSignal)) => LimaCharlieClient {
  const { apiUrl, timeoutMs, maxAttempts, maxResponseBytes } = options.limaCharlie;
  return (oid, jwt, signal) =>
    new LimaCharlieClient({
      oid,
      jwt,
      signal,
      apiUrl,
      timeoutMs,
      maxAttempts,
      maxResponseBytes,
      onApiCall,
    });
}
