import { Inject, Injectable, Logger } from '@nestjs/common';
import { LcCallTracking } from '../call/lc-call-tracking.js';
import { lcCallStorage } from '../call/lc-call.storage.js';
import { LcDeadlineWatch } from '../call/lc-deadline-watch.js';
import type { LcMaybePromise } from '../call/lc-maybe-promise.js';
import type { LcHandlerEntry } from '../call/lc-handler-entry.js';
import { replyBy } from '../call/lc-reply-time.js';
import type { LcCall } from '../call/lc-request.js';
import { LcRunState } from '../call/lc-run-state.js';
import type { LcIdempotency } from '../idempotency/lc-idempotency.js';
import { LC_OPTIONS } from '../lc-service.constants.js';
import { LC_IDEMPOTENCY, LC_TELEMETRY } from '../operations/operations.tokens.js';
import type { ResolvedLcOptions } from '../options/lc-service.options.js';
import type { LcTelemetry } from '../telemetry/lc-telemetry.js';
import { isOrglessEtype } from '../protocol/service/etypes.js';
import { DEADLINE_EXCEEDED, failure, type LcWireResponse } from '../protocol/service/response.js';
import { errorAnswer, explainNullClient, resultToWire } from './lc-result.js';
import { LcLogger } from '../logging/lc-logger.js';

class DeadlineReached extends Error {}

function whyNoClient(call: LcCall): string | undefined {
  if (call.client !== null) return undefined;
  if (call.oid === undefined || isOrglessEtype(call.eventType)) {
    return `${call.eventType} calls carry no org`;
  }
  return (
    `this ${call.eventType} call carried no jwt (LimaCharlie sends one with every org's call; ` +
    'with lc-service-sim send, pass --jwt)'
  );
}

/** What `answerBy` needs of a call, whichever protocol it came in. */
interface LcExpiringCall {
  readonly eventType: string;
  expire(): void;
  redact(text: string): string;
}

/**
 * Settles with the handler, or rejects with `reached()` at `at`: the answer goes then, the call's
 * signal aborts, and the handler stays counted in progress until it really returns.
 */
export function answerBy(
  deadlines: LcDeadlineWatch,
  at: number,
  running: Promise<unknown>,
  call: LcExpiringCall,
  runState: LcRunState,
  logger: Logger,
  reached: () => Error,
  /** What `at` is, in the log line of a handler failing later: `deadline` or `timeout`. */
  what = 'deadline',
): Promise<unknown> {
  return deadlines.race(at, running, () => {
    runState.inFlight++;
    running.then(
      () => runState.inFlight--,
      (err: unknown) => {
        runState.inFlight--;
        logger.warn(`${call.eventType} failed after its ${what}: ${call.redact(String(err))}`);
      },
    );
    call.expire();
    return reached();
  });
}

/**
 * Runs one handler for a call: once per `mid` when it is idempotent, inside the call's
 * AsyncLocalStorage when something reads it, answered by the deadline, its result or error
 * normalised to a protocol answer. Never rejects.
 */
@Injectable()
export class LcHandlerInvoker {
  private readonly logger = new LcLogger('LcService');
  private readonly deadlines = new LcDeadlineWatch();

  constructor(
    @Inject(LC_OPTIONS) private readonly options: ResolvedLcOptions,
    @Inject(LC_IDEMPOTENCY) private readonly idempotency: LcIdempotency | null,
    private readonly tracking: LcCallTracking,
    private readonly runState: LcRunState,
    @Inject(LC_TELEMETRY) private readonly telemetry: LcTelemetry | null,
  ) {}

  invoke(entry: LcHandlerEntry, call: LcCall): LcMaybePromise<LcWireResponse> {
    if (entry.idempotent === true && this.idempotency !== null) {
      return this.idempotency.run(call, () => this.run(entry, call));
    }
    return this.run(entry, call);
  }

  /**
   * Without `args` the handler is called `(lc, oid, request)`; with them, as they are. A handler
   * that returned synchronously is answered at once: nothing is left to race against the deadline.
   */
  run(entry: LcHandlerEntry, call: LcCall, args?: unknown[]): LcMaybePromise<LcWireResponse> {
    let running: unknown;
    try {
      const lc = args === undefined && entry.wantsClientArg ? call.client : null;
      const invoke = (): unknown =>
        args === undefined ? entry.invoke(lc, call.oid, call) : entry.invoke(...args);
      running = this.tracking.enabled ? lcCallStorage.run(call, invoke) : invoke();
    } catch (err) {
      return this.failed(entry, call, err);
    }
    if (!(running instanceof Promise)) return this.succeeded(entry, call, running);
    return this.withinDeadline(call, running).then(
      (result) => this.succeeded(entry, call, result),
      (err: unknown) => this.failed(entry, call, err),
    );
  }

  private succeeded(entry: LcHandlerEntry, call: LcCall, result: unknown): LcWireResponse {
    try {
      return resultToWire(result);
    } catch (err) {
      return this.failed(entry, call, err);
    }
  }

  /**
   * Settles with the handler, or rejects when the deadline passes first: LimaCharlie has stopped
   * waiting by then, and the signal tells the handler's API calls to stop too.
   */
  private withinDeadline(call: LcCall, running: Promise<unknown>): Promise<unknown> {
    const deadline = call.deadlineMs;
    if (deadline === undefined) return running;
    const replyAt = replyBy(deadline, Date.now());
    return answerBy(this.deadlines, replyAt, running, call, this.runState, this.logger, () => {
      return new DeadlineReached();
    });
  }

  private failed(entry: LcHandlerEntry, call: LcCall, err: unknown): LcWireResponse {
    if (err instanceof DeadlineReached) {
      this.logger.warn(`${entry.name} (${call.eventType}) was still running at the deadline`);
      return failure(DEADLINE_EXCEEDED, true);
    }
    this.telemetry?.recordError(call, err);
    const context = `${entry.name} failed`;
    const error =
      entry.usesClient === true ? explainNullClient(err, entry.name, () => whyNoClient(call)) : err;
    const answer = (): LcWireResponse =>
      errorAnswer(call, error, this.options.exposeErrors, this.logger, context);
    // Inside the call, a logger that reads it (LcGcpLogger) adds its etype, mid and oid as fields.
    return this.tracking.enabled ? lcCallStorage.run(call, answer) : answer();
  }
}
