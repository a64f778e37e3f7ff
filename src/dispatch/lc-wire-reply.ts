import type { Logger } from '@nestjs/common';
import type { LcHttpReply } from '../call/lc-http-reply.js';
import type { LcCall } from '../call/lc-request.js';
import { failure, type LcWireResponse } from '../protocol/service/response.js';

/** A Service protocol answer as HTTP: always 200, the outcome for metrics. */
export function wireReply(wire: LcWireResponse, logger: Logger, call?: LcCall): LcHttpReply {
  try {
    const outcome = wire.success ? 'success' : wire.retry === true ? 'retry' : 'failure';
    return { status: 200, body: serialised(wire), outcome };
  } catch (err) {
    const reason = call === undefined ? String(err) : call.redact(String(err));
    logger.error(`${call?.eventType ?? 'reply'}: the response is not serialisable: ${reason}`);
    return {
      outcome: 'failure',
      status: 200,
      body: JSON.stringify(failure(`the response is not serialisable: ${reason}`, false)),
    };
  }
}

/**
 * JSON.stringify(wire), with the envelope of a plain success written out: stringifying the
 * wrapper object cost about as much again as its `data`.
 */
function serialised(wire: LcWireResponse): string {
  if (
    wire.success &&
    wire.retry === undefined &&
    wire.error === undefined &&
    wire.jobs === undefined
  ) {
    const data = JSON.stringify(wire.data);
    if (data !== undefined) return `{"success":true,"data":${data}}`;
  }
  return JSON.stringify(wire);
}
