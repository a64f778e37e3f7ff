import type { IncomingHttpHeaders } from 'node:http';

/** Decoded query or form parameters; a repeated key becomes an array. */
export type FakeParams = Record<string, string | string[]>;

/** One request as the fake received it, faulted and rejected ones included. */
export interface FakeCall {
  method: string;
  /** Full pathname, e.g. `/v1/rules/<oid>`. */
  path: string;
  query: FakeParams;
  form: FakeParams;
  /** The raw request body (form bodies as sent on the wire). */
  body: string;
  headers: IncomingHttpHeaders;
  timestamp: number;
}

export interface FakeTask {
  oid: string;
  sid: string;
  tasks: string[];
  investigationId?: string;
  timestamp: number;
}

export interface FakeTag {
  addedBy: string;
  addedAt: number;
  /** Epoch ms after which the tag is gone; permanent when absent. */
  expiresAt?: number;
}

/** Live state of one sensor: tests may flip `online` or read `isolated` and `tags` directly. */
export interface FakeSensor {
  sid: string;
  oid: string;
  iid: string;
  hostname: string;
  plat: number;
  arch: number;
  online: boolean;
  isolated: boolean;
  /** Set by `POST {sid}/seal`, cleared by `DELETE {sid}/seal`. */
  sealed: boolean;
  intIp: string;
  extIp: string;
  enrolledAt: number;
  tags: Map<string, FakeTag>;
}

export interface AddSensorOptions {
  sid?: string;
  hostname: string;
  /** Default true. */
  online?: boolean;
  /** Default linux (0x20000000). */
  plat?: number;
  /** Default 2 (x64). */
  arch?: number;
  tags?: string[];
  intIp?: string;
  extIp?: string;
}

export interface AddOrgOptions {
  oid?: string;
  name?: string;
  /** Permissions of the returned token; default every permission the fake checks. */
  perms?: readonly string[];
}

export interface FakeOrgCredentials {
  oid: string;
  jwt: string;
}

/** A rule as `GET rules/{oid}` returns it. */
export interface FakeRule {
  name: string;
  namespace: string;
  detect: unknown;
  respond: unknown;
  is_enabled: boolean;
  /** Epoch seconds, as the client sends it. */
  expire_on?: number;
}

export interface PutRuleOptions {
  detect: unknown;
  respond: unknown;
  namespace?: string;
  enabled?: boolean;
}

/**
 * Which calls a fault applies to. A string path without a leading `/` is relative to `/v1/`
 * (`'who'`, `` `rules/${oid}` ``) and must match exactly; a RegExp is tested on the full pathname.
 */
export interface FakeMatch {
  method?: string;
  /**
   * A string is a path prefix ending at a segment boundary, with or without `/v1/` (`'rules'`,
   * `'/rules'` and `'/v1/rules'` all match `/v1/rules/<oid>`); a RegExp is tested against the
   * whole path (`/v1/...`).
   */
  path: string | RegExp;
  /** How many matching calls it affects (default 1). */
  count?: number;
}

export interface FakeFault extends FakeMatch {
  status: number;
  /** Sent as the `Retry-After` header: seconds, or an HTTP date string. */
  retryAfter?: number | string;
  /** An object is sent as JSON, a string as-is (to test non-JSON bodies). Default `{error}`. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeLastPageToken = 'omit' | 'null' | 'empty';

/** An object Insight has seen on a sensor (`addInsightObject`). */
export interface FakeInsightObject {
  type: string;
  name: string;
  sid: string;
  hostname?: string;
  /** Epoch seconds it was seen at; default now. */
  ts?: number;
}

/** An event LCQL can find (`addSearchEvents`): a row as the search API returns it. */
export interface FakeSearchEvent {
  routing: {
    event_type: string;
    sid?: string;
    hostname?: string;
    event_time: number;
    [key: string]: unknown;
  };
  event: Record<string, unknown>;
}

export interface FakeExtensionRequest {
  oid: string;
  name: string;
  action: string;
  /** `gzdata` decoded. */
  data: unknown;
  impersonatorJwt?: string;
  timestamp: number;
}

/** An extension the fake knows (`addExtension`). */
export interface FakeExtension {
  name: string;
  schema: Record<string, unknown>;
  /** Answers a request: its return value is the answer's `data`; a throw answers 500 with its message. */
  handle?: (request: FakeExtensionRequest) => unknown;
}

export interface AddExtensionOptions {
  /** What `GET extension/schema/{name}` answers. */
  schema?: Record<string, unknown>;
  handle?: (request: FakeExtensionRequest) => unknown;
}

/** A Hive record as the API sends it; `expiry` and the times are epoch milliseconds. */
export interface FakeHiveRecord {
  data: Record<string, unknown>;
  usr_mtd: {
    enabled: boolean;
    expiry: number;
    tags: string[];
    comment: string;
    ui_actions?: unknown[];
  };
  sys_mtd: {
    etag: string;
    created_at: number;
    created_by: string;
    guid: string;
    last_author: string;
    last_mod: number;
    last_error: string;
    last_error_ts: number;
  };
}

export interface PutHiveRecordOptions {
  data: Record<string, unknown>;
  /** Default false, as a record created without metadata. */
  enabled?: boolean;
  tags?: string[];
  /** Epoch ms; 0 (default) never expires. */
  expiry?: number;
  comment?: string;
}

/** One entry of `GET errors/{oid}`. */
export interface FakeOrgError {
  error: string;
  ts: number;
}

export interface AddApiKeyOptions {
  /** Permissions of the JWTs it mints (default every permission the fake checks). */
  perms?: readonly string[];
  /** Lifetime of the JWTs it mints (default 3600 s); a short one lets tests see renewal. */
  jwtTtlSeconds?: number;
  /** Makes it a user API key: the exchange must carry this `uid`. */
  uid?: string;
}
