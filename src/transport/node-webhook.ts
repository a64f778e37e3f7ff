import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@nestjs/common';
import type { LcDispatcher } from '../dispatch/lc-dispatcher.js';
import { JSON_CONTENT_TYPE, rejection, type LcHttpReply } from '../call/lc-http-reply.js';
import { SIGNATURE_HEADER } from '../protocol/service/signature.js';
import { LcBodyConsumedError, LcBodyTooLargeError, readRawBody, writeReply } from './raw-body.js';

function send(res: ServerResponse, out: LcHttpReply, close = false): void {
  writeReply(res, out.status, JSON_CONTENT_TYPE, out.body, close || out.close === true);
}

/**
 * One webhook call on Node's own request and response (Express, Cloud Functions, node:http):
 * raw bytes in, the dispatcher's answer out. Never rejects.
 */
export async function handleNodeWebhook(
  req: IncomingMessage,
  res: ServerResponse,
  dispatcher: LcDispatcher,
  bodyLimit: number,
  logger: Logger,
): Promise<void> {
  let body: Buffer;
  try {
    body = await readRawBody(req, bodyLimit);
  } catch (err) {
    if (err instanceof LcBodyTooLargeError) {
      send(res, rejection(413, err.message), true);
    } else if (err instanceof LcBodyConsumedError) {
      logger.error(err.message);
      send(res, rejection(500, 'internal error'));
    } else if (!req.destroyed) {
      send(res, rejection(400, 'the request body could not be read'), true);
    }
    return;
  }
  let out: LcHttpReply;
  try {
    out = await dispatcher.dispatch(body, req.headers[SIGNATURE_HEADER]);
  } catch (err) {
    logger.error(`webhook route failed: ${err instanceof Error ? err.message : String(err)}`);
    out = rejection(500, 'internal error');
  }
  send(res, out);
}
