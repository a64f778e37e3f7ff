import { pathSegment } from './escape.js';
import type { LcTransport } from './http.js';
import { expectRecord, isRecord, unexpectedShape } from './response.js';

/** A payload as listed; the API's fields are kept as sent. */
export interface LcPayload {
  name?: string;
  size?: number;
  by?: string;
  created?: number;
  [key: string]: unknown;
}

/** Payloads the org's sensors can receive (`put`/`run` tasks), as the SDK's `Payloads`. */
export class PayloadsApi {
  private readonly root: string;

  constructor(
    private readonly transport: LcTransport,
    oid: string,
  ) {
    this.root = `payload/${oid}`;
  }

  /** Payloads by name (`GET payload/{oid}`: its `payloads` map, or the whole answer). */
  async list(): Promise<Record<string, LcPayload>> {
    const body = expectRecord(
      await this.transport.call('payloads.list', 'GET', this.root),
      'GET',
      this.root,
    );
    const payloads = body.payloads === undefined ? body : body.payloads;
    if (!isRecord(payloads)) throw unexpectedShape('GET', this.root, 'a payloads map', payloads);
    return payloads as Record<string, LcPayload>;
  }

  /**
   * The payload's bytes: `GET payload/{oid}/{name}` for a signed `get_url`, then a GET of that URL
   * without the JWT, bounded by `maxResponseBytes`. `null` when the API gives no URL, as the SDK.
   */
  async download(name: string): Promise<Uint8Array | null> {
    const path = this.payloadPath(name);
    const body = expectRecord(
      await this.transport.call('payloads.download', 'GET', path),
      'GET',
      path,
    );
    const url = signedUrl(body.get_url, 'GET', path, 'get_url');
    if (url === null) return null;
    return this.transport.transfer('payloads.download.content', 'GET', url);
  }

  /**
   * Stores `content` as the payload: `POST payload/{oid}/{name}` (no body) for a signed
   * `put_url`, then a PUT of the bytes to it as `application/octet-stream`. Returns what the
   * storage answered (usually empty), or `null` when the API gives no URL, as the SDK.
   */
  async upload(name: string, content: Uint8Array | string): Promise<Uint8Array | null> {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    if (!(bytes instanceof Uint8Array)) {
      throw new TypeError('payloads.upload content must be a Uint8Array (or Buffer) or a string');
    }
    const path = this.payloadPath(name);
    const body = expectRecord(
      await this.transport.call('payloads.upload', 'POST', path),
      'POST',
      path,
    );
    const url = signedUrl(body.put_url, 'POST', path, 'put_url');
    if (url === null) return null;
    return this.transport.transfer('payloads.upload.content', 'PUT', url, bytes);
  }

  async delete(name: string): Promise<void> {
    await this.transport.call('payloads.delete', 'DELETE', this.payloadPath(name));
  }

  private payloadPath(name: string): string {
    if (typeof name !== 'string' || name === '') {
      throw new TypeError('payload name must be a non-empty string');
    }
    return `${this.root}/${pathSegment(name)}`;
  }
}

function signedUrl(
  value: unknown,
  method: 'GET' | 'POST',
  path: string,
  field: string,
): string | null {
  if (value === undefined || value === null) return null;
  // The URL carries a signature: it is left out of the error.
  if (typeof value !== 'string')
    throw unexpectedShape(method, path, `${field} as a string`, undefined);
  return value;
}
