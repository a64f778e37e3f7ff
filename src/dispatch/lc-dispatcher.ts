import { Inject, Injectable, Logger } from '@nestjs/common';
import type { LcIdempotency } from '../idempotency/lc-idempotency.js';
import { LimaCharlieClient, type ApiCallEvent } from '@nestjs-lc-service/limacharlie';
import type { LcMetrics } from '../metrics/lc-metrics.js';
import { LcRunState } from '../call/lc-run-state.js';
import { LC_IDEMPOTENCY, LC_METRICS } from '../operations/operations.tokens.js';
import { LC_OPTIONS } from '../lc-service.constants.js';
import type { LcClientFactory, ResolvedLcOptions } from '../options/lc-service.options.js';
import {
  LcEnvelopeError,
  parseEnvelope,
  PROTOCOL_VERSION,
  type LcEnvelope,
} from '../protocol/service/envelope.js';
import { validateRequestParams } from '../protocol/service/request-params.js';
import { answerGetResource } from '../protocol/service/resources.js';
import {
  DEADLINE_EXCEEDED,
  failure,
  NOT_IMPLEMENTED,
  UNSUPPORTED_VERSION,
  type LcWireResponse,
} from '../protocol/service/response.js';
import { SignatureVerifier } from '../protocol/service/signature.js';
import { LcHealth } from '../health/lc-health.js';
import { LcInteractive, type LcRoutedReply } from '../interactive/lc-interactive.js';
import { LcServiceState } from '../service/lc-service.state.js';
import { lcCallStorage } from '../call/lc-call.storage.js';
import { LcCallTracking } from '../call/lc-call-tracking.js';
import { LcDeadlineWatch } from '../call/lc-deadline-watch.js';
import type { LcHandlerEntry } from '../call/lc-handler-entry.js';
import { LcHandlerRegistry } from '../discovery/lc-handler.registry.js';
import { rejection, SHUTTING_DOWN, UNAUTHORIZED, type LcHttpReply } from '../call/lc-http-reply.js';
import { replyBy } from '../call/lc-reply-time.js';
import { LcCall } from '../call/lc-request.js';
import { errorToWire, resultToWire } from './lc-result.js';

const EMPTY = Buffer.alloc(0);
/** A trace line shows this much of a body (bytes of a request, characters of a reply). */
const TRACE_MAX = 64 * 1024;

class DeadlineReached extends Error {}

/**
 * One protocol call from raw bytes to reply, independent of the HTTP framework: signature,
 * envelope, routing, invocation, normalisation. Transports (Fastify, serverless, the test kit)
 * only move bytes in and out.
 */
@Injectable()
export class LcDispatcher {
  private readonly logger = new Logger('LcService');
  private readonly verifier: SignatureVerifier | undefined;
  private readonly clientFactory: LcClientFactory;
  private readonly deadlines = new LcDeadlineWatch();
  private inFlight = 0;

  constructor(
    @Inject(LC_OPTIONS) private readonly options: ResolvedLcOptions,
    private readonly registry: LcHandlerRegistry,
    private readonly state: LcServiceState,
    private readonly health: LcHealth,
    private readonly runState: LcRunState,
    @Inject(LC_METRICS) private readonly metrics: LcMetrics | null,
    @Inject(LC_IDEMPOTENCY) private readonly idempotency: LcIdempotency | null,
    private readonly interactive: LcInteractive,
    private readonly tracking: LcCallTracking,
  ) {
    this.verifier = options.secrets.length > 0 ? new SignatureVerifier(options.secrets) : undefined;
    const factory =
      options.limaCharlie.clientFactory ?? defaultClientFactory(options, metrics?.apiCall);
    // Clients of an interactive service, the user's own factory's included, can track tasks.
    this.clientFactory = interactive.enabled
      ? (oid, jwt, signal) => {
          const client = factory(oid, jwt, signal);
          client.useTaskTracker(interactive);
          return client;
        }
      : factory;
    runState.callsInProgress = () => this.inFlight;
    metrics?.watchInFlight(() => this.inFlight);
  }

  /** Calls being handled now, the health call asking included (as in the RI). */
  get callsInProgress(): number {
    return this.inFlight;
  }

