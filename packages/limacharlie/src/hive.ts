import { pathSegment } from './escape.js';
import { LcApiError } from './errors.js';
import type { LcTransport } from './http.js';
import { expectRecord, isRecord, unexpectedShape } from './response.js';
import type { FormParams, JsonObject } from './types.js';

/** One Hive record, flattened like the SDK's `HiveRecord` (`usr_mtd` and `sys_mtd` fields). */
export interface HiveRecord<T extends JsonObject = JsonObject> {
  name: string;
  /** Absent when read through `getMetadata`. */
  data?: T;
  /** Epoch milliseconds after which LimaCharlie deletes the record; 0 or absent: never. */
  expiry?: number;
  enabled?: boolean;
  tags?: string[];
  comment?: string;
  uiActions?: JsonObject[];
  etag?: string;
  createdAt?: number;
  createdBy?: string;
  guid?: string;
  lastAuthor?: string;
  lastModified?: number;
  lastError?: string;
  lastErrorTs?: number;
}

/** What `set` writes; only the fields given are sent. */
export interface HiveSetOptions<T extends JsonObject = JsonObject> {
  /** The record's content. Without `data` (nor `arl`) only the metadata is written. */
  data?: T;
  enabled?: boolean;
  tags?: string[];
  /** Epoch milliseconds. */
  expiry?: number;
  comment?: string;
  uiActions?: JsonObject[];
  /** Write only if the record still has this etag (else HTTP 409 `ETAG_MISMATCH`). */
  etag?: string;
  /** Load the content from an Authenticated Resource Locator instead of `data`. */
  arl?: string;
}

export interface HiveUpdateOptions {
  /** Reads and writes tried before giving up on conflicts (default 5, as in the SDK). */
  maxRetries?: number;
}

/** `POST hive/...` answers with where the record now lives. */
export interface HiveWriteResult {
  guid?: string;
  hive?: { name: string; partition: string };
  name?: string;
  [key: string]: unknown;
}

/** What `update`'s callback may change; it gets a copy of the record it may also edit in place. */
export type HiveUpdateFn<T extends JsonObject> = (
  record: HiveRecord<T>,
) => HiveRecord<T> | undefined | void | Promise<HiveRecord<T> | undefined | void>;

const DEFAULT_UPDATE_RETRIES = 5;

/** One hive partition (`lc.hive(name, partition)`), as the SDK's `Hive` class. */
export class HiveApi<T extends JsonObject = JsonObject> {
  private readonly root: string;

  constructor(
    private readonly transport: LcTransport,
    readonly name: string,
    readonly partition: string,
  ) {
    if (typeof name !== 'string' || name === '') {
      throw new TypeError('hive name must be a non-empty string');
    }
    if (typeof partition !== 'string' || partition === '') {
      throw new TypeError('hive partition must be a non-empty string');
    }
    // The SDK puts both in the path unescaped; escaping changes nothing for valid names and
    // keeps a stray `/` from reaching another endpoint.
    this.root = `hive/${pathSegment(name)}/${pathSegment(partition)}`;
  }

  /** Every record of the partition, by name. */
  async list(): Promise<Record<string, HiveRecord<T>>> {
    const body = expectRecord(
      await this.transport.call('hive.list', 'GET', this.root),
      'GET',
      this.root,
    );
    const out: Record<string, HiveRecord<T>> = {};
    for (const [key, raw] of Object.entries(body))
      out[key] = this.parse(key, raw, 'GET', this.root);
    return out;
  }

  /** A missing record fails with HTTP 404 `RECORD_NOT_FOUND`. */
  async get(key: string): Promise<HiveRecord<T>> {
    const path = `${this.keyPath(key)}/data`;
    return this.parse(key, await this.transport.call('hive.get', 'GET', path), 'GET', path);
  }

  /** The record without its `data` (the API sends `{}` for it, which is dropped). */
  async getMetadata(key: string): Promise<HiveRecord<T>> {
    const path = `${this.keyPath(key)}/mtd`;
    const record = this.parse(
      key,
      await this.transport.call('hive.getMetadata', 'GET', path),
      'GET',
      path,
    );
    delete record.data;
    return record;
  }

  /**
   * Creates or replaces the record (`POST .../data`), or with neither `data` nor `arl` writes only
   * its metadata (`POST .../mtd`, which fails on a missing record).
   */
  async set(key: string, options: HiveSetOptions<T>): Promise<HiveWriteResult> {
    const hasContent = options.data !== undefined || options.arl !== undefined;
    const path = `${this.keyPath(key)}/${hasContent ? 'data' : 'mtd'}`;
    const usrMtd: JsonObject = {};
    if (options.expiry !== undefined) usrMtd.expiry = options.expiry;
    if (options.enabled !== undefined) usrMtd.enabled = options.enabled;
    if (options.tags !== undefined) usrMtd.tags = options.tags;
    if (options.comment !== undefined) usrMtd.comment = options.comment;
    if (options.uiActions !== undefined) usrMtd.ui_actions = options.uiActions;
    // Field order of the SDK's Hive.set: data, etag, usr_mtd (only when not empty), arl.
    const params: FormParams = {
      data: options.data === undefined ? undefined : JSON.stringify(options.data),
      etag: options.etag,
      usr_mtd: Object.keys(usrMtd).length > 0 ? JSON.stringify(usrMtd) : undefined,
      arl: options.arl,
    };
    const body = await this.transport.call('hive.set', 'POST', path, params);
    return expectRecord(body, 'POST', path) as HiveWriteResult;
  }

