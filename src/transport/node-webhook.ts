import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@nestjs/common';
import type { LcDispatcher } from '../dispatch/lc-dispatcher.js';
import { JSON_CONTENT_TYPE, type LcHttpReply } from '../call/lc-http-reply.js';
import type { LcMaybePromise } from '../call/lc-maybe-promise.js';
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

  /**
   * Answers one call; `done`, when given, runs once the answer is written. Never throws. Callbacks
   * rather than async functions: each await was a promise and a microtask on every call.
   */
  handle<T>(req: IncomingMessage, target: T, write: LcReplyWriter<T>, done?: () => void): void {
    readRawBody(req, this.limits, (err, body) => {
      if (err !== undefined) {
        this.finish(target, write, this.unread(err), done);
        return;
      }
      const { headers } = req;
      let out: LcMaybePromise<LcHttpReply>;
      try {
        out = this.dispatcher.dispatch(
          body,
          headers[this.signatureHeader],
          headers['content-encoding'],
        );
      } catch (failed) {
        out = this.failed(failed);
      }
      if (!(out instanceof Promise)) {
        this.finish(target, write, out, done);
        return;
      }
      out.then(
        (reply) => this.finish(target, write, reply, done),
        (failed: unknown) => this.finish(target, write, this.failed(failed), done),
      );
    });
  }

  /** The answer when the dispatcher itself failed, outside any handler. */
  private failed(err: unknown): LcHttpReply {
    this.logger.error(`webhook route failed: ${messageOf(err)}`);
    return this.dispatcher.refusal(500, 'internal error', false);
  }

  /** `handle` for a caller that awaits the answer (a Cloud Function). Never rejects. */
  serve<T>(req: IncomingMessage, target: T, write: LcReplyWriter<T>): Promise<void> {
    return new Promise((resolve) => this.handle(req, target, write, resolve));
  }

  private finish<T>(
    target: T,
    write: LcReplyWriter<T>,
    out: LcHttpReply,
    done: (() => void) | undefined,
  ): void {
    try {
      write(target, out);
    } catch (err) {
      // The connection is gone or the framework's reply refused: nothing more can be sent.
      this.logger.error(`the answer could not be written: ${messageOf(err)}`);
    }
    done?.();
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

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
