import { randomUUID } from 'node:crypto';
import { SIGNATURE_HEADER, signBody } from '../protocol/service/signature.js';
import { isOrglessEtype, type LcEtype } from '../protocol/service/etypes.js';
import type { JobJson } from '../jobs/job.js';

export interface LcTestClientOptions {
  /** Base URL of the running app, e.g. `await app.getUrl()`. */
  url: string;
  /** Webhook path. Default `/`. */
  path?: string;
  /** Shared secret; omit to send unsigned calls. */
  secret?: string;
  /** Default org for calls that carry one. */
  oid?: string;
  /** Default JWT; point the service's `limaCharlie.apiUrl` at a FakeLimaCharlie that knows it. */
  jwt?: string;
}

export interface LcSendOptions {
  data?: Record<string, unknown>;
  oid?: string | null;
  jwt?: string | null;
  mid?: string;
  /** Epoch seconds. Default now + 590 s, like LimaCharlie. `null` omits it. */
  deadline?: number | null;
  version?: number;
}

/**
 * A Service answer as the test client parses it (protocol notes §1.4): `retry` on failures,
 * `error` when set, `jobs` in their JSON form (`hist` once a job was narrated). `TData` types
 * `data`, e.g. `send<{ count: number }>('request')`.
 */
export interface LcServiceReplyBody<TData = Record<string, unknown>> {
  success: boolean;
  retry?: boolean;
  data: TData;
  error?: string;
  jobs?: JobJson[];
}

/**
 * An etype to send: the known ones autocomplete, and any other string is still accepted (an
 * unknown etype is part of the protocol: it answers `not implemented`).
 */
export type LcSendEtype = LcEtype | (string & {});

export interface LcTestReply<T = LcServiceReplyBody> {
  status: number;
  body: T;
  headers: Headers;
}

export const TEST_OID = '8cbe27f4-bfa1-4afb-ba19-138cd51389cd';

/** Sends signed LimaCharlie calls to a running app over real HTTP. */
export class LcTestClient {
  constructor(private readonly options: LcTestClientOptions) {}

  /**
   * A client for a Nest app that listens (`await app.listen(0, '127.0.0.1')`), at its URL.
   * Real HTTP rather than Fastify's `inject()`: under jest's ESM mode on Node 20, `inject()`
   * loads light-my-request, which `require`s the ESM-only `cookie` package and fails. A socket
   * also exercises exactly what LimaCharlie will (raw body, signature, Express or Fastify).
   */
  static async forApp(
    app: { getUrl(): Promise<string> },
    options: Omit<LcTestClientOptions, 'url'> = {},
  ): Promise<LcTestClient> {
    let url: string;
    try {
      url = await app.getUrl();
    } catch {
      throw new Error(
        "LcTestClient.forApp: the app is not listening; call `await app.listen(0, '127.0.0.1')` first",
      );
    }
    return new LcTestClient({ ...options, url });
  }

  /** The envelope a call would carry, with LimaCharlie's defaults filled in. */
  envelope(etype: LcSendEtype, opts: LcSendOptions = {}): Record<string, unknown> {
    const orgless = isOrglessEtype(etype);
    const envelope: Record<string, unknown> = {
      version: opts.version ?? 1,
      etype,
      mid: opts.mid ?? randomUUID(),
      data: opts.data ?? {},
    };
    const oid =
      opts.oid === undefined ? (orgless ? null : (this.options.oid ?? TEST_OID)) : opts.oid;
    const jwt =
      opts.jwt === undefined ? (orgless ? null : (this.options.jwt ?? 'test-jwt')) : opts.jwt;
    const deadline =
      opts.deadline === undefined ? Math.floor(Date.now() / 1000) + 590 : opts.deadline;
    if (oid !== null) envelope.oid = oid;
    if (jwt !== null) envelope.jwt = jwt;
    if (deadline !== null) envelope.deadline = deadline;
    return envelope;
  }

  /** Sends one etype and parses the answer. */
  send<TData = Record<string, unknown>>(
    etype: LcSendEtype,
    opts: LcSendOptions = {},
  ): Promise<LcTestReply<LcServiceReplyBody<TData>>> {
    return this.sendRaw(JSON.stringify(this.envelope(etype, opts)));
  }

  /**
   * Sends exact bytes. The signature is computed with the client's secret unless `signature` is
   * given (`null` sends none).
   */
  async sendRaw<T = LcServiceReplyBody>(
    body: string | Buffer,
    extra: { signature?: string | null; headers?: Record<string, string> } = {},
  ): Promise<LcTestReply<T>> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...extra.headers,
    };
    const signature =
      extra.signature !== undefined
        ? extra.signature
        : this.options.secret !== undefined
          ? signBody(this.options.secret, body)
          : null;
    if (signature !== null) headers[SIGNATURE_HEADER] = signature;
    const url = new URL(this.options.path ?? '/', this.options.url);
    const res = await fetch(url, { method: 'POST', body, headers });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: the test sees the text.
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
}
