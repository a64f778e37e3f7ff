import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  EXT_PROTOCOL_VERSION,
  EXT_SIGNATURE_HEADER,
  signBody,
  type LcExtWireContinuation,
} from 'nestjs-lc-service/protocol';
import { isRecord } from './is-record.js';
import { TransportError } from './send.js';

export interface ExtOrg {
  oid: string;
  jwt: string;
  ident: string;
}

/** HTTP 401: the extension refused the signature. */
export class SignatureRefusedError extends TransportError {}

export interface ExtAnswer {
  status: number;
  reply: unknown;
}

/** Signs and posts Extension messages the way LimaCharlie does (`lc-ext-sig`, optional gzip). */
export class ExtClient {
  constructor(
    private readonly url: URL,
    private readonly secret: string,
    private readonly gzip: boolean,
    private readonly timeoutMs: number,
  ) {}

  /** One message: the header plus `kind` (e.g. `{ heartbeat: {} }`). */
  async send(
    kind: Record<string, unknown>,
    idempotencyKey: string = randomUUID(),
  ): Promise<ExtAnswer> {
    const body = JSON.stringify({
      version: EXT_PROTOCOL_VERSION,
      idempotency_key: idempotencyKey,
      ...kind,
    });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'lc-service-sim',
      // The signature is over the JSON, before compression, as LimaCharlie signs it.
      [EXT_SIGNATURE_HEADER]: signBody(this.secret, body),
    };
    if (this.gzip) headers['content-encoding'] = 'gzip';
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        body: this.gzip ? gzipSync(body) : body,
        headers,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const cause = (err as Error & { cause?: Error }).cause;
      throw new TransportError(
        `could not reach ${this.url.href}: ${cause?.message ?? (err as Error).message}`,
      );
    }
    const text = await res.text();
    if (res.status === 401) {
      throw new SignatureRefusedError(
        `${this.url.href} refused the signature (HTTP 401): check --secret`,
      );
    }
    try {
      return { status: res.status, reply: JSON.parse(text) };
    } catch {
      return { status: res.status, reply: text };
    }
  }
}

/** The continuations an answer asks for, skipping any that are not shaped like one. */
export function continuationsOf(reply: unknown): LcExtWireContinuation[] {
  if (!isRecord(reply) || !Array.isArray(reply.continuations)) return [];
  return reply.continuations.filter(
    (c): c is LcExtWireContinuation =>
      isRecord(c) &&
      typeof c.action === 'string' &&
      typeof c.in_delay_sec === 'number' &&
      (c.state === undefined || isRecord(c.state)),
  );
}
