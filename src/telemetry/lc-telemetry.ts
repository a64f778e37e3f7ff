import type { LcMaybePromise } from '../call/lc-maybe-promise.js';
import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import type { ApiCallEvent } from '@nestjs-lc-service/limacharlie';
import type { LcHttpReply } from '../call/lc-http-reply.js';
import { outcomeOf } from '../metrics/lc-metrics.js';
import { LcConfigError } from '../options/lc-config-error.js';
import type { ResolvedLcOpenTelemetry } from '../options/telemetry-options.js';

type OtelApi = typeof import('@opentelemetry/api');

/** What a span needs of a call, read by shape so that both protocols' calls fit. */
export interface LcSpannedCall {
  readonly eventType: string;
  readonly messageId: string | undefined;
  readonly oid: string | undefined;
  readonly action?: string | undefined;
  readonly idempotencyKey?: string;
  /** Removes the call's JWT from text (an error message, a stack). */
  redact(text: string): string;
}

const TRACER_NAME = 'nestjs-lc-service';

async function loadApi(): Promise<OtelApi> {
  try {
    return await import('@opentelemetry/api');
  } catch (err) {
    throw new LcConfigError(
      `nestjs-lc-service: option 'openTelemetry' needs the @opentelemetry/api package: npm install @opentelemetry/api (${(err as Error).message})`,
    );
  }
}

/**
 * One span per call, with the call's ids, its outcome and the error it failed with, and one
 * child span per LimaCharlie API request its client made. Built only when the option
 * `openTelemetry` is on: without it @opentelemetry/api is never loaded and no call pays for it.
 */
export class LcTelemetry {
  /** Spans of the calls in progress, for errors caught below the dispatcher. */
  private readonly spans = new WeakMap<object, Span>();

  private constructor(
    private readonly api: OtelApi,
    private readonly tracer: Tracer,
  ) {}

  static async create(options: ResolvedLcOpenTelemetry): Promise<LcTelemetry> {
    const api = await loadApi();
    // The option is typed by shape (LcTracer); what the app passes is an OpenTelemetry Tracer.
    const tracer = (options.tracer as Tracer | undefined) ?? api.trace.getTracer(TRACER_NAME);
    return new LcTelemetry(api, tracer);
  }

  /**
   * Runs `answer` inside the call's span, made the active one so that the spans the handler
   * starts, and those of its API requests, are its children (given a context manager, which the
   * OpenTelemetry Node SDK registers).
   */
  async traceCall(
    call: LcSpannedCall,
    answer: () => LcMaybePromise<LcHttpReply>,
  ): Promise<LcHttpReply> {
    const { api } = this;
    const span = this.tracer.startSpan(`LimaCharlie ${call.eventType}`, {
      kind: api.SpanKind.SERVER,
      attributes: callAttributes(call),
    });
    this.spans.set(call, span);
    try {
      const reply = await api.context.with(api.trace.setSpan(api.context.active(), span), answer);
      const outcome = outcomeOf(reply);
      span.setAttribute('lc.outcome', outcome);
      span.setAttribute('http.response.status_code', reply.status);
      if (outcome !== 'success')
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: outcome });
      return reply;
    } catch (err) {
      this.record(span, call, err);
      throw err;
    } finally {
      this.spans.delete(call);
      span.end();
    }
  }

  /** An error a handler threw, on its call's span, the JWT removed from what it says. */
  recordError(call: LcSpannedCall, err: unknown): void {
    const span = this.spans.get(call);
    if (span !== undefined) this.record(span, call, err);
  }

  /**
   * The client's hook, called after each HTTP attempt: a child span of the active one (the
   * call's, or one the handler started) that covers the attempt.
   */
  readonly apiCall = (event: ApiCallEvent): void => {
    const { api } = this;
    const end = Date.now();
    const attributes: Attributes = {
      'http.request.method': event.method,
      'lc.api.operation': event.operation,
      'lc.api.attempt': event.attempt,
    };
    if (event.status !== 0) attributes['http.response.status_code'] = event.status;
    const span = this.tracer.startSpan(
      `LimaCharlie API ${event.operation}`,
      { kind: api.SpanKind.CLIENT, startTime: end - event.durationMs, attributes },
      api.context.active(),
    );
    if (event.status === 0 || event.status >= 400) {
      const message = event.status === 0 ? 'no response' : `HTTP ${event.status}`;
      span.setStatus({ code: api.SpanStatusCode.ERROR, message });
    }
    span.end(end);
  };

  private record(span: Span, call: LcSpannedCall, err: unknown): void {
    const message = call.redact(err instanceof Error ? err.message : String(err));
    const stack =
      err instanceof Error && err.stack !== undefined ? call.redact(err.stack) : undefined;
    const name = err instanceof Error ? err.name : typeof err;
    span.recordException({ name, message, stack });
    span.setStatus({ code: this.api.SpanStatusCode.ERROR, message });
  }
}

/**
 * A Service call's `etype`, `oid` and `mid`; an Extension call's action or event, `oid` and
 * `idempotency_key`.
 */
function callAttributes(call: LcSpannedCall): Attributes {
  const attributes: Attributes = {};
  if (call.idempotencyKey === undefined) {
    attributes['lc.etype'] = call.eventType;
    if (call.messageId !== undefined) attributes['lc.mid'] = call.messageId;
  } else {
    if (call.action === undefined) attributes['lc.message'] = call.eventType;
    else if (call.eventType.startsWith('event:')) attributes['lc.event'] = call.action;
    else attributes['lc.action'] = call.action;
    if (call.idempotencyKey !== '') attributes['lc.idempotency_key'] = call.idempotencyKey;
  }
  if (call.oid !== undefined) attributes['lc.oid'] = call.oid;
  return attributes;
}
