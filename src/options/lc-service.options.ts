import { LcConfigError } from './lc-config-error.js';
import { SERVICE_OPTION_KEYS, unknownOptionWarnings } from './unknown-options.js';
import {
  DEFAULT_API_URL,
  DEFAULT_MAX_RESPONSE_BYTES,
  type LimaCharlieClient,
} from '@nestjs-lc-service/limacharlie';
import { resolveProbes, type LcProbeOptions, type ResolvedLcProbes } from './probe-options.js';
import {
  resolveIdempotency,
  type LcIdempotencyOptions,
  type ResolvedLcIdempotency,
} from './idempotency-options.js';
import {
  resolveInteractive,
  type LcInteractiveOptions,
  type ResolvedLcInteractive,
} from './interactive-options.js';
import {
  resolveMetrics,
  type LcMetricsOptions,
  type ResolvedLcMetrics,
} from './metrics-options.js';
import {
  resolveOpenTelemetry,
  type LcOpenTelemetryOptions,
  type ResolvedLcOpenTelemetry,
} from './telemetry-options.js';

/** Builds the per-org client a handler gets. Receives the call's deadline signal. */
export type LcClientFactory = (oid: string, jwt: string, signal: AbortSignal) => LimaCharlieClient;

export interface LcLimaCharlieOptions {
  /** REST API root; calls go to `<apiUrl>/v1/...`. Default `https://api.limacharlie.io`. */
  apiUrl?: string;
  /** Per-HTTP-call timeout. Default 30 000 ms. */
  timeoutMs?: number;
  /** Attempts per call for 429, 504 and network errors. Default 3. */
  maxAttempts?: number;
  /**
   * Largest API answer read, in bytes. Default 64 MiB. A 2xx answer over it fails with an
   * `LcApiError`; an error answer is cut to it.
   */
  maxResponseBytes?: number;
  /** Replaces the built-in client (tests, proxies, a custom SDK). */
  clientFactory?: LcClientFactory;
}

export interface LcServiceModuleOptions extends LcOperationalOptions {
  /** The service's name as registered in LimaCharlie. */
  serviceName: string;
  /** Shared secret(s) for `lc-svc-sig`; several during a rotation. */
  secret?: string | string[];
  /** Accept unsigned calls. Local development only: anyone can then call the service. */
  allowUnsigned?: boolean;
  /**
   * Interactive services (tracked sensor tasking with callbacks). `true` for the defaults, or
   * `{ ttlSeconds }`: how long a task's id is accepted (default 3 days). Off by default.
   */
  interactive?: LcInteractiveOptions | boolean;
}

/** The options both protocol modules take: the route, its bounds, operations, the client. */
export interface LcOperationalOptions {
  /** The webhook route. Default `/`. */
  path?: string;
  /** Log every request and reply (the JWT is redacted). */
  traceComms?: boolean;
  /** Largest accepted body in bytes. Default 50 MiB, like the RI. */
  bodyLimit?: number;
  /** How long a body may take to arrive, from the end of its headers. Default 30 000 ms. */
  bodyTimeoutMs?: number;
  /** How long request headers may take to arrive (the server's `headersTimeout`). Default 30 000 ms. */
  headersTimeoutMs?: number;
  /**
   * Bytes of bodies not yet verified the process holds at once, over every call being read.
   * Default 128 MiB (or `bodyLimit`, if larger); past it, calls get 503 with `retry: true`.
   */
  maxPendingBodyBytes?: number;
  /** Put the stack of a thrown error in `data.exception` of the reply. Off by default. */
  exposeErrors?: boolean;
  limaCharlie?: LcLimaCharlieOptions;
  /** How long shutdown waits for calls and helper timers in flight. Default 10 000 ms. */
  shutdownGraceMs?: number;
  /** Liveness and readiness routes (unsigned GETs). Default `/healthz` and `/readyz`; `false`: none. */
  probes?: LcProbeOptions | false;
  /** Prometheus metrics at `GET /metrics` (needs prom-client). `true` for the defaults; off by default. */
  metrics?: LcMetricsOptions | boolean;
  /**
   * OpenTelemetry spans (needs @opentelemetry/api): one per call, with a child per LimaCharlie
   * API request. `true` for the global tracer provider's tracer; off by default.
   */
  openTelemetry?: LcOpenTelemetryOptions | boolean;
  /**
   * Redelivered `mid`s get the first answer without running the handler again. Default: for
   * `@LcIdempotent()` handlers, in memory; `true`: every handler; `false`: off.
   */
  idempotency?: LcIdempotencyOptions | boolean;
  /**
   * Answer webhook calls from the Node server's `request` listener, ahead of the framework's
   * router, hooks and middleware. Default `true`; `false` serves them through the framework only.
   */
  fastPath?: boolean;
  /**
   * Track the current call across awaits (`AsyncLocalStorage`) for `LcContext` and `LcGcpLogger`.
   * Default: on when a provider injects `LcContext` or an `LcGcpLogger` exists, off otherwise.
   */
  asyncContext?: boolean;
  /**
   * At boot, log the webhook route, the probes and metrics routes, each handler and what it
   * serves, the signature mode and an `lc-service-sim` command to try it. Default `true`;
   * `'debug'` logs it at debug level; `false` logs none of it.
   */
  bootSummary?: boolean | 'debug';
}

