import { Inject, Injectable } from '@nestjs/common';
import { LcCallTracking } from '../../call/lc-call-tracking.js';
import { lcCallStorage } from '../../call/lc-call.storage.js';
import { LcDeadlineWatch } from '../../call/lc-deadline-watch.js';
import type { LcMaybePromise } from '../../call/lc-maybe-promise.js';
import type { LcExtCall } from '../../call/lc-ext-call.js';
import { LcRunState } from '../../call/lc-run-state.js';
import { LcExtRegistry, type LcExtEntry } from '../../discovery/lc-ext-registry.js';
import type { LcAnswerShape, LcIdempotency } from '../../idempotency/lc-idempotency.js';
import { LC_OPTIONS } from '../../lc-service.constants.js';
import { LC_IDEMPOTENCY, LC_TELEMETRY } from '../../operations/operations.tokens.js';
import type { ResolvedLcExtOptions } from '../../options/extension-options.js';
import { LcError } from '../../protocol/lc-error.js';
import { extFailure, type LcExtWireResponse } from '../../protocol/extension/messages.js';
import { extResultToWire, LcExtInvalidResultError } from '../../protocol/extension/response.js';
import type { LcTelemetry } from '../../telemetry/lc-telemetry.js';
import { answerBy } from '../lc-invoker.js';
import {
  explainNullClient,
  httpExceptionMessage,
  isHttpException,
  logFailure,
} from '../lc-result.js';
import { LcLogger } from '../../logging/lc-logger.js';

class TimeoutReached extends Error {}

const EXT_ANSWERS: LcAnswerShape<LcExtWireResponse> = {
  isFinal: (wire) => wire.error === '' || wire.retriable === false,
  retryLater: (error) => extFailure(error, true),
};

/**
 * Runs one Extension handler for a call: once per `idempotency_key` when it is idempotent,
 * bounded by `timeoutMs`, its result or error normalised to a Response. Never rejects.
 */
@Injectable()
export class LcExtInvoker {
  private readonly logger = new LcLogger('LcExtension');
  private readonly deadlines = new LcDeadlineWatch();

  constructor(
    @Inject(LC_OPTIONS) private readonly options: ResolvedLcExtOptions,
    @Inject(LC_IDEMPOTENCY) private readonly idempotency: LcIdempotency | null,
    private readonly registry: LcExtRegistry,
    private readonly runState: LcRunState,
    @Inject(LC_TELEMETRY) private readonly telemetry: LcTelemetry | null,
    private readonly tracking: LcCallTracking,
  ) {}

  invoke(entry: LcExtEntry, call: LcExtCall): LcMaybePromise<LcExtWireResponse> {
    if (entry.idempotent && this.idempotency !== null) {
      return this.idempotency.runAs(call, () => this.run(entry, call), EXT_ANSWERS);
    }
    return this.run(entry, call);
  }

  /** A handler that returned synchronously is answered at once: nothing is left to race. */
  private run(entry: LcExtEntry, call: LcExtCall): LcMaybePromise<LcExtWireResponse> {
    let running: unknown;
    try {
      running = this.tracking.enabled
        ? lcCallStorage.run(call, () => entry.invoke(call))
        : entry.invoke(call);
    } catch (err) {
      return this.failed(entry, call, err);
    }
    if (!(running instanceof Promise)) return this.succeeded(entry, call, running);
    return this.withinTimeout(call, running).then(
      (result) => this.succeeded(entry, call, result),
      (err: unknown) => this.failed(entry, call, err),
    );
  }

  private succeeded(entry: LcExtEntry, call: LcExtCall, result: unknown): LcExtWireResponse {
    try {
      return extResultToWire(result, this.registry.actionNames);
    } catch (err) {
      return this.failed(entry, call, err);
    }
  }

  /** Settles with the handler, or rejects when `timeoutMs` passes first (and aborts its signal). */
  private withinTimeout(call: LcExtCall, running: Promise<unknown>): Promise<unknown> {
    const deadline = call.deadlineMs;
    if (deadline === undefined) return running;
    const reached = (): Error => new TimeoutReached();
    const { deadlines, runState, logger } = this;
    return answerBy(deadlines, deadline, running, call, runState, logger, reached, 'timeout');
  }

  private failed(entry: LcExtEntry, call: LcExtCall, err: unknown): LcExtWireResponse {
    if (err instanceof TimeoutReached) {
      this.logger.warn(`${entry.name} (${call.eventType}) was still running at its timeout`);
      return extFailure(
        `the handler did not finish within ${this.options.timeoutMs} ms (option 'timeoutMs'); retry`,
        true,
      );
    }
    this.telemetry?.recordError(call, err);
    const error = entry.usesClient
      ? explainNullClient(err, entry.name, () =>
          call.client === null ? `this ${call.eventType} call carried no org jwt` : undefined,
        )
      : err;
    const { wire, unexpected } = extErrorToWire(error, this.options.exposeErrors);
    wire.error = call.redact(wire.error);
    const data = wire.data as Record<string, unknown> | undefined;
    if (typeof data?.exception === 'string') data.exception = call.redact(data.exception);
    if (unexpected) {
      const fields = extCallFields(call);
      logFailure(this.logger, `${entry.name} failed`, fields, error, (text) => call.redact(text));
    }
    return wire;
  }
}

/** `action=… oid=… idempotency_key=…`: what identifies the call in LimaCharlie. */
function extCallFields(call: LcExtCall): string {
  let fields =
    call.action === undefined
      ? `message=${call.eventType}`
      : `${call.eventType.startsWith('event:') ? 'event' : 'action'}=${call.action}`;
  if (call.oid !== undefined) fields += ` oid=${call.oid}`;
  if (call.idempotencyKey !== '') fields += ` idempotency_key=${call.idempotencyKey}`;
  return fields;
}

/**
 * A thrown error as a Response: `LcError` chooses `retriable`; a 4xx from a guard or pipe fails
 * again the same way, so not retriable; an invalid result is a bug, not retriable; anything else
 * is retriable, as LimaCharlie reads an error without `retriable`.
 */
export function extErrorToWire(
  err: unknown,
  exposeErrors: boolean,
): { wire: LcExtWireResponse; unexpected: boolean } {
  if (err instanceof LcError) {
    const wire = extFailure(err.message, err.retry);
    if (err.data !== undefined) wire.data = err.data;
    return { wire, unexpected: false };
  }
  if (isHttpException(err) && err instanceof Error) {
    const status = err.getStatus();
    const retry = status >= 500 || status === 429;
    return { wire: extFailure(httpExceptionMessage(err), retry), unexpected: retry };
  }
  const message = err instanceof Error ? err.message : String(err);
  const wire = extFailure(message, !(err instanceof LcExtInvalidResultError));
  if (exposeErrors && err instanceof Error && err.stack !== undefined) {
    wire.data = { exception: err.stack };
  }
  return { wire, unexpected: true };
}
