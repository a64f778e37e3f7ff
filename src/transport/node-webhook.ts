import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@nestjs/common';
import type { LcDispatcher } from '../dispatch/lc-dispatcher.js';
import { JSON_CONTENT_TYPE, type LcHttpReply } from '../call/lc-http-reply.js';
import {
  LcBodyBudgetError,
  LcBodyConsumedError,
  LcBodyTimeoutError,
  LcBodyTooLargeError,
  readRawBody,
  writeReply,
  type LcBodyLimits,
} from './raw-body.js';

/** Writes one answer on what an entry answers with: a Node response, a Fastify reply. */
export type LcReplyWriter<T> = (target: T, out: LcHttpReply) => void;

/** The answer on Node's own response, which Express and Cloud Functions share. */
export function writeNodeReply(res: ServerResponse, out: LcHttpReply): void {
  writeReply(res, out.status, JSON_CONTENT_TYPE, out.body, out.close === true);
}

/**
 * Moves the bytes of webhook calls, the same way for every entry (the server's request listener,
 * the Fastify and Express routes, Cloud Functions): the body read within the module's limits, the
 * dispatcher's answer written back. Only the writer differs between entries.
 */
export class LcWebhookTransport {
  private readonly signatureHeader: string;

  constructor(
    private readonly dispatcher: LcDispatcher,
    private readonly limits: LcBodyLimits,
    private readonly logger: Logger,
  ) {
    this.signatureHeader = dispatcher.signatureHeader;
  }

  /** Answers one call. Never rejects. */
  async serve<T>(req: IncomingMessage, target: T, write: LcReplyWriter<T>): Promise<void> {
    let body: Buffer;
    try {
      body = await readRawBody(req, this.limits);
    } catch (err) {
      write(target, this.unread(err));
      return;
    }
    let out: LcHttpReply;
    try {
      const { headers } = req;
      out = await this.dispatcher.dispatch(
        body,
        headers[this.signatureHeader],
        headers['content-encoding'],
      );
    } catch (err) {
      this.logger.error(
        `webhook route failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      out = this.dispatcher.refusal(500, 'internal error', false);
    }
    write(target, out);
  }

  /** The answer to a body that could not be read; it was not read to its end, hence the close. */
  private unread(err: unknown): LcHttpReply {
    const { dispatcher } = this;
    if (err instanceof LcBodyTooLargeError) {
      return { ...dispatcher.refusal(413, err.message, false), close: true };
    }
    if (err instanceof LcBodyTimeoutError || err instanceof LcBodyBudgetError) {
      const status = err instanceof LcBodyTimeoutError ? 408 : 503;
      return { ...dispatcher.refusal(status, err.message, true), close: true };
    }
    if (err instanceof LcBodyConsumedError) {
      this.logger.error(err.message);
      return dispatcher.refusal(500, 'internal error', false);
    }
    return { ...dispatcher.refusal(400, 'the request body could not be read', false), close: true };
  }
}