/** Options after defaults and checks; what the module's providers read. */
export interface ResolvedLcOptions {
  /** The module these options configure, for the errors and logs that name it. */
  module: 'LcServiceModule' | 'LcExtensionModule';
  serviceName: string;
  secrets: string[];
  allowUnsigned: boolean;
  path: string;
  /** `undefined`: not an interactive service. */
  interactive: ResolvedLcInteractive | undefined;
  traceComms: boolean;
  bodyLimit: number;
  bodyTimeoutMs: number;
  headersTimeoutMs: number;
  maxPendingBodyBytes: number;
  exposeErrors: boolean;
  limaCharlie: {
    apiUrl: string;
    timeoutMs: number;
    maxAttempts: number;
    maxResponseBytes: number;
    clientFactory: LcClientFactory | undefined;
  };
  shutdownGraceMs: number;
  probes: ResolvedLcProbes | undefined;
  metrics: ResolvedLcMetrics | undefined;
  openTelemetry: ResolvedLcOpenTelemetry | undefined;
  idempotency: ResolvedLcIdempotency | undefined;
  fastPath: boolean;
  /** `undefined`: decided at boot from what the app uses. */
  asyncContext: boolean | undefined;
  /** The level of the boot summary, or `false` for none. */
  bootSummary: 'log' | 'debug' | false;
  /** Options given that the module does not know, each with a did-you-mean: logged at boot. */
  warnings: readonly string[];
}

export const DEFAULT_BODY_LIMIT = 50 * 1024 * 1024;
/** A quarter of the 512 MiB the shipped Kubernetes manifest gives a replica. */
export const DEFAULT_MAX_PENDING_BODY_BYTES = 128 * 1024 * 1024;

/** Throws the boot error of an option; every check of a module's options goes through one. */
export type LcOptionFail = (option: string, fix: string) => never;

/** The `fail` of a module's option checks: errors start with the module's name. */
export function optionFail(moduleName: string): LcOptionFail {
  return (option, fix) => {
    throw new LcConfigError(`${moduleName}: option '${option}' ${fix}`);
  };
}

function positiveInt(
  fail: LcOptionFail,
  value: unknown,
  option: string,
  fallback: number,
  allowZero = false,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    fail(
      option,
      `must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${String(value)}`,
    );
  }
  return value;
}

function flag(fail: LcOptionFail, value: unknown, option: string, fallback = false): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(option, `must be true or false, got ${String(value)}`);
  return value;
}

/** The shared secret(s); `fix` says how to get one when none is given. */
export function resolveSecrets(
  fail: LcOptionFail,
  secret: unknown,
  required: string | undefined,
): string[] {
  const secrets: unknown[] = secret === undefined ? [] : Array.isArray(secret) ? secret : [secret];
  for (const s of secrets) {
    if (typeof s !== 'string' || s === '') {
      fail(
        'secret',
        'must be a non-empty string or a list of them (the shared secret set in LimaCharlie)',
      );
    }
  }
  if (secrets.length === 0 && required !== undefined) fail('secret', required);
  return secrets as string[];
}

function resolveApiUrl(fail: LcOptionFail, value: unknown): string {
  if (value === undefined) return DEFAULT_API_URL;
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    fail(
      'limaCharlie.apiUrl',
      `must be an http(s) URL such as ${DEFAULT_API_URL}, got ${String(value)}`,
    );
  }
  return String(value).replace(/\/+$/, '');
}

/** Applies defaults and rejects anything that would misbehave at run time. */
export function resolveLcOptions(opts: LcServiceModuleOptions | undefined): ResolvedLcOptions {
  if (typeof opts !== 'object' || opts === null) {
    throw new LcConfigError(
      "LcServiceModule: forRoot() needs an options object, e.g. forRoot({ serviceName: 'my-service', secret: process.env.LC_SHARED_SECRET })",
    );
  }
  const fail = optionFail('LcServiceModule');
  const { serviceName } = opts;
  if (typeof serviceName !== 'string' || serviceName.trim() === '') {
    fail(
      'serviceName',
      "is required: the service's name as registered in LimaCharlie, e.g. 'hash-checker'",
    );
  }
  if (/[\s/]/.test(serviceName)) {
    fail('serviceName', `must not contain whitespace or '/', got ${JSON.stringify(serviceName)}`);
  }
  return {
    module: 'LcServiceModule',
    serviceName,
    secrets: resolveSecrets(
      fail,
      opts.secret,
      opts.allowUnsigned === true
        ? undefined
        : 'is required: pass the shared secret LimaCharlie signs calls with, e.g. ' +
            "secret: process.env.LC_SHARED_SECRET. For local development only, set 'allowUnsigned: true'.",
    ),
    allowUnsigned: flag(fail, opts.allowUnsigned, 'allowUnsigned'),
    interactive: resolveInteractive(opts.interactive, fail),
    ...resolveOperationalOptions(opts, fail),
    warnings: unknownOptionWarnings('LcServiceModule', opts, SERVICE_OPTION_KEYS),
  };
}

