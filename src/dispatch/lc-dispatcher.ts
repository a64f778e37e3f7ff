import { Inject, Injectable } from '@nestjs/common';
import type { LcHttpReply } from '../call/lc-http-reply.js';
import { LcRunState } from '../call/lc-run-state.js';
import { LC_OPTIONS } from '../lc-service.constants.js';
import type { LcMetrics } from '../metrics/lc-metrics.js';
import { LC_METRICS, LC_TELEMETRY } from '../operations/operations.tokens.js';
import type { ResolvedLcOptions } from '../options/lc-service.options.js';
import type { LcTelemetry } from '../telemetry/lc-telemetry.js';
import { LC_WEBHOOK_PROTOCOL, type LcTracedCall, type LcWebhookProtocol } from './lc-protocol.js';
import { whenSettled, type LcMaybePromise } from '../call/lc-maybe-promise.js';
import { LcLogger } from '../logging/lc-logger.js';

const EMPTY = Buffer.alloc(0);
/** A trace line shows this much of a body (bytes of a request, characters of a reply). */
const TRACE_MAX = 64 * 1024;

/**
 * One call from raw bytes to reply, whatever the HTTP framework and the protocol: drain → verify
 * → parse → the protocol's answer (route, validate, idempotency, invoke, normalise) → reply, with
 * the in-flight count, metrics and traces around it. Transports only move bytes in and out.
 */
@Injectable()
export class LcDispatcher {
  private readonly logger = new LcLogger('LcService');

  constructor(
    @Inject(LC_OPTIONS) private readonly options: ResolvedLcOptions,
    private readonly runState: LcRunState,
    @Inject(LC_METRICS) private readonly metrics: LcMetrics | null,
    @Inject(LC_WEBHOOK_PROTOCOL) private readonly protocol: LcWebhookProtocol,
    @Inject(LC_TELEMETRY) private readonly telemetry: LcTelemetry | null,
  ) {
    metrics?.watchInFlight(() => runState.inFlight);
  }

  /** Calls being handled now, the health call asking included (as in the RI). */
  get callsInProgress(): number {
    return this.runState.inFlight;
  }

  /** The header the transports read the signature from. */
  get signatureHeader(): string {
    return this.protocol.signatureHeader;
  }

  /** An error answered before dispatch (see `LcWebhookProtocol.refusal`), in the protocol's shape. */
  refusal(status: number, error: string, retry: boolean): LcHttpReply {
    return this.protocol.refusal(status, error, retry);
  }

  /**
   * The answer to one call's bytes: at once when nothing on its path waits (a handler that
   * returns synchronously), a promise otherwise. A handler's failure is an answer; only a failure
   * around the protocol (opening the call, recording metrics) throws or rejects.
   */
  dispatch(
    raw: Buffer | undefined,
    signature: unknown,
    contentEncoding?: unknown,
  ): LcMaybePromise<LcHttpReply> {
    const { metrics, protocol, runState } = this;
    if (runState.draining) {
      metrics?.record(undefined, protocol.shuttingDown, 0);
      return protocol.shuttingDown;
    }
    const started = metrics === null ? 0 : performance.now();
    const body = raw ?? EMPTY;
    if (protocol.decode === undefined) return this.verified(body, signature, started);
    return whenSettled(protocol.decode(body, signature, contentEncoding), (decoded) => {
      if (Buffer.isBuffer(decoded)) return this.verified(decoded, signature, started);
      metrics?.record(undefined, decoded, started);
      return decoded;
    });
  }

  private verified(body: Buffer, signature: unknown, started: number): LcMaybePromise<LcHttpReply> {
    const { metrics, protocol } = this;
    // Nothing unauthenticated reaches the JSON parser.
    if (!protocol.verify(body, signature)) {
      metrics?.record(undefined, protocol.unauthorized, started);
      return protocol.unauthorized;
    }
    const parsed = protocol.parse(body);
    if ('rejected' in parsed) {
      metrics?.record(undefined, parsed.rejected, started);
      return parsed.rejected;
    }
    const { message } = parsed;
    const { runState, telemetry } = this;
    runState.inFlight++;
    let call: LcTracedCall;
    try {
      call = protocol.open(message);
    } catch (err) {
      runState.inFlight--;
      throw err;
    }
    if (this.options.traceComms) this.trace('REQ', call, body);
    let answering: LcMaybePromise<LcHttpReply>;
    try {
      answering =
        telemetry === null
          ? protocol.answer(message, call)
          : telemetry.traceCall(call, () => protocol.answer(message, call));
    } catch (err) {
      answering = protocol.unhandled(call, err);
    }
    if (!(answering instanceof Promise)) return this.answered(message, call, answering, started);
    return answering.then(
      (reply) => this.answered(message, call, reply, started),
      (err: unknown) => this.answered(message, call, protocol.unhandled(call, err), started),
    );
  }

  /** Ends the in-flight count of a call `verified` opened. */
  private answered(
    message: unknown,
    call: LcTracedCall,
    reply: LcHttpReply,
    started: number,
  ): LcHttpReply {
    this.runState.inFlight--;
    if (this.options.traceComms) this.trace('REP', call, reply.body);
    this.metrics?.record(this.protocol.label(message), reply, started);
    return this.runState.draining ? { ...reply, close: true } : reply;
  }

  /**
   * What arrived or leaves, as text: never re-serialised (a parsed body nested thousands deep
   * cannot be), cut at TRACE_MAX, the JWT redacted by value in every JSON string. A trace that
   * cannot be written is skipped: it never fails the call it describes.
   */
  private trace(direction: 'REQ' | 'REP', call: LcTracedCall, sent: Buffer | string): void {
    try {
      const text =
        typeof sent === 'string'
          ? sent.slice(0, TRACE_MAX)
          : sent.subarray(0, TRACE_MAX).toString('utf8');
      const rest =
        sent.length > TRACE_MAX
          ? ` … (${sent.length} ${typeof sent === 'string' ? 'characters' : 'bytes'} in all)`
          : '';
      const shown = call.redactJson(text);
      this.logger.log(
        `${direction} ${call.eventType} mid=${call.messageId ?? '-'} ${shown}${rest}`,
      );
    } catch {
      // Best effort: a logger that throws would throw again if told that it did.
    }
  }
}
