import { pathSegment } from './escape.js';
import type { LcTransport } from './http.js';
import { expectRecord, isRecord, unexpectedShape } from './response.js';

/** An installation key as the API sends it (`iid`, `desc`, `tags`, `key`, ...). */
export interface LcInstallationKey {
  iid?: string;
  desc?: string;
  tags?: string[];
  /** The key sensors enroll with: a secret, keep it out of logs. */
  key?: string;
  json_key?: string;
  created?: number;
  use_public_root_ca?: boolean;
  [key: string]: unknown;
}

export interface InstallationKeyCreateOptions {
  /** Tags sensors enrolled with the key get; sent comma-joined, as the SDK. */
  tags?: readonly string[] | string;
  /** Enroll against the public root CA (default false). */
  usePublicCa?: boolean;
}

/** The org's sensor installation keys, as the SDK's `InstallationKeys`. */
export class InstallationKeysApi {
  private readonly root: string;

  constructor(
    private readonly transport: LcTransport,
    private readonly oid: string,
  ) {
    this.root = `installationkeys/${oid}`;
  }

  /** Keys by iid: the answer's map under the oid (or the whole answer, as the SDK). */
  async list(): Promise<Record<string, LcInstallationKey>> {
    const body = expectRecord(
      await this.transport.call('installationKeys.list', 'GET', this.root),
      'GET',
      this.root,
    );
    const keys = body[this.oid] === undefined ? body : body[this.oid];
    if (!isRecord(keys)) throw unexpectedShape('GET', this.root, 'a map of keys by iid', undefined);
    return keys as Record<string, LcInstallationKey>;
  }

  /** A missing key is an HTTP error from the API. */
  async get(iid: string): Promise<LcInstallationKey> {
    const path = `${this.root}/${pathSegment(requireIid(iid))}`;
    const body = await this.transport.call('installationKeys.get', 'GET', path);
    // The key is a secret: the body stays out of a shape error.
    if (!isRecord(body)) throw unexpectedShape('GET', path, 'a key object', undefined);
    return body as LcInstallationKey;
  }

  /** `POST installationkeys/{oid}` with form `desc`, `use_public_root_ca`, `tags`: `{ iid }`. */
  async create(
    description: string,
    options: InstallationKeyCreateOptions = {},
  ): Promise<{ iid: string; [key: string]: unknown }> {
    if (typeof description !== 'string') {
      throw new TypeError('installationKeys.create description must be a string');
    }
    const { tags } = options;
    const joined = typeof tags === 'string' ? tags : tags?.join(',');
    const body = await this.transport.call('installationKeys.create', 'POST', this.root, {
      desc: description,
      use_public_root_ca: options.usePublicCa === true ? 'true' : 'false',
      // The SDK leaves an empty tag list out.
      tags: joined === '' ? undefined : joined,
    });
    if (!isRecord(body) || typeof body.iid !== 'string') {
      throw unexpectedShape('POST', this.root, 'an { iid } object', undefined);
    }
    return body as { iid: string };
  }

  /** `DELETE installationkeys/{oid}` with the iid in a form body, as the SDK sends it. */
  async delete(iid: string): Promise<void> {
    await this.transport.call('installationKeys.delete', 'DELETE', this.root, {
      iid: requireIid(iid),
    });
  }
}

function requireIid(iid: string): string {
  if (typeof iid !== 'string' || iid === '') {
    throw new TypeError('installation key iid must be a non-empty string');
  }
  return iid;
}
