import { gzipSync } from 'node:zlib';

import type { LcTransport } from './http.js';
import { pyJsonDumps, pyQuote } from './py-json.js';
import { expectRecord, isRecord } from './response.js';

export interface ExtensionRequestOptions {
  /** Send this client's JWT as `impersonator_jwt`, so the extension acts as the caller. */
  impersonate?: boolean;
  /** Resolve with the `data` of the extension's `{data, error, retry}` answer instead of all of it. */
  unwrap?: boolean;
}

/** The answer of an extension (lc-extension's `Response`): its `data`, and `error` when it failed. */
export interface ExtensionResponse {
  data?: unknown;
  error?: string;
  retriable?: boolean;
  version?: number;
  [key: string]: unknown;
}

/** `GET orgs/{oid}/subscriptions`: the org's extensions; the API's shape is passed through. */
export type ExtensionSubscriptions = Record<string, unknown> | unknown[];

/** `GET extension/schema/{name}`: the extension's request and config schemas. */
export interface ExtensionSchema {
  views?: { name: string; layout_type?: string; default_requests?: string[] }[];
  config_schema?: Record<string, unknown>;
  request_schema?: Record<string, unknown>;
  required_events?: string[];
  [key: string]: unknown;
}

/** Extensions the org subscribes to, and requests to them; limacharlie/sdk/extensions.py. */
export class ExtensionsApi {
  constructor(
    private readonly transport: LcTransport,
    private readonly oid: string,
  ) {}

  /**
   * Calls `action` of the extension. `data` travels as `gzdata`: base64 of the gzip (level 9, py's
   * `gzip.compress` default) of its JSON as py's `json.dumps` writes it.
   */
  async request<T = ExtensionResponse>(
    name: string,
    action: string,
    data: Record<string, unknown> = {},
    options: ExtensionRequestOptions = {},
  ): Promise<T> {
    const path = `extension/request/${pyQuote(name)}`;
    const gzdata = gzipSync(Buffer.from(pyJsonDumps(data), 'utf8'), { level: 9 }).toString(
      'base64',
    );
    const answer = await this.transport.call('extensions.request', 'POST', path, {
      oid: this.oid,
      action,
      gzdata,
      impersonator_jwt: options.impersonate ? await this.transport.bearerJwt() : undefined,
    });
    if (options.unwrap && isRecord(answer) && 'data' in answer) return answer.data as T;
    return answer as T;
  }

  async listSubscribed(): Promise<ExtensionSubscriptions> {
    const path = `orgs/${this.oid}/subscriptions`;
    const answer = await this.transport.call('extensions.listSubscribed', 'GET', path);
    return Array.isArray(answer) ? answer : expectRecord(answer, 'GET', path);
  }

  async subscribe(name: string): Promise<Record<string, unknown>> {
    const path = `orgs/${this.oid}/subscription/extension/${pyQuote(name)}`;
    return expectRecord(
      await this.transport.call('extensions.subscribe', 'POST', path, {}),
      'POST',
      path,
    );
  }

  async unsubscribe(name: string): Promise<Record<string, unknown>> {
    const path = `orgs/${this.oid}/subscription/extension/${pyQuote(name)}`;
    return expectRecord(
      await this.transport.call('extensions.unsubscribe', 'DELETE', path, {}),
      'DELETE',
      path,
    );
  }

  async getSchema(name: string): Promise<ExtensionSchema> {
    const path = `extension/schema/${pyQuote(name)}`;
    const answer = await this.transport.call('extensions.getSchema', 'GET', path, undefined, {
      query: { oid: this.oid },
    });
    return expectRecord(answer, 'GET', path) as ExtensionSchema;
  }
}