  async dispatch(raw: Buffer | undefined, signature: unknown): Promise<LcHttpReply> {
    const metrics = this.metrics;
    if (this.runState.draining) {
      metrics?.record(undefined, SHUTTING_DOWN, 0);
      return SHUTTING_DOWN;
    }
    const started = metrics === null ? 0 : performance.now();
    const body = raw ?? EMPTY;
    // Nothing unauthenticated reaches the JSON parser.
    if (this.verifier !== undefined && !this.verifier.verify(body, signature)) {
      metrics?.record(undefined, UNAUTHORIZED, started);
      return UNAUTHORIZED;
    }
    let envelope: LcEnvelope;
    try {
      envelope = parseEnvelope(body);
    } catch (err) {
      if (err instanceof LcEnvelopeError) {
        this.logger.warn(`rejected a signed call: ${err.message}`);
        const bad = rejection(400, err.message);
        metrics?.record(undefined, bad, started);
        return bad;
      }
      throw err;
    }
    this.inFlight++;
    try {
      const call = new LcCall(envelope, this.clientFactory);
      if (this.options.traceComms) this.trace('REQ', call, body);
      let reply: LcHttpReply;
      try {
        reply = await this.answer(envelope, call);
      } catch (err) {
        reply = this.reply(this.unhandled(call, err), call);
      }
      if (this.options.traceComms) this.trace('REP', call, reply.body);
      metrics?.record(envelope.etype, reply, started);
      return this.runState.draining ? { ...reply, close: true } : reply;
    } finally {
      this.inFlight--;
    }
  }

  /**
   * A step outside the handler's own error handling threw (a task reply's client, a store): a
   * protocol failure like a handler's thrown error, never an HTTP 500, which LimaCharlie would
   * also retry but without saying why.
   */
  private unhandled(call: LcCall, err: unknown): LcWireResponse {
    const { wire } = errorToWire(err, this.options.exposeErrors);
    if (wire.error !== undefined) wire.error = call.redact(wire.error);
    const data = wire.data as Record<string, unknown>;
    if (typeof data.exception === 'string') data.exception = call.redact(data.exception);
    const detail = err instanceof Error && err.stack !== undefined ? err.stack : String(err);
    this.logger.error(`${call.eventType} failed outside its handler: ${call.redact(detail)}`);
    return wire;
  }

  private async answer(envelope: LcEnvelope, call: LcCall): Promise<LcHttpReply> {
    if (envelope.version > PROTOCOL_VERSION)
      return this.reply(failure(UNSUPPORTED_VERSION, false, true));
    if (call.deadlineMs !== undefined && call.deadlineMs <= Date.now()) {
      return this.reply(failure(DEADLINE_EXCEEDED, false));
    }
    switch (envelope.etype) {
      case 'health':
        return { status: 200, body: this.health.replyBody(this.inFlight) };
      case 'get_resource':
        return this.reply(answerGetResource(this.state.resources, envelope.data));
    }
    const interactive = this.interactive;
    if (envelope.etype === 'detection' && interactive.enabled) {
      const routed = interactive.route(call);
      if (routed !== undefined) return this.reply(await this.taskReply(routed, call), call);
    }
    const ruleStep = interactive.ruleStep(envelope.etype);
    const entry = this.registry.find(envelope.etype, envelope.data);
    if (entry === undefined) {
      if (ruleStep === undefined) return this.reply(failure(NOT_IMPLEMENTED, false, true));
      return this.reply(
        await interactive.applyRule(ruleStep, call, { success: true, data: {} }),
        call,
      );
    }
    if (entry.params !== undefined) {
      const checked = await entry.params.validate(envelope.data);
      if (!checked.ok) return this.reply(failure(checked.error, false));
      call.params = checked.value;
    } else if (envelope.etype === 'request' && this.state.requestParams !== undefined) {
      const invalid = validateRequestParams(this.state.requestParams, envelope.data);
      if (invalid !== undefined) return this.reply(failure(invalid, false));
    }
    const wire = await this.invoke(entry, call);
    if (ruleStep === undefined) return this.reply(wire, call);
    return this.reply(await interactive.applyRule(ruleStep, call, wire), call);
  }

