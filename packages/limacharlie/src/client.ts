import { ApiKeyJwt, StaticJwt, type JwtSource } from './auth.js';
import { HiveApi } from './hive.js';
import { SecretsApi } from './secrets.js';
import { LcTransport, type TransportConfig } from './http.js';
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
import { ArtifactsApi } from './artifacts.js';
import { ExfilApi, IntegrityApi, LoggingRulesApi } from './service-rules.js';
import { ReplayApi } from './replay.js';
import { FpRulesApi } from './fp-rules.js';
import { JobsApi } from './jobs.js';
import { PayloadsApi } from './payloads.js';
import { InstallationKeysApi } from './installation-keys.js';
import { YaraApi } from './yara.js';
import type {
  ApiCallEvent,
  FormParams,
  HttpMethod,
  JsonObject,
  TaskTracker,
  WhoAmI,
} from './types.js';
import { assertUuid } from './validation.js';

export const DEFAULT_API_URL = 'https://api.limacharlie.io';
export const DEFAULT_JWT_URL = 'https://jwt.limacharlie.io';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_ATTEMPTS = 3;
/** Sensor and rule lists of a large org run to several MiB; nothing the API sends comes near this. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface LimaCharlieClientOptions {
  oid: string;
  /** The org-scoped JWT of the protocol request. Never logged nor put in an error. Or `apiKey`. */
  jwt?: string;
  /**
   * Standalone use: an API key the client trades for JWTs at `jwtUrl`, caches, renews before
   * they expire and once after a 401. Never logged nor put in an error. Or `jwt`.
   */
  apiKey?: string;
  /** The user id of a user API key (sent as `uid` with the exchange). */
  uid?: string;
  /** Where `apiKey` is exchanged (default `https://jwt.limacharlie.io`); tests point it at a fake. */
  jwtUrl?: string;
  /**
   * The protocol request's deadline: aborts every call, retry waits included. A function is
   * called on the first request, so a client built for every call costs no AbortController until
   * it is used.
   */
  signal?: AbortSignal | (() => AbortSignal);
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
  declare private orgApi: OrgApi | undefined;
  declare private sensorsApi: SensorsApi | undefined;
  declare private rulesApi: RulesApi | undefined;
  declare private outputsApi: OutputsApi | undefined;
  private tracker: TaskTracker | undefined;
  declare private detectionsApi: DetectionsApi | undefined;
  declare private auditLogsApi: AuditLogsApi | undefined;
  declare private tagsApi: TagsApi | undefined;
  declare private insightApi: InsightApi | undefined;
  declare private searchApi: SearchApi | undefined;
  declare private extensionsApi: ExtensionsApi | undefined;
  declare private secretsApi: SecretsApi | undefined;
  declare private lookupsApi: HiveApi | undefined;
  declare private artifactsApi: ArtifactsApi | undefined;
  declare private loggingRulesApi: LoggingRulesApi | undefined;
  declare private integrityApi: IntegrityApi | undefined;
  declare private exfilApi: ExfilApi | undefined;
  declare private replayApi: ReplayApi | undefined;
  declare private fpRulesApi: FpRulesApi | undefined;
  declare private jobsApi: JobsApi | undefined;
  declare private payloadsApi: PayloadsApi | undefined;
  declare private installationKeysApi: InstallationKeysApi | undefined;
  declare private yaraApi: YaraApi | undefined;

  constructor(options: LimaCharlieClientOptions) {
    assertUuid('oid', options.oid);
    const apiUrl = options.apiUrl ?? DEFAULT_API_URL;
    requireHttpUrl('apiUrl', apiUrl);
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
    const config: TransportConfig = {
      apiUrl,
      auth: jwtSource(options, () => transport),
      signal: options.signal,
      timeoutMs,
      maxAttempts,
      maxResponseBytes,
      backoff,
      onApiCall: options.onApiCall,
    };
    const transport: LcTransport = new LcTransport(config);
    this.transport = transport;
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

  /** One hive partition (`hive/{name}/{partition}`); the partition defaults to the org. */
  hive<T extends JsonObject = JsonObject>(name: string, partition: string = this.oid): HiveApi<T> {
    return new HiveApi<T>(this.transport, name, partition);
  }

  /** The `secret` hive's values. */
  get secrets(): SecretsApi {
    this.secretsApi ??= new SecretsApi(this.transport, this.oid);
    return this.secretsApi;
  }

  /** The `lookup` hive of the org. */
  get lookups(): HiveApi {
    this.lookupsApi ??= new HiveApi(this.transport, 'lookup', this.oid);
    return this.lookupsApi;
  }

  get artifacts(): ArtifactsApi {
    this.artifactsApi ??= new ArtifactsApi(this.transport, this.oid);
    return this.artifactsApi;
  }

  /** Rules of the `logging` service. */
  get loggingRules(): LoggingRulesApi {
    this.loggingRulesApi ??= new LoggingRulesApi(this.transport, this.oid);
    return this.loggingRulesApi;
  }

  /** Rules of the `integrity` service. */
  get integrity(): IntegrityApi {
    this.integrityApi ??= new IntegrityApi(this.transport, this.oid);
    return this.integrityApi;
  }

  /** Rules of the `exfil` service. */
  get exfil(): ExfilApi {
    this.exfilApi ??= new ExfilApi(this.transport, this.oid);
    return this.exfilApi;
  }

  /** D&R replay; the org's replay host is looked up on first use and kept for this client. */
  get replay(): ReplayApi {
    this.replayApi ??= new ReplayApi(this.transport, this.oid);
    return this.replayApi;
  }

  /** False-positive rules (the `fp` hive). */
  get fpRules(): FpRulesApi {
    this.fpRulesApi ??= new FpRulesApi(this.transport, this.oid);
    return this.fpRulesApi;
  }

  /** Service (replicant) jobs. */
  get jobs(): JobsApi {
    this.jobsApi ??= new JobsApi(this.transport, this.oid);
    return this.jobsApi;
  }

  /** Payloads for sensors; contents move through signed storage URLs. */
  get payloads(): PayloadsApi {
    this.payloadsApi ??= new PayloadsApi(this.transport, this.oid);
    return this.payloadsApi;
  }

  /** Sensor installation keys. */
  get installationKeys(): InstallationKeysApi {
    this.installationKeysApi ??= new InstallationKeysApi(this.transport, this.oid);
    return this.installationKeysApi;
  }

  /** YARA rules, sources and scans, through the `yara` service. */
  get yara(): YaraApi {
    this.yaraApi ??= new YaraApi(this.transport, this.oid);
    return this.yaraApi;
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

function jwtSource(options: LimaCharlieClientOptions, transport: () => LcTransport): JwtSource {
  const { jwt, apiKey, uid, oid } = options;
  if (jwt !== undefined && apiKey !== undefined) {
    throw new TypeError('LimaCharlie client takes either jwt or apiKey, not both');
  }
  if (apiKey === undefined) {
    if (typeof jwt !== 'string' || jwt === '') {
      throw new TypeError(
        'LimaCharlie jwt must be a non-empty string (or give apiKey for standalone use)',
      );
    }
    return new StaticJwt(jwt);
  }
  if (typeof apiKey !== 'string' || apiKey === '') {
    throw new TypeError('LimaCharlie apiKey must be a non-empty string');
  }
  if (uid !== undefined && (typeof uid !== 'string' || uid === '')) {
    throw new TypeError('LimaCharlie uid must be a non-empty string when given');
  }
  const jwtUrl = options.jwtUrl ?? DEFAULT_JWT_URL;
  requireHttpUrl('jwtUrl', jwtUrl);
  // Field order and names of the SDK's refresh_jwt: secret, uid (user keys only), oid.
  return new ApiKeyJwt(apiKey, () => transport().exchangeJwt(jwtUrl, { secret: apiKey, uid, oid }));
}

/** URLs already found valid: a client built per call checks its API root once, not each time. */
const validUrls = new Set<string>();
const MAX_VALID_URLS = 64;

function requireHttpUrl(name: string, url: string): void {
  if (validUrls.has(url)) return;
  if (/^https?:\/\//i.test(url) && URL.canParse(url)) {
    if (validUrls.size < MAX_VALID_URLS) validUrls.add(url);
    return;
  }
  throw new TypeError(`LimaCharlie ${name} must be an http(s) URL, got ${JSON.stringify(url)}`);
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
