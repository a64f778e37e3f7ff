import type { Job } from '../jobs/index.js';
import type { LimaCharlieClient } from '@nestjs-lc-service/limacharlie';
import { stringAt } from '../protocol/service/data-path.js';
import type { LcEnvelope } from '../protocol/service/envelope.js';
import { isOrglessEtype } from '../protocol/service/etypes.js';
import { redactJsonStrings } from './redact-json.js';

/** One LimaCharlie call as a handler sees it. */
export interface LcRequest {
  /** Which protocol the call came in: tells an `LcRequest` from an `LcExtRequest`. */
  readonly protocol: 'service';
  readonly eventType: string;
  readonly messageId: string | undefined;
  readonly oid: string | undefined;
  /** `data.sid`, or `data.routing.sid` for detections. */
  readonly sid: string | undefined;
  readonly data: Record<string, unknown>;
  /** When LimaCharlie stops waiting for the answer. */
  readonly deadline: Date | undefined;
  /** Aborts at the deadline. The LimaCharlie client passes it to every HTTP call it makes. */
  readonly signal: AbortSignal;
  readonly version: number;
}

/** A tracked task's reply, decoded from its investigation id. */
export interface LcCallTask {
  event: unknown;
  job: Job | null;
  ctx: unknown;
}

const NEVER_ABORTS = new AbortController().signal;

/**
 * The state of one call. The signal and the client are built on first use, so a handler that
 * needs neither costs no timer, controller or client. The JWT sits in a private field: it never
 * shows in `JSON.stringify(request)` or `console.log(request)`.
 */
/**
 * Builds a call's client. The signal comes as a function: the built-in client asks for it on its
 * first request, so a handler given a client it never uses costs no AbortController.
 */
export type LcCallClientFactory = (
  oid: string,
  jwt: string,
  signal: () => AbortSignal,
) => LimaCharlieClient;

export class LcCall implements LcRequest {
  readonly #jwt: string | undefined;
  readonly #clientFactory: LcCallClientFactory;
  #controller: AbortController | undefined;
  #expired = false;
  #client: LimaCharlieClient | null | undefined;

  readonly eventType: string;
  readonly messageId: string | undefined;
  readonly oid: string | undefined;
  readonly data: Record<string, unknown>;
  readonly version: number;
  /** Epoch milliseconds. */
  readonly deadlineMs: number | undefined;
  /** The validated, transformed `params` / `args` DTO, when the handler declares one. */
  params: object | undefined = undefined;
  /** For a reply to a tracked task: what its `@LcTaskCallback` receives. */
  task: LcCallTask | undefined = undefined;

  constructor(envelope: LcEnvelope, clientFactory: LcCallClientFactory) {
    this.eventType = envelope.etype;
    this.messageId = envelope.mid;
    this.oid = envelope.oid;
    this.data = envelope.data;
    this.version = envelope.version;
    this.deadlineMs = envelope.deadline === undefined ? undefined : envelope.deadline * 1000;
    this.#jwt = envelope.jwt;
    this.#clientFactory = clientFactory;
  }

  /** On the prototype: a field would cost every call a store. */
  get protocol(): 'service' {
    return 'service';
  }

  get sid(): string | undefined {
    return stringAt(this.data, 'sid') ?? stringAt(this.data, 'routing', 'sid');
  }

  get deadline(): Date | undefined {
    return this.deadlineMs === undefined ? undefined : new Date(this.deadlineMs);
  }

  get signal(): AbortSignal {
    if (this.deadlineMs === undefined) return NEVER_ABORTS;
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#expired) this.#controller.abort(deadlineReason());
    }
    return this.#controller.signal;
  }

  /** The per-org client, or null when the call carries no org (health, once_per_*). */
  get client(): LimaCharlieClient | null {
    if (this.#client === undefined) {
      this.#client =
        this.oid !== undefined && this.#jwt !== undefined && !isOrglessEtype(this.eventType)
          ? this.#clientFactory(this.oid, this.#jwt, () => this.signal)
          : null;
    }
    return this.#client;
  }

  /** Called by the dispatcher when the deadline passes. */
  expire(): void {
    this.#expired = true;
    this.#controller?.abort(deadlineReason());
  }

  /** JSON text (a traced body) with the JWT removed from every string that holds it. */
  redactJson(text: string): string {
    const jwt = this.#jwt;
    return jwt === undefined ? text : redactJsonStrings(text, jwt);
  }

  /** Removes the JWT from text that might echo it (error messages). */
  redact(text: string): string {
    const jwt = this.#jwt;
    return jwt !== undefined && jwt !== '' && text.includes(jwt)
      ? text.split(jwt).join('[REDACTED]')
      : text;
  }
}

function deadlineReason(): DOMException {
  return new DOMException('the LimaCharlie call deadline has passed', 'TimeoutError');
}