  /** A reply to a tracked task: its callback `(lc, oid, event, job, ctx)`, or a refusal. */
  private taskReply(routed: LcRoutedReply, call: LcCall): Promise<LcWireResponse> {
    if ('refused' in routed) {
      this.logger.warn(
        `refused an interactive detection for ${call.oid ?? '-'}: ${routed.refused}`,
      );
      return Promise.resolve(failure(routed.refused, false));
    }
    const { entry, task } = routed;
    call.task = task;
    const lc = entry.wantsClientArg ? call.client : null;
    return this.run(entry, call, [lc, call.oid, task.event, task.job, task.ctx, call]);
  }

  private invoke(entry: LcHandlerEntry, call: LcCall): Promise<LcWireResponse> {
    if (entry.idempotent === true && this.idempotency !== null) {
      return this.idempotency.run(call, () => this.run(entry, call));
    }
    return this.run(entry, call);
  }

  private async run(
    entry: LcHandlerEntry,
    call: LcCall,
    args?: unknown[],
  ): Promise<LcWireResponse> {
    try {
      const lc = args === undefined && entry.wantsClientArg ? call.client : null;
      const invoke = (): Promise<unknown> =>
        args === undefined ? entry.invoke(lc, call.oid, call) : entry.invoke(...args);
      const running = this.tracking.enabled ? lcCallStorage.run(call, invoke) : invoke();
      return resultToWire(await this.withinDeadline(call, running));
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
    return new Promise((resolve, reject) => {
      const watched = this.deadlines.watch(replyAt, () => {
        // The reply goes now; the handler stays counted in progress until it really returns.
        this.inFlight++;
        running.then(
          () => this.inFlight--,
          (err: unknown) => {
            this.inFlight--;
            this.logger.warn(
              `${call.eventType} failed after its deadline: ${call.redact(String(err))}`,
            );
          },
        );
        call.expire();
        reject(new DeadlineReached());
      });
      running.then(
        (value) => {
          this.deadlines.cancel(watched);
          resolve(value);
        },
        (err: unknown) => {
          this.deadlines.cancel(watched);
          reject(err);
        },
      );
    });
  }

  private failed(entry: LcHandlerEntry, call: LcCall, err: unknown): LcWireResponse {
    if (err instanceof DeadlineReached) {
      this.logger.warn(`${entry.name} (${call.eventType}) was still running at the deadline`);
      return failure(DEADLINE_EXCEEDED, true);
    }
    const { wire, unexpected } = errorToWire(err, this.options.exposeErrors);
    if (wire.error !== undefined) wire.error = call.redact(wire.error);
    const data = wire.data as Record<string, unknown>;
    if (typeof data.exception === 'string') data.exception = call.redact(data.exception);
    if (unexpected) {
      const detail = err instanceof Error && err.stack !== undefined ? err.stack : String(err);
      this.logger.error(`${entry.name} (${call.eventType}) failed: ${call.redact(detail)}`);
    }
    return wire;
  }

  private reply(wire: LcWireResponse, call?: LcCall): LcHttpReply {
    try {
      const outcome = wire.success ? 'success' : wire.retry === true ? 'retry' : 'failure';
      return { status: 200, body: JSON.stringify(wire), outcome };
    } catch (err) {
      const reason = call === undefined ? String(err) : call.redact(String(err));
      this.logger.error(
        `${call?.eventType ?? 'reply'}: the response is not serialisable: ${reason}`,
      );
      return {
        outcome: 'failure',
        status: 200,
        body: JSON.stringify(failure(`the response is not serialisable: ${reason}`, false)),
      };
    }
  }

  /**
   * What arrived or leaves, as text: never re-serialised (a parsed body nested thousands deep
   * cannot be), cut at TRACE_MAX, the JWT redacted by value in every JSON string. A trace that
   * cannot be written is skipped: it never fails the call it describes.
   */
  private trace(direction: 'REQ' | 'REP', call: LcCall, sent: Buffer | string): void {
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

function defaultClientFactory(
  options: ResolvedLcOptions,
  onApiCall: ((event: ApiCallEvent) => void) | undefined,
): LcClientFactory {
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
