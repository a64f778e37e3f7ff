import { randomUUID } from 'node:crypto';
import { SIGNATURE_HEADER, signBody } from '../../protocol/service/signature.js';

export interface CallInit {
  oid?: string;
  jwt?: string;
  data: Record<string, unknown>;
}

export interface CallOutcome {
  /** HTTP status; absent when nothing came back. */
  status?: number;
  /** The parsed answer. */
  reply?: unknown;
  /** Why the call counts as failed; absent on success. */
  error?: string;
  /** The service could not be reached at all (connection refused, timeout). */
  unreachable: boolean;
  /** HTTP 401: the service refused the signature. */
  refused: boolean;
  ms: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The reason a parsed `success: false` answer gives, in the order the RI and Go put it. */
function failureReason(reply: Record<string, unknown>): string {
  const data = isRecord(reply.data) ? reply.data : {};
  const reason =
    typeof reply.error === 'string'
      ? reply.error
      : typeof data.error === 'string'
        ? data.error
        : 'success: false';
  return reply.retry === true ? `${reason} (asks for a retry)` : reason;
}

/** Signs and posts calls to the service, the way LimaCharlie does (JSON body, `lc-svc-sig`). */
export class ServiceClient {
  constructor(
    private readonly url: URL,
    private readonly secret: string,
    private readonly timeoutMs: number,
  ) {}

  async call(etype: string, init: CallInit): Promise<CallOutcome> {
    const envelope: Record<string, unknown> = {
      version: 1,
      etype,
      mid: randomUUID(),
      deadline: Math.floor((Date.now() + this.timeoutMs) / 1000),
      data: init.data,
    };
    if (init.oid !== undefined) envelope.oid = init.oid;
    if (init.jwt !== undefined) envelope.jwt = init.jwt;
    const body = JSON.stringify(envelope);
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'lc-service-sim',
          [SIGNATURE_HEADER]: signBody(this.secret, body),
        },
        // A second past the deadline, so the service's own deadline answer can arrive first.
        signal: AbortSignal.timeout(this.timeoutMs + 1000),
      });
    } catch (err) {
      const cause = (err as Error & { cause?: Error }).cause;
      return {
        error: `could not reach ${this.url.href}: ${cause?.message ?? (err as Error).message}`,
        unreachable: true,
        refused: false,
        ms: ms(),
      };
    }
    const text = await res.text().catch(() => '');
    let reply: unknown;
    try {
      reply = JSON.parse(text);
    } catch {
      reply = undefined;
    }
    const outcome: CallOutcome = {
      status: res.status,
      unreachable: false,
      refused: false,
      ms: ms(),
    };
    if (reply !== undefined) outcome.reply = reply;
    if (res.status === 401) {
      outcome.refused = true;
      outcome.error = 'HTTP 401: the service refused the signature (check --secret)';
    } else if (!isRecord(reply)) {
      outcome.error = `HTTP ${res.status} with a body that is not a JSON object: ${text.slice(0, 200)}`;
    } else if (res.status !== 200) {
      outcome.error = `HTTP ${res.status}: ${failureReason(reply)}`;
    } else if (reply.success !== true) {
      outcome.error = failureReason(reply);
    }
    return outcome;
  }
}
