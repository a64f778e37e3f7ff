import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  EXT_PROTOCOL_VERSION,
  type LcExtEventName,
  type LcExtWireResponse,
} from '../protocol/extension/messages.js';
import { EXT_SIGNATURE_HEADER } from '../protocol/extension/signature.js';
import { signBody } from '../protocol/service/signature.js';
import { TEST_OID, type LcTestReply } from './lc-test-client.js';

export interface LcExtTestClientOptions {
  /** Base URL of the running app, e.g. `await app.getUrl()`. */
  url: string;
  /** Webhook path of the extension. Default `/`. */
  path?: string;
  /** The extension's shared secret. */
  secret: string;
  /** Default org of requests, events and config validations. */
  oid?: string;
  /** Default JWT; point the module's `limaCharlie.apiUrl` at a FakeLimaCharlie that knows it. */
  jwt?: string;
  /** Default `org.ident`. */
  ident?: string;
  /** Gzip every body (`Content-Encoding: gzip`), as LimaCharlie may. */
  gzip?: boolean;
}

/** What every message may override. */
export interface LcExtSendOptions {
  oid?: string;
  jwt?: string;
  ident?: string;
  /** The org's extension config. Default `{}`. */
  config?: Record<string, unknown>;
  /** Default: a new UUID per message. */
  idempotencyKey?: string;
  gzip?: boolean;
}

export interface LcExtRequestOptions extends LcExtSendOptions {
  resourceState?: Record<string, { last_mod: number }>;
  investigationId?: string;
}

/** An extension answer as the test client parses it, `data` typed by `TData`. */
export type LcExtReplyBody<TData = Record<string, unknown>> = Omit<LcExtWireResponse, 'data'> & {
  data?: TData;
};

/** Sends signed LimaCharlie Extension messages to a running app over real HTTP. */
export class LcExtTestClient {
  constructor(private readonly options: LcExtTestClientOptions) {}

  static async forApp(
    app: { getUrl(): Promise<string> },
    options: Omit<LcExtTestClientOptions, 'url'>,
  ): Promise<LcExtTestClient> {
    return new LcExtTestClient({ ...options, url: await app.getUrl() });
  }

  heartbeat(opts: LcExtSendOptions = {}): Promise<LcTestReply<LcExtWireResponse>> {
    return this.send({ heartbeat: {} }, opts);
  }

  schemaRequest(opts: LcExtSendOptions = {}): Promise<LcTestReply<LcExtWireResponse>> {
    return this.send({ schema_request: {} }, opts);
  }

  /**
   * Calls an action with `data` (a continuation's `state`, to replay one). `TData` types the
   * answer's `data`, e.g. `request<{ found: number }>('scan')`.
   */
  request<TData = Record<string, unknown>>(
    action: string,
    data: Record<string, unknown> = {},
    opts: LcExtRequestOptions = {},
  ): Promise<LcTestReply<LcExtReplyBody<TData>>> {
    return this.send<LcExtReplyBody<TData>>(
      {
        request: {
          org: this.org(opts),
          action,
          data,
          config: opts.config ?? {},
          resource_state: opts.resourceState ?? {},
          inv_id: opts.investigationId ?? '',
        },
      },
      opts,
    );
  }

  /** `subscribe`, `unsubscribe` or `update`. */
  event(
    eventName: LcExtEventName | (string & {}),
    data: Record<string, unknown> = {},
    opts: LcExtSendOptions = {},
  ): Promise<LcTestReply<LcExtWireResponse>> {
    return this.send(
      { event: { org: this.org(opts), event_name: eventName, data, config: opts.config ?? {} } },
      opts,
    );
  }

  /** `conf_validation` of `config`. */
  validateConfig(
    config: Record<string, unknown>,
    opts: LcExtSendOptions = {},
  ): Promise<LcTestReply<LcExtWireResponse>> {
    return this.send({ conf_validation: { org: this.org(opts), conf: config } }, opts);
  }

  errorReport(
    error: string,
    oid?: string,
    opts: LcExtSendOptions = {},
  ): Promise<LcTestReply<LcExtWireResponse>> {
    return this.send({ error_report: { error, ...(oid === undefined ? {} : { oid }) } }, opts);
  }

  /** A reachability probe: a POST without signature. */
  probe(): Promise<LcTestReply<unknown>> {
    return this.sendRaw('{}', { signature: null });
  }

  /** The message with its header (`version`, `idempotency_key`), signed and sent. */
  send<T = LcExtWireResponse>(
    kind: Record<string, unknown>,
    opts: LcExtSendOptions = {},
  ): Promise<LcTestReply<T>> {
    const message = {
      version: EXT_PROTOCOL_VERSION,
      idempotency_key: opts.idempotencyKey ?? randomUUID(),
      ...kind,
    };
    return this.sendRaw<T>(JSON.stringify(message), { gzip: opts.gzip });
  }

  /**
   * Sends exact bytes, signed with the client's secret over them (before gzip) unless
   * `signature` is given (`null` sends none).
   */
  async sendRaw<T = LcExtWireResponse>(
    body: string | Buffer,
    extra: { signature?: string | null; gzip?: boolean; headers?: Record<string, string> } = {},
  ): Promise<LcTestReply<T>> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...extra.headers,
    };
    const signature =
      extra.signature !== undefined ? extra.signature : signBody(this.options.secret, body);
    if (signature !== null) headers[EXT_SIGNATURE_HEADER] = signature;
    let sent: string | Buffer = body;
    if (extra.gzip ?? this.options.gzip ?? false) {
      sent = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    const url = new URL(this.options.path ?? '/', this.options.url);
    const res = await fetch(url, { method: 'POST', body: sent, headers });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: the test sees the text.
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  private org(opts: LcExtSendOptions): { oid: string; jwt: string; ident: string } {
    return {
      oid: opts.oid ?? this.options.oid ?? TEST_OID,
      jwt: opts.jwt ?? this.options.jwt ?? 'test-jwt',
      ident: opts.ident ?? this.options.ident ?? 'user@example.com',
    };
  }
}
