import { Inject, Injectable } from '@nestjs/common';
import type { LcHttpReply } from '../call/lc-http-reply.js';
import { LcRunState } from '../call/lc-run-state.js';
import { LC_OPTIONS } from '../lc-service.constants.js';
import type { LcMetrics } from '../metrics/lc-metrics.js';
import { LC_METRICS, LC_TELEMETRY } from '../operations/operations.tokens.js';
import type { ResolvedLcOptions } from '../options/lc-service.options.js';
import type { LcTelemetry } from '../telemetry/lc-telemetry.js';
import { LC_WEBHOOK_PROTOCOL, type LcTracedCall, type LcWebhookProtocol } from './lc-protocol.js';
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

  async dispatch(
    raw: Buffer | undefined,
    signature: unknown,
    contentEncoding?: unknown,
  ): Promise<LcHttpReply> {
    const { metrics, protocol, runState, telemetry } = this;
    if (runState.draining) {
      metrics?.record(undefined, protocol.shuttingDown, 0);
      return protocol.shuttingDown;
    }
    const started = metrics === null ? 0 : performance.now();
    let body = raw ?? EMPTY;
    if (protocol.decode !== undefined) {
      let decoded = protocol.decode(body, signature, contentEncoding);
      if (decoded instanceof Promise) decoded = await decoded;
      if (!Buffer.isBuffer(decoded)) {
        metrics?.record(undefined, decoded, started);
        return decoded;
      }
      body = decoded;
    }
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
    runState.inFlight++;
    try {
      const call = protocol.open(message);
      if (this.options.traceComms) this.trace('REQ', call, body);
      let reply: LcHttpReply;
      try {
        reply = await (telemetry === null
          ? protocol.answer(message, call)
          : telemetry.traceCall(call, () => protocol.answer(message, call)));
      } catch (err) {
        reply = protocol.unhandled(call, err);
      }
      if (this.options.traceComms) this.trace('REP', call, reply.body);
      metrics?.record(protocol.label(message), reply, started);
      return runState.draining ? { ...reply, close: true } : reply;
    } finally {
      runState.inFlight--;
    }
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
