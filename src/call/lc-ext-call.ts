import type { LimaCharlieClient } from '@nestjs-lc-service/limacharlie';
import type { LcExtMessage, LcExtMessageKind, LcExtOrg } from '../protocol/extension/messages.js';
import type { LcClientFactory } from '../options/lc-service.options.js';
import { redactJsonStrings } from './redact-json.js';

/** One Extension call as a handler sees it (`@LcReq()`). */
export interface LcExtRequest {
  /** Which protocol the call came in: tells an `LcExtRequest` from an `LcRequest`. */
  readonly protocol: 'extension';
  /** The message's kind: `request`, `event`, `conf_validation` or `error_report`. */
  readonly kind: LcExtMessageKind;
  /** The message kind and, for requests and events, the action or event: `request:scan`. */
  readonly eventType: string;
  readonly oid: string | undefined;
  /** Who acts: a user's email, or the platform. */
  readonly ident: string | undefined;
  /** The action of a `request`, the event name of an `event`. */
  readonly action: string | undefined;
  /** The request's (or event's) data as sent; `@LcData()` gives the validated DTO. */
  readonly data: Record<string, unknown>;
  /** The org's extension config as sent; `@LcConfig()` gives the validated DTO. */
  readonly config: Record<string, unknown>;
  readonly resourceState: Record<string, { last_mod: number }>;
  readonly investigationId: string | undefined;
  readonly idempotencyKey: string;
  /** Aborts when the handler's `timeoutMs` passes; the client passes it to every HTTP call. */
  readonly signal: AbortSignal;
}

const NO_OBJECT: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
const NO_STATE: Record<string, { last_mod: number }> = Object.freeze({}) as Record<
  string,
  { last_mod: number }
>;

/**
 * The state of one Extension call. The JWT sits in a private field, out of `JSON.stringify` and
 * `console.log`; the signal and the client are built on first use.
 */
export class LcExtCall implements LcExtRequest {
  readonly #jwt: string | undefined;
  readonly #clientFactory: LcClientFactory;
  #controller: AbortController | undefined;
  #expired = false;
  #client: LimaCharlieClient | null | undefined;

  readonly kind: LcExtMessageKind;
  readonly eventType: string;
  /** For idempotency and traces: the message's `idempotency_key`. */
  readonly messageId: string | undefined;
  readonly idempotencyKey: string;
  readonly oid: string | undefined;
  readonly ident: string | undefined;
  readonly action: string | undefined;
  readonly data: Record<string, unknown>;
  readonly config: Record<string, unknown>;
  readonly resourceState: Record<string, { last_mod: number }>;
  readonly investigationId: string | undefined;
  /** Epoch milliseconds after which the answer is no longer awaited (`timeoutMs`). */
  readonly deadlineMs: number | undefined;
  /** The validated params DTO of an action, or the error report. */
  params: object | undefined = undefined;
  /** The validated config DTO. */
  configDto: object | undefined = undefined;

  constructor(message: LcExtMessage, clientFactory: LcClientFactory, timeoutMs: number) {
    this.idempotencyKey = message.idempotency_key;
    this.messageId = message.idempotency_key === '' ? undefined : message.idempotency_key;
    this.#clientFactory = clientFactory;
    let org: LcExtOrg | undefined;
    let data = NO_OBJECT;
    let config = NO_OBJECT;
    let action: string | undefined;
    let eventType: string = message.kind;
    switch (message.kind) {
      case 'request':
        ({ org, data, config, action } = message.request);
        eventType = `request:${action}`;
        this.resourceState = message.request.resource_state;
        this.investigationId = message.request.inv_id === '' ? undefined : message.request.inv_id;
        break;
      case 'event':
        ({ org, data, config } = message.event);
        action = message.event.event_name;
        eventType = `event:${action}`;
        break;
      case 'conf_validation':
        org = message.conf_validation.org;
        config = message.conf_validation.conf;
        break;
      case 'error_report':
        data = message.error_report;
        break;
    }
    this.resourceState ??= NO_STATE;
    this.kind = message.kind;
    this.eventType = eventType;
    this.action = action;
    this.data = data;
    this.config = config;
    this.oid = org?.oid ?? (message.kind === 'error_report' ? message.error_report.oid : undefined);
    this.ident = org?.ident === '' ? undefined : org?.ident;
    this.#jwt = org?.jwt === '' ? undefined : org?.jwt;
    this.deadlineMs = org === undefined ? undefined : Date.now() + timeoutMs;
  }

  get protocol(): 'extension' {
    return 'extension';
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#expired) this.#controller.abort(timeoutReason());
    }
    return this.#controller.signal;
  }

  /** The per-org client, built from `org.oid` and `org.jwt`; null without them. */
  get client(): LimaCharlieClient | null {
    if (this.#client === undefined) {
      this.#client =
        this.oid !== undefined && this.#jwt !== undefined
          ? this.#clientFactory(this.oid, this.#jwt, this.signal)
          : null;
    }
    return this.#client;
  }

  /** Called when the handler's time is up. */
  expire(): void {
    this.#expired = true;
    this.#controller?.abort(timeoutReason());
  }

  redactJson(text: string): string {
    const jwt = this.#jwt;
    return jwt === undefined ? text : redactJsonStrings(text, jwt);
  }

  redact(text: string): string {
    const jwt = this.#jwt;
    return jwt !== undefined && text.includes(jwt) ? text.split(jwt).join('[REDACTED]') : text;
  }
}

function timeoutReason(): DOMException {
  return new DOMException("the extension handler's timeoutMs has passed", 'TimeoutError');
}
