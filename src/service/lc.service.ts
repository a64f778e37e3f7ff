import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { LC_OPTIONS } from '../lc-service.constants.js';
import { LcConfigError } from '../options/lc-config-error.js';
import type { ResolvedLcOptions } from '../options/lc-service.options.js';
import {
  checkRequestParamDefs,
  type LcRequestParamDefs,
} from '../protocol/service/request-params.js';
import { encodeResource, type LcResourceContent } from '../protocol/service/resources.js';
import { formatGcpCritical, formatGcpLog, writeGcpLog } from '../logging/gcp-log.js';
import { LcServiceState } from './lc-service.state.js';
import {
  parallelExec,
  parallelExecEx,
  type ParallelExecOptions,
  type ParallelExResult,
  type ParallelFn,
} from './parallel.js';
import { LcTimers, type LcTimerHandle } from './timers.js';
import { LcLogger } from '../logging/lc-logger.js';

/** The Python RI's service helpers, for code that runs outside a single call. */
@Injectable()
export class LcService implements BeforeApplicationShutdown {
  private readonly logger = new LcLogger('LcService');
  private readonly timers = new LcTimers((err) => this.onTimerError(err));

  constructor(
    @Inject(LC_OPTIONS) private readonly options: ResolvedLcOptions,
    private readonly state: LcServiceState,
  ) {}

  get serviceName(): string {
    return this.options.serviceName;
  }

  /** Asks LimaCharlie to send detections of this name (`health.mtd.detect_subscriptions`). */
  subscribeToDetect(detectionName: string): void {
    if (typeof detectionName !== 'string' || detectionName === '') {
      throw new TypeError(
        'LcService.subscribeToDetect: the detection name must be a non-empty string',
      );
    }
    if (this.state.detectSubscriptions.has(detectionName)) return;
    this.state.detectSubscriptions.add(detectionName);
    this.state.changed();
  }

  /**
   * Publishes (or replaces) a resource served by `get_resource`, referenced as
   * `lcr://service/<serviceName>/<name>`. Text, bytes, or a JSON-able value.
   */
  publishResource(name: string, category: string, content: LcResourceContent): void {
    if (
      typeof name !== 'string' ||
      name === '' ||
      typeof category !== 'string' ||
      category === ''
    ) {
      throw new TypeError('LcService.publishResource: name and category must be non-empty strings');
    }
    this.state.resources.set(name, encodeResource(category, content));
    this.state.changed();
  }

  /**
   * The RI's dict form of `health.mtd.request_params`; `request` calls are validated against it
   * before the handler runs. Throws when a request handler declares a `params` DTO: declare the
   * parameters one way only.
   */
  setRequestParameters(params: LcRequestParamDefs): void {
    const problem = checkRequestParamDefs(params);
    if (problem !== undefined) {
      throw new LcConfigError(`LcService.setRequestParameters: ${problem}`);
    }
    this.state.declareRequestParams(structuredClone(params), 'LcService.setRequestParameters()');
  }

  /** One GCP-structured JSON line on stdout, with the RI's fields; `data` is merged in. */
  log(message: string | null, data?: Record<string, unknown>): void {
    writeGcpLog(process.stdout, formatGcpLog(this.options.serviceName, message, data));
  }

  /** One GCP-structured ERROR line on stderr, as the RI's `logCritical`. */
  logCritical(message: string): void {
    writeGcpLog(process.stderr, formatGcpCritical(this.options.serviceName, message));
  }

  /** Runs `fn` once, `seconds` from now, on this replica. Cancelled at shutdown. */
  delay<A extends unknown[]>(
    seconds: number,
    fn: (...args: A) => unknown,
    ...args: A
  ): LcTimerHandle {
    return this.timers.delay(seconds, fn, ...args);
  }

  /**
   * Runs `fn` now and then every `everySeconds` after each run ends, on this replica only. For
   * per-org or per-sensor work use `@LcCron`: LimaCharlie sends those to one replica.
   */
  schedule<A extends unknown[]>(
    everySeconds: number,
    fn: (...args: A) => unknown,
    ...args: A
  ): LcTimerHandle {
    return this.timers.schedule(everySeconds, fn, ...args);
  }

  /** Applies `fn` to every item with bounded concurrency; errors come back in place. */
  parallelExec<T, R>(
    fn: ParallelFn<T, R>,
    items: readonly T[],
    options?: ParallelExecOptions,
  ): Promise<(R | Error)[]> {
    return parallelExec(fn, items, options);
  }

  /** Like `parallelExec` over a keyed collection; each outcome keeps its key. */
  parallelExecEx<T, R>(
    fn: ParallelFn<T, R>,
    items: ReadonlyMap<string, T> | Readonly<Record<string, T>>,
    options?: ParallelExecOptions,
  ): Promise<ParallelExResult<string, R>[]> {
    return parallelExecEx(fn, items as Readonly<Record<string, T>>, options);
  }

  /** Stops helper timers and waits for runs in progress, up to `shutdownGraceMs`. */
  async beforeApplicationShutdown(): Promise<void> {
    const drained = await this.timers.shutdown(this.options.shutdownGraceMs);
    if (!drained)
      this.logger.warn(
        'helper timer runs were still in progress when the shutdown grace period ended',
      );
  }

  private onTimerError(err: unknown): void {
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    this.logCritical(`LcService timer callback failed: ${detail}`);
  }
}
