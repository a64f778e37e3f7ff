import { LcTransport } from './http.js';
import { effectivePermissions, fetchWhoAmI } from './identity.js';
import { OrgApi } from './org.js';
import { OutputsApi } from './outputs.js';
import { DEFAULT_BACKOFF, type BackoffOptions } from './retry.js';
import { RulesApi } from './rules.js';
import { Sensor, SensorsApi } from './sensors.js';
import { AuditLogsApi, DetectionsApi } from './detections.js';
import { TagsApi } from './tags.js';
import { ExtensionsApi } from './extensions.js';
import { InsightApi } from './insight.js';
import { SearchApi } from './search.js';
import type { ApiCallEvent, FormParams, HttpMethod, TaskTracker, WhoAmI } from './types.js';
import { assertUuid } from './validation.js';

export const DEFAULT_API_URL = 'https://api.limacharlie.io';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_ATTEMPTS = 3;
/** Sensor and rule lists of a large org run to several MiB; nothing the API sends comes near this. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface LimaCharlieClientOptions {
  oid: string;
  /** The org-scoped JWT of the protocol request. Never logged nor put in an error. */
  jwt: string;
  /** The protocol request's deadline: aborts every call, retry waits included. */
  signal?: AbortSignal;
  /** REST root without `/v1` (default `https://api.limacharlie.io`); tests point it at a fake. */
  apiUrl?: string;
  /** Per-attempt timeout (default 30000). */
  timeoutMs?: number;
  /** Attempts per call, first one included (default 3). */
  maxAttempts?: number;
  /**
   * Largest answer read, in bytes (default 64 MiB). A 2xx answer over it fails with an
   * `LcApiError`; an error answer is cut to it.
   */
  maxResponseBytes?: number;
  backoff?: BackoffOptions;
  /** Called after every HTTP attempt, for metrics. Exceptions it throws are ignored. */
  onApiCall?: (event: ApiCallEvent) => void;
  /** Builds tracked-task ids (`task(..., { callback })`); `LcServiceModule` sets it when `interactive`. */
  taskTracker?: TaskTracker;
}

/**
 * The LimaCharlie REST API acting on one org. Built per protocol request, so construction does
 * no I/O and sub-APIs are created on first use.
 */
export class LimaCharlieClient {
  readonly oid: string;
  protected readonly transport: LcTransport;
  private orgApi: OrgApi | undefined;
  private sensorsApi: SensorsApi | undefined;
  private rulesApi: RulesApi | undefined;
  private outputsApi: OutputsApi | undefined;
  private tracker: TaskTracker | undefined;
  private detectionsApi: DetectionsApi | undefined;
  private auditLogsApi: AuditLogsApi | undefined;
  private tagsApi: TagsApi | undefined;
  private insightApi: InsightApi | undefined;
  private searchApi: SearchApi | undefined;
  private extensionsApi: ExtensionsApi | undefined;

  constructor(options: LimaCharlieClientOptions) {
    assertUuid('oid', options.oid);
    if (typeof options.jwt !== 'string' || options.jwt === '') {
      throw new TypeError('LimaCharlie jwt must be a non-empty string');
    }
    const apiUrl = options.apiUrl ?? DEFAULT_API_URL;
    if (!/^https?:\/\//i.test(apiUrl) || !URL.canParse(apiUrl)) {
      throw new TypeError(
        `LimaCharlie apiUrl must be an http(s) URL, got ${JSON.stringify(apiUrl)}`,
      );
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const backoff = {
      baseMs: options.backoff?.baseMs ?? DEFAULT_BACKOFF.baseMs,
      maxMs: options.backoff?.maxMs ?? DEFAULT_BACKOFF.maxMs,
    };
    requirePositive('timeoutMs', timeoutMs);
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new TypeError('LimaCharlie maxAttempts must be an integer >= 1');
    }
    if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes < 1) {
      throw new TypeError('LimaCharlie maxResponseBytes must be an integer >= 1');
    }
    requireNonNegative('backoff.baseMs', backoff.baseMs);
    requireNonNegative('backoff.maxMs', backoff.maxMs);

    this.oid = options.oid;
    this.tracker = options.taskTracker;
    this.transport = new LcTransport({
      apiUrl,
      jwt: options.jwt,
      signal: options.signal,
      timeoutMs,
      maxAttempts,
      maxResponseBytes,
      backoff,
      onApiCall: options.onApiCall,
    });
  }

  whoAmI(): Promise<WhoAmI> {
    return fetchWhoAmI(this.transport);
  }

  /** True when the JWT holds every one of `permissions` for this org (one `GET who`). */
  async hasPermissions(permissions: string | readonly string[]): Promise<boolean> {
    const held = effectivePermissions(await this.whoAmI(), this.oid);
    const wanted = typeof permissions === 'string' ? [permissions] : permissions;
    return wanted.every((p) => held.has(p));
  }

  get org(): OrgApi {
    this.orgApi ??= new OrgApi(this.transport, this.oid);
    return this.orgApi;
  }

  get sensors(): SensorsApi {
    this.sensorsApi ??= new SensorsApi(this.transport, this.oid);
    return this.sensorsApi;
  }

  /** Throws a TypeError when `sid` is not a UUID. */
  sensor(sid: string): Sensor {
    return new Sensor(this.transport, this.oid, sid, this.tracker);
  }

  /**
   * Gives a client built by a custom `clientFactory` the module's tracked-task ids. Called by
   * `LcServiceModule` on every client it hands out; keeps a tracker set at construction.
   */
  useTaskTracker(tracker: TaskTracker): void {
    this.tracker ??= tracker;
  }

  get rules(): RulesApi {
    this.rulesApi ??= new RulesApi(this.transport, this.oid);
    return this.rulesApi;
  }

  get outputs(): OutputsApi {
    this.outputsApi ??= new OutputsApi(this.transport, this.oid);
    return this.outputsApi;
  }

  get detections(): DetectionsApi {
    this.detectionsApi ??= new DetectionsApi(this.transport, this.oid);
    return this.detectionsApi;
  }

  get auditLogs(): AuditLogsApi {
    this.auditLogsApi ??= new AuditLogsApi(this.transport, this.oid);
    return this.auditLogsApi;
  }

  get tags(): TagsApi {
    this.tagsApi ??= new TagsApi(this.transport, this.oid, this.sensors);
    return this.tagsApi;
  }

  get insight(): InsightApi {
    this.insightApi ??= new InsightApi(this.transport, this.oid);
    return this.insightApi;
  }

  /** LCQL; the org's search host is looked up on first use and kept for this client. */
  get search(): SearchApi {
    this.searchApi ??= new SearchApi(this.transport, this.oid);
    return this.searchApi;
  }

  get extensions(): ExtensionsApi {
    this.extensionsApi ??= new ExtensionsApi(this.transport, this.oid);
    return this.extensionsApi;
  }

  /**
   * Any other endpoint, with the same auth, encoding, retries and errors. `path` is relative to
   * `/v1/`; GET params go in the query string, others in a form body. The result is not checked
   * against `T`.
   */
  async request<T = unknown>(method: HttpMethod, path: string, params?: FormParams): Promise<T> {
    return (await this.transport.call('request', method, path, params)) as T;
  }
}

function requirePositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new TypeError(`LimaCharlie ${name} must be a positive number`);
  }
}

function requireNonNegative(name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new TypeError(`LimaCharlie ${name} must be a non-negative number`);
  }
}