  async delete(key: string): Promise<void> {
    await this.transport.call('hive.delete', 'DELETE', this.keyPath(key));
  }

  /** The new name travels in the query string, the body is empty, as the SDK sends it. */
  async rename(key: string, to: string): Promise<HiveWriteResult> {
    if (typeof to !== 'string' || to === '') {
      throw new TypeError('hive rename target must be a non-empty string');
    }
    const base = `${this.keyPath(key)}/rename`;
    const path = `${base}?${new URLSearchParams({ new_name: to }).toString()}`;
    const body = await this.transport.call('hive.rename', 'POST', path, {});
    return expectRecord(body, 'POST', base) as HiveWriteResult;
  }

  /**
   * Read, change, write with the read etag; on a conflict (HTTP 409 or `ETAG_MISMATCH`) read
   * again and call `fn` again, up to `maxRetries` rounds, as the SDK's `update_tx`. `fn` edits
   * the record it is given or returns a new one; it may run several times.
   */
  async update(
    key: string,
    fn: HiveUpdateFn<T>,
    options: HiveUpdateOptions = {},
  ): Promise<HiveWriteResult> {
    const maxRetries = options.maxRetries ?? DEFAULT_UPDATE_RETRIES;
    if (!Number.isInteger(maxRetries) || maxRetries < 1) {
      throw new TypeError('hive update maxRetries must be an integer >= 1');
    }
    let conflict: LcApiError | undefined;
    for (let round = 0; round < maxRetries; round++) {
      const current = await this.get(key);
      const draft = structuredClone(current);
      const changed = (await fn(draft)) ?? draft;
      try {
        return await this.set(key, {
          data: changed.data,
          enabled: changed.enabled,
          tags: changed.tags,
          expiry: changed.expiry,
          comment: changed.comment,
          uiActions: changed.uiActions,
          etag: current.etag,
        });
      } catch (err) {
        if (!isEtagConflict(err)) throw err;
        conflict = err;
      }
    }
    const path = `${this.keyPath(key)}/data`;
    throw new LcApiError(
      `LimaCharlie hive ${this.name} record ${JSON.stringify(key)} kept changing: ${maxRetries} ` +
        'updates lost to concurrent writers (ETAG_MISMATCH); raise maxRetries or retry later',
      {
        kind: 'http',
        status: 409,
        method: 'POST',
        path,
        body: conflict?.body,
        retryable: true,
        cause: conflict,
      },
    );
  }

  private keyPath(key: string): string {
    if (typeof key !== 'string' || key === '') {
      throw new TypeError('hive record key must be a non-empty string');
    }
    return `${this.root}/${pathSegment(key)}`;
  }

  private parse(key: string, raw: unknown, method: 'GET', path: string): HiveRecord<T> {
    if (!isRecord(raw)) throw unexpectedShape(method, path, 'a hive record object', raw);
    const record: HiveRecord<T> = { name: key };
    let data = raw.data;
    // Some hives send `data` as a JSON string; the SDK parses it the same way.
    if (typeof data === 'string') {
      try {
        data = JSON.parse(data) as unknown;
      } catch {
        throw unexpectedShape(method, path, 'a JSON object or JSON text in data', raw);
      }
    }
    if (isRecord(data)) record.data = data as T;
    const usr = isRecord(raw.usr_mtd) ? raw.usr_mtd : {};
    const sys = isRecord(raw.sys_mtd) ? raw.sys_mtd : {};
    assign(record, 'expiry', num(usr.expiry));
    assign(record, 'enabled', typeof usr.enabled === 'boolean' ? usr.enabled : undefined);
    assign(record, 'tags', Array.isArray(usr.tags) ? usr.tags.filter(isString) : undefined);
    assign(record, 'comment', str(usr.comment));
    assign(
      record,
      'uiActions',
      Array.isArray(usr.ui_actions) ? (usr.ui_actions.filter(isRecord) as JsonObject[]) : undefined,
    );
    assign(record, 'etag', str(sys.etag));
    assign(record, 'createdAt', num(sys.created_at));
    assign(record, 'createdBy', str(sys.created_by));
    assign(record, 'guid', str(sys.guid));
    assign(record, 'lastAuthor', str(sys.last_author));
    assign(record, 'lastModified', num(sys.last_mod));
    assign(record, 'lastError', str(sys.last_error));
    assign(record, 'lastErrorTs', num(sys.last_error_ts));
    return record;
  }
}

/** The SDK's test in `update_tx`: status 409, or the error text naming the etag mismatch. */
export function isEtagConflict(err: unknown): err is LcApiError {
  return (
    err instanceof LcApiError &&
    err.kind === 'http' &&
    (err.status === 409 || err.message.includes('ETAG_MISMATCH'))
  );
}

function assign<R, K extends keyof R>(record: R, key: K, value: R[K] | undefined): void {
  if (value !== undefined) record[key] = value;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
