import type { LcTransport } from './http.js';
import { pyJsonDumps, pyQuote } from './py-json.js';
import { expectRecord } from './response.js';

/** Object types Insight indexes. */
export type InsightObjectType =
  | 'domain'
  | 'ip'
  | 'file_hash'
  | 'file_path'
  | 'file_name'
  | 'user'
  | 'service_name'
  | 'package_name'
  | (string & {});

/** `summary`: prevalence counts per time bucket; `locations`: also the sensors that saw it. */
export type InsightInfo = 'summary' | 'locations';

export interface IocSearchOptions {
  /** Default `summary`. */
  info?: InsightInfo;
  /** Default true. */
  caseSensitive?: boolean;
  /** `%` in the name matches anything. Default false. */
  wildcards?: boolean;
  limit?: number;
  /** Group results per object; by default true only for a wildcard summary, as py decides. */
  perObject?: boolean;
}

export interface BatchSearchOptions {
  /** Default true. */
  caseSensitive?: boolean;
  /** Default `summary`. */
  info?: InsightInfo;
  /** Per-indicator location cap with `info: 'locations'`. */
  limit?: number;
}

/** Where an object was seen, keyed by sid in `locations`. */
export interface InsightLocation {
  first_ts?: number;
  last_ts?: number;
  hostname?: string;
  [key: string]: unknown;
}

/** `GET insight/{oid}/objects/{type}`: bucket counts for a summary, `locations` otherwise. */
export interface IocSearchResult {
  name?: string;
  type?: string;
  last_1_days?: number | Record<string, number>;
  last_7_days?: number | Record<string, number>;
  last_30_days?: number | Record<string, number>;
  last_365_days?: number | Record<string, number>;
  locations?: Record<string, InsightLocation>;
  from_cache?: boolean;
  [key: string]: unknown;
}

/** `POST insight/{oid}/objects`: per bucket, type, then object name, the sensor count. */
export interface BatchSearchResult {
  last_1_days?: Record<string, Record<string, number>>;
  last_7_days?: Record<string, Record<string, number>>;
  last_30_days?: Record<string, Record<string, number>>;
  last_365_days?: Record<string, Record<string, number>>;
  [key: string]: unknown;
}

/** IOC search over the org's Insight (retention) data; limacharlie/sdk/insight.py. */
export class InsightApi {
  constructor(
    private readonly transport: LcTransport,
    private readonly oid: string,
  ) {}

  /** True when the org has an Insight bucket. */
  async isEnabled(): Promise<boolean> {
    const path = `insight/${this.oid}`;
    const body = expectRecord(
      await this.transport.call('insight.isEnabled', 'GET', path),
      'GET',
      path,
    );
    return Boolean(body.insight_bucket);
  }

  async searchIoc(
    type: InsightObjectType,
    name: string,
    options: IocSearchOptions = {},
  ): Promise<IocSearchResult> {
    return this.objectQuery('insight.searchIoc', type, name, options);
  }

  /** `objects` maps an object type to the names to look up. */
  async batchSearch(
    objects: Record<string, readonly string[]>,
    options: BatchSearchOptions = {},
  ): Promise<BatchSearchResult> {
    const path = `insight/${this.oid}/objects`;
    const lists: Record<string, string[]> = {};
    for (const [type, names] of Object.entries(objects)) lists[type] = [...names];
    const body = await this.transport.call('insight.batchSearch', 'POST', path, {
      objects: pyJsonDumps(lists),
      case_sensitive: options.caseSensitive ?? true,
      info: options.info ?? 'summary',
      limit: options.limit === undefined ? undefined : String(options.limit),
    });
    return expectRecord(body, 'POST', path) as BatchSearchResult;
  }

  /** The same query as `searchIoc`, named for enrichment (py's `get_object_information`). */
  async objectInformation(
    type: InsightObjectType,
    name: string,
    options: Omit<IocSearchOptions, 'perObject'> = {},
  ): Promise<IocSearchResult> {
    return this.objectQuery('insight.objectInformation', type, name, options);
  }

  private async objectQuery(
    operation: string,
    type: string,
    name: string,
    options: IocSearchOptions,
  ): Promise<IocSearchResult> {
    const info = options.info ?? 'summary';
    const wildcards = options.wildcards ?? false;
    const path = `insight/${this.oid}/objects/${pyQuote(type)}`;
    const body = await this.transport.call(operation, 'GET', path, {
      name,
      info,
      case_sensitive: options.caseSensitive ?? true,
      with_wildcards: wildcards,
      per_object: options.perObject ?? (wildcards && info === 'summary'),
      limit: options.limit,
    });
    return expectRecord(body, 'GET', path) as IocSearchResult;
  }
}