/** The options every protocol module shares, checked with the module's `fail`. */
export function resolveOperationalOptions(
  opts: LcOperationalOptions,
  fail: LcOptionFail,
): Omit<
  ResolvedLcOptions,
  'module' | 'serviceName' | 'secrets' | 'allowUnsigned' | 'interactive' | 'warnings'
> {
  const { path = '/' } = opts;
  if (typeof path !== 'string' || !path.startsWith('/')) {
    fail('path', `must be an absolute route path starting with '/', got ${String(path)}`);
  }
  // One literal URL: LimaCharlie posts to exactly what the service registered.
  if (/[\s:*?#()%]/.test(path)) {
    fail(
      'path',
      `must be a literal path, without route parameters, wildcards, a query or escapes, got ${JSON.stringify(path)}`,
    );
  }
  const lc = opts.limaCharlie ?? {};
  if (lc.clientFactory !== undefined && typeof lc.clientFactory !== 'function') {
    fail('limaCharlie.clientFactory', 'must be a function (oid, jwt, signal) => LimaCharlieClient');
  }
  return {
    path,
    traceComms: flag(fail, opts.traceComms, 'traceComms'),
    ...resolveBodyLimits(opts, fail),
    exposeErrors: flag(fail, opts.exposeErrors, 'exposeErrors'),
    limaCharlie: {
      apiUrl: resolveApiUrl(fail, lc.apiUrl),
      timeoutMs: positiveInt(fail, lc.timeoutMs, 'limaCharlie.timeoutMs', 30_000),
      maxAttempts: positiveInt(fail, lc.maxAttempts, 'limaCharlie.maxAttempts', 3),
      maxResponseBytes: positiveInt(
        fail,
        lc.maxResponseBytes,
        'limaCharlie.maxResponseBytes',
        DEFAULT_MAX_RESPONSE_BYTES,
      ),
      clientFactory: lc.clientFactory,
    },
    shutdownGraceMs: positiveInt(fail, opts.shutdownGraceMs, 'shutdownGraceMs', 10_000, true),
    fastPath: flag(fail, opts.fastPath, 'fastPath', true),
    asyncContext:
      opts.asyncContext === undefined ? undefined : flag(fail, opts.asyncContext, 'asyncContext'),
    bootSummary: resolveBootSummary(opts.bootSummary, fail),
    ...resolveOperations(opts, fail),
  };
}

function resolveBootSummary(value: unknown, fail: LcOptionFail): ResolvedLcOptions['bootSummary'] {
  if (value === undefined || value === true) return 'log';
  if (value === false || value === 'debug') return value;
  return fail('bootSummary', `must be true, false or 'debug', got ${String(value)}`);
}

function resolveBodyLimits(
  opts: LcOperationalOptions,
  fail: LcOptionFail,
): Pick<
  ResolvedLcOptions,
  'bodyLimit' | 'bodyTimeoutMs' | 'headersTimeoutMs' | 'maxPendingBodyBytes'
> {
  const bodyLimit = positiveInt(fail, opts.bodyLimit, 'bodyLimit', DEFAULT_BODY_LIMIT);
  const maxPendingBodyBytes = positiveInt(
    fail,
    opts.maxPendingBodyBytes,
    'maxPendingBodyBytes',
    Math.max(DEFAULT_MAX_PENDING_BODY_BYTES, bodyLimit),
  );
  if (maxPendingBodyBytes < bodyLimit) {
    fail(
      'maxPendingBodyBytes',
      `(${maxPendingBodyBytes}) is smaller than bodyLimit (${bodyLimit}): a body of bodyLimit bytes could never be read. ` +
        'Raise maxPendingBodyBytes or lower bodyLimit.',
    );
  }
  return {
    bodyLimit,
    bodyTimeoutMs: positiveInt(fail, opts.bodyTimeoutMs, 'bodyTimeoutMs', 30_000),
    headersTimeoutMs: positiveInt(fail, opts.headersTimeoutMs, 'headersTimeoutMs', 30_000),
    maxPendingBodyBytes,
  };
}

function resolveOperations(
  opts: LcOperationalOptions,
  fail: LcOptionFail,
): Pick<ResolvedLcOptions, 'probes' | 'metrics' | 'openTelemetry' | 'idempotency'> {
  const probes = resolveProbes(opts.probes, fail);
  const metrics = resolveMetrics(opts.metrics, fail);
  const metricsPath = metrics?.path;
  if (
    metricsPath !== undefined &&
    (metricsPath === probes?.liveness || metricsPath === probes?.readiness)
  ) {
    fail('metrics.path', `'${metricsPath}' is already a probe route; give metrics another path`);
  }
  return {
    probes,
    metrics,
    openTelemetry: resolveOpenTelemetry(opts.openTelemetry, fail),
    idempotency: resolveIdempotency(opts.idempotency, fail),
  };
}
