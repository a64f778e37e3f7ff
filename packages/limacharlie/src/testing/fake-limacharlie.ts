import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { FaultQueue, faultHeaders } from './faults.js';
import {
  FakeHttpError,
  errorReply,
  isForm,
  many,
  one,
  parseParams,
  readBodyBytes,
  send,
} from './http-io.js';
import type { FakeRoute, RouteContext } from './route.js';
import { hiveOf, hiveRoutes, writeHiveRecord } from './routes-hive.js';
import { orgRoutes } from './routes-org.js';
import { orgSettingRoutes } from './routes-org-settings.js';
import { outputRoutes } from './routes-outputs.js';
import { ruleRoutes } from './routes-rules.js';
import { drHiveRoutes } from './routes-dr-hive.js';
import { extensionRoutes } from './routes-extensions.js';
import { insightRoutes } from './routes-insight.js';
import { FAKE_SEARCH_PREFIX, searchRoutes } from './routes-search.js';
import { sensorListRoutes, sensorRoutes } from './routes-sensors.js';
import { insightObjectRoutes } from './routes-insight-objects.js';
import { sensorLifecycleRoutes, tagRoutes } from './routes-tags.js';
import { FAKE_REPLAY_PREFIX, collectionRoutes } from './routes-collection.js';
import { replayRoutes } from './routes-replay.js';
import type { AddArtifactOptions, FakeArtifact } from './state-collection.js';
import { jobRoutes } from './routes-jobs.js';
import type { AddJobOptions, FakeJob } from './state-jobs.js';
import { payloadRoutes, serveStorage } from './routes-payloads.js';
import { FAKE_STORAGE_PREFIX, type FakePayload } from './state-payloads.js';
import { installationKeyRoutes } from './routes-installation-keys.js';
import { yaraRoutes } from './routes-yara.js';
import type { FakeYaraRule, FakeYaraScan } from './state-yara.js';
import type { AddInstallationKeyOptions, FakeInstallationKey } from './state-installation-keys.js';
import type {
  AddAuditLogOptions,
  AddDetectionOptions,
  AddSensorEventOptions,
  FakeAuditEntry,
  FakeDetection,
  FakeEvent,
} from './insight-state.js';
import { FAKE_ALL_PERMISSIONS, FakeStore, type FakeToken } from './state.js';

export { FAKE_SEARCH_PREFIX };
import type {
  AddExtensionOptions,
  AddApiKeyOptions,
  AddOrgOptions,
  AddSensorOptions,
  FakeCall,
  FakeExtensionRequest,
  FakeFault,
  FakeInsightObject,
  FakeHiveRecord,
  FakeLastPageToken,
  FakeMatch,
  FakeOrgCredentials,
  FakeParams,
  FakeRule,
  FakeSearchEvent,
  FakeSensor,
  FakeTask,
  PutHiveRecordOptions,
  PutRuleOptions,
} from './types.js';

/** The token of a public route's context: it holds no org and no permission. */
const ANONYMOUS: FakeToken = { oid: '', perms: new Set(), ident: 'anonymous', state: 'valid' };

export interface FakeLimaCharlieOptions {
  /** How the last sensor page ends the pagination (default: the token is omitted). */
  lastPageToken?: FakeLastPageToken;
  /** Loopback port to listen on (default 0: any free port). A fixed one lets a separate process find it. */
  port?: number;
}

/** Fixed prefixes first; the `{sid}` catch-all last, as the real router orders them. */
const ROUTES: readonly FakeRoute[] = [
  ...orgRoutes,
  ...sensorListRoutes,
  ...ruleRoutes,
  ...outputRoutes,
  ...insightRoutes,
  ...searchRoutes,
  ...extensionRoutes,
  ...drHiveRoutes,
  ...insightObjectRoutes,
  ...hiveRoutes,
  ...orgSettingRoutes,
  ...jobRoutes,
  ...payloadRoutes,
  ...installationKeyRoutes,
  ...yaraRoutes,
  ...sensorRoutes,
  ...tagRoutes,
  ...sensorLifecycleRoutes,
  ...collectionRoutes,
  ...replayRoutes,
];

const DEFAULT_JWT_TTL_SECONDS = 3600;
const SEEN_PATHS_SHOWN = 10;

/**
 * An in-memory LimaCharlie REST API on a real loopback HTTP server, for tests of the client and
 * of services built with it. Give `fake.url` to the client as `apiUrl`.
 */
export class FakeLimaCharlie {
  /** Every request received, in order, faulted and rejected ones included. */
  readonly calls: FakeCall[] = [];
  /** Every task accepted by `POST /v1/{sid}`. */
  readonly tasks: FakeTask[] = [];
  /** How the last sensor page ends the pagination; restored by `reset()`. */
  lastPageToken: FakeLastPageToken;

  private readonly store = new FakeStore();
  private readonly faults = new FaultQueue<FakeFault>('failNext');
  private readonly hangs = new FaultQueue<FakeMatch>('hangNext');
  private readonly drops = new FaultQueue<FakeMatch>('dropNext');
  private readonly hung = new Set<ServerResponse>();
  private taskHooks: ((task: FakeTask) => void)[] = [];
  private server: Server | undefined;
  private baseUrl: string | undefined;

  constructor(private readonly options: FakeLimaCharlieOptions = {}) {
    this.lastPageToken = options.lastPageToken ?? 'omit';
  }

  async start(): Promise<void> {
    if (this.server) throw new Error('fake LimaCharlie is already started');
    const server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** The `apiUrl` to give the client (no `/v1`). */
  get url(): string {
    if (!this.baseUrl) throw new Error('fake LimaCharlie is not started');
    return this.baseUrl;
  }

  /** Closes every socket, hanging requests and idle keep-alive connections included. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.baseUrl = undefined;
    this.releaseHung();
    await new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    });
  }

  /** The `jwtUrl` to give a client built with an `apiKey`: `POST` here mints JWTs. */
  get jwtUrl(): string {
    return `${this.url}/jwt`;
  }

  /**
   * An API key of the org: the JWT exchange at `jwtUrl` trades it (form `secret`, `oid`, and
   * `uid` for a user key) for a JWT whose `exp` claim is `jwtTtlSeconds` away and which the fake
   * refuses once expired. Returns the key.
   */
  addApiKey(oid: string, options: AddApiKeyOptions = {}): string {
    this.store.org(oid);
    const ttl = options.jwtTtlSeconds ?? DEFAULT_JWT_TTL_SECONDS;
    if (!(Number.isInteger(ttl) && ttl > 0)) {
      throw new TypeError('fake LimaCharlie: jwtTtlSeconds must be a positive integer');
    }
    const key = randomUUID();
    this.store.apiKeys.set(key, {
      oid,
      perms: options.perms ?? FAKE_ALL_PERMISSIONS,
      jwtTtlSeconds: ttl,
      ...(options.uid === undefined ? {} : { uid: options.uid }),
    });
    return key;
  }

  /** Further exchanges of this key are refused, as for a deleted key. */
  revokeApiKey(key: string): void {
    if (!this.store.apiKeys.delete(key)) throw new Error('fake LimaCharlie: unknown API key');
  }

  /**
   * Writes a hive record directly, with a fresh etag like any write (e.g. a concurrent writer in
   * a test of `update`). Metadata not given keeps its value.
   */
  putHiveRecord(
    oid: string,
    hive: string,
    key: string,
    options: PutHiveRecordOptions,
  ): FakeHiveRecord {
    const { data, ...mtd } = options;
    return writeHiveRecord(hiveOf(this.store, oid, hive), key, data, mtd, 'fake');
  }

  getHiveRecord(oid: string, hive: string, key: string): FakeHiveRecord | undefined {
    return hiveOf(this.store, oid, hive).get(key);
  }

  /** The org's config values (`configs/{oid}/{name}`). */
  getOrgConfigs(oid: string): Record<string, string> {
    return Object.fromEntries(this.store.org(oid).configs);
  }

  setOrgConfig(oid: string, name: string, value: string): void {
    this.store.org(oid).configs.set(name, value);
  }

  /** Raises an org error for `component`, as `GET errors/{oid}` then lists it. */
  addOrgError(oid: string, component: string, error: string): void {
    this.store.org(oid).errors.set(component, { error, ts: Date.now() });
  }

  orgErrors(oid: string): string[] {
    return [...this.store.org(oid).errors.keys()];
  }

  /** Creates an org and a token for it; the token holds every permission unless `perms` says. */
  addOrg(options: AddOrgOptions = {}): FakeOrgCredentials {
    return this.store.addOrg(options);
  }

  /** Another token for an existing org, e.g. with fewer permissions. */
  issueToken(oid: string, options: { perms?: readonly string[] } = {}): string {
    return this.store.issueToken(oid, options.perms);
  }

  /** Further calls with this token get 401 "token expired". */
  expireToken(jwt: string): void {
    this.store.setTokenState(jwt, 'expired');
  }

  /** Further calls with this token get 401 "invalid token". */
  revokeToken(jwt: string): void {
    this.store.setTokenState(jwt, 'revoked');
  }

  /** Adds a sensor and returns its live state (mutate `online` to take it offline). */
  addSensor(oid: string, options: AddSensorOptions): FakeSensor {
    return this.store.addSensor(oid, options);
  }

  getSensor(sid: string): FakeSensor | undefined {
    return this.store.sensors.get(sid);
  }

  /** The sensor's tags whose TTL has not run out. */
  sensorTags(sid: string): string[] {
    const sensor = this.store.sensors.get(sid);
    if (!sensor) throw new Error(`fake LimaCharlie: unknown sensor ${sid}`);
    return [...this.store.liveTags(sensor).keys()];
  }

  /** Seeds a rule directly (e.g. a `__`-prefixed one that sync must spare). */
  putRule(oid: string, name: string, options: PutRuleOptions): FakeRule {
    return this.store.putRule(oid, name, options);
  }

  getRules(oid: string, namespace = 'general'): Record<string, FakeRule> {
    return Object.fromEntries(this.store.namespaceRules(oid, namespace));
  }

  getOutputs(oid: string): Record<string, Record<string, unknown>> {
    return Object.fromEntries(this.store.org(oid).outputs);
  }

  /**
   * The next `count` matching calls answer with this status (before auth, like a gateway). A
   * string `path` is a path prefix with or without `/v1/` (`'rules'` matches `/v1/rules/<oid>`),
   * a RegExp is tested against the whole path; `method` narrows it. `assertFaultsUsed()` fails a
   * test whose fault never fired.
   */
  failNext(fault: FakeFault): void {
    this.faults.add(fault);
  }

  /** The next `count` matching calls never get an answer, until the client gives up or `stop()`. */
  hangNext(match: FakeMatch): void {
    this.hangs.add(match);
  }

  /** The next `count` matching calls have their connection destroyed unanswered (a network error). */
  dropNext(match: FakeMatch): void {
    this.drops.add(match);
  }

  /**
   * Runs `hook` for each accepted task, before the task POST is answered. A hook that throws
   * makes that POST answer 500 with the hook's message, so test mistakes surface.
   */
  onTask(hook: (task: FakeTask) => void): () => void {
    this.taskHooks.push(hook);
    return () => {
      this.taskHooks = this.taskHooks.filter((h) => h !== hook);
    };
  }

  /** Turns the org's Insight (retention) on or off; it is on for every new org. */
  setInsightEnabled(oid: string, enabled: boolean): void {
    this.store.org(oid);
    if (enabled) this.store.services.insightDisabled.delete(oid);
    else this.store.services.insightDisabled.add(oid);
  }

  /** Records that a sensor of the org saw an object (domain, hash...), for Insight searches. */
  addInsightObject(oid: string, object: FakeInsightObject): void {
    this.store.org(oid);
    const list = this.store.services.insightObjects.get(oid) ?? [];
    list.push({ ...object, ts: object.ts ?? Math.floor(Date.now() / 1000) });
    this.store.services.insightObjects.set(oid, list);
  }

  /** Events LCQL queries of the org can find, in the order given. */
  addSearchEvents(oid: string, events: readonly FakeSearchEvent[]): void {
    this.store.org(oid);
    const list = this.store.services.searchEvents.get(oid) ?? [];
    list.push(...events.map((e) => structuredClone(e)));
    this.store.services.searchEvents.set(oid, list);
  }

  /**
   * How LCQL answers are paged: `pageSize` rows a page, and `pendingPolls` polls answering
   * `completed: false` before each page is ready. Restored by `reset()`.
   */
  setSearchPaging(options: { pageSize?: number; pendingPolls?: number }): void {
    const services = this.store.services;
    if (options.pageSize !== undefined) services.searchPageSize = options.pageSize;
    if (options.pendingPolls !== undefined) services.searchPendingPolls = options.pendingPolls;
  }

  /** LCQL queries started and not yet cancelled by the client. */
  get openSearches(): number {
    return this.store.services.searches.size;
  }

  /** Makes an extension known; orgs must subscribe to it before requests reach `handle`. */
  addExtension(name: string, options: AddExtensionOptions = {}): void {
    this.store.services.extensions.set(name, {
      name,
      schema: options.schema ?? { config_schema: {}, request_schema: {}, required_events: [] },
      ...(options.handle ? { handle: options.handle } : {}),
    });
  }

  /** Subscribes the org to an extension added with `addExtension`. */
  subscribeExtension(oid: string, name: string): void {
    this.store.org(oid);
    if (!this.store.services.extensions.has(name)) {
      throw new Error(`fake LimaCharlie: unknown extension ${name}`);
    }
    this.store.services.subscriptionsOf(oid).set(name, Math.floor(Date.now() / 1000));
  }

  /** The org's extension subscriptions, by name. */
  extensionSubscriptions(oid: string): string[] {
    return [...this.store.services.subscriptionsOf(oid).keys()];
  }

  /** Every extension request accepted, `gzdata` decoded. */
  get extensionRequests(): readonly FakeExtensionRequest[] {
    return this.store.services.extensionRequests;
  }

  /** Queued `failNext`/`hangNext`/`dropNext` shots no call has used yet, one line each. */
  get pendingFaults(): string[] {
    return [...this.faults.pending(), ...this.hangs.pending(), ...this.drops.pending()];
  }

  /**
   * Throws, naming each queued `failNext`/`hangNext`/`dropNext` that has not fired all its shots
   * and the paths the fake did see, so a fault that matched nothing fails the test instead of
   * passing silently. Call it at the end of a test (or in `afterEach`, before `reset()`).
   */
  assertFaultsUsed(): void {
    const pending = this.pendingFaults;
    if (pending.length === 0) return;
    const seen = [...new Set(this.calls.map((call) => `${call.method} ${call.path}`))];
    const shown = seen.slice(-SEEN_PATHS_SHOWN);
    throw new Error(
      [
        `fake LimaCharlie: ${pending.length} queued fault(s) never fired:`,
        ...pending.map((line) => `  ${line}`),
        "A string path is a prefix of the request path, with or without '/v1/'; a RegExp is tested against the whole path.",
        shown.length === 0
          ? 'The fake received no call.'
          : `Paths the fake received${seen.length > shown.length ? ` (last ${shown.length})` : ''}:`,
        ...shown.map((line) => `  ${line}`),
      ].join('\n'),
    );
  }

  /** Forgets everything: orgs, tokens, sensors, calls, tasks, queued faults, hooks. */
  reset(): void {
    this.store.clear();
    this.calls.length = 0;
    this.tasks.length = 0;
    this.faults.clear();
    this.hangs.clear();
    this.drops.clear();
    this.releaseHung();
    this.taskHooks = [];
    this.lastPageToken = this.options.lastPageToken ?? 'omit';
  }

  /** Stores a service job (what `jobs.list/get/wait` read); `pendingReads` keeps it running. */
  addJob(oid: string, options: AddJobOptions = {}): FakeJob {
    this.store.org(oid);
    return this.store.jobs.add(oid, options);
  }

  /** The job as stored, or undefined once deleted. */
  getJob(oid: string, jobId: string): FakeJob | undefined {
    return this.store.jobs.jobs.get(oid)?.get(jobId);
  }

  /** Stores a payload as an upload would (what `payloads.list/download` read). */
  putPayload(oid: string, name: string, content: Uint8Array | string): FakePayload {
    this.store.org(oid);
    const bytes = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
    return this.store.payloads.put(oid, name, bytes, 'fake');
  }

  getPayload(oid: string, name: string): FakePayload | undefined {
    return this.store.payloads.payloads.get(oid)?.get(name);
  }

  /** Creates an installation key as `POST installationkeys/{oid}` would. */
  addInstallationKey(oid: string, options: AddInstallationKeyOptions = {}): FakeInstallationKey {
    this.store.org(oid);
    return this.store.installationKeys.add(oid, options);
  }

  getInstallationKey(oid: string, iid: string): FakeInstallationKey | undefined {
    return this.store.installationKeys.keys.get(oid)?.get(iid);
  }

  /** The org's `yara` service state: its rules and sources (live maps), and the scans run. */
  yara(oid: string): {
    rules: Map<string, FakeYaraRule>;
    sources: Map<string, string>;
    scans: FakeYaraScan[];
  } {
    this.store.org(oid);
    const state = this.store.yara;
    return {
      rules: state.rulesOf(oid),
      sources: state.sourcesOf(oid),
      scans: state.scans.filter((s) => s.oid === oid),
    };
  }

  /** Stores a detection in the org's Insight history (what `detections.list` pages through). */
  addDetection(oid: string, options: AddDetectionOptions): FakeDetection {
    this.store.org(oid);
    const hostname =
      options.sid === undefined ? undefined : this.store.sensors.get(options.sid)?.hostname;
    return this.store.insight.addDetection(oid, hostname, options);
  }

  /** Stores an event of the sensor in Insight (what `sensor.events` pages through). */
  addSensorEvent(sid: string, options: AddSensorEventOptions): FakeEvent {
    const sensor = this.store.sensors.get(sid);
    if (!sensor) throw new Error(`fake LimaCharlie: unknown sensor ${sid}`);
    return this.store.insight.addEvent(sensor.oid, sid, sensor.hostname, options);
  }

  addAuditLog(oid: string, options: AddAuditLogOptions): FakeAuditEntry {
    this.store.org(oid);
    return this.store.insight.addAudit(oid, options);
  }

  /** Most items per Insight page (default 1000); restored by `reset()`. */
  get insightPageSize(): number {
    return this.store.insight.pageSize;
  }

  set insightPageSize(size: number) {
    if (!Number.isInteger(size) || size < 1) {
      throw new TypeError('fake LimaCharlie: insightPageSize must be an integer >= 1');
    }
    this.store.insight.pageSize = size;
  }

  /** An artifact `artifacts.list` finds and `artifacts.getUrl` serves inline. */
  addArtifact(oid: string, options: AddArtifactOptions = {}): FakeArtifact {
    this.store.org(oid);
    return this.store.collection.addArtifact(oid, options);
  }

  /** Artifacts per `artifacts.list` page (default 2); restored by `reset()`. */
  setArtifactPageSize(size: number): void {
    if (!Number.isInteger(size) || size < 1) {
      throw new TypeError('fake LimaCharlie: artifact page size must be an integer >= 1');
    }
    this.store.collection.artifactPageSize = size;
  }

  /** The JSON bodies the org's replay host received, in order. */
  get replayRequests(): readonly Record<string, unknown>[] {
    return this.store.collection.replayRequests;
  }

  private releaseHung(): void {
    for (const res of this.hung) res.socket?.destroy();
    this.hung.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://fake.invalid');
      const method = (req.method ?? 'GET').toUpperCase();
      const raw = await readBodyBytes(req);
      const body = raw.toString('utf8');
      const query = parseParams(url.search);
      const form = isForm(req) ? parseParams(body) : {};
      this.calls.push({
        method,
        path: url.pathname,
        query,
        form,
        body,
        headers: req.headers,
        timestamp: Date.now(),
      });

      if (this.drops.take(method, url.pathname)) {
        req.socket.destroy();
        return;
      }
      if (this.hangs.take(method, url.pathname)) {
        this.hung.add(res);
        res.on('close', () => this.hung.delete(res));
        return;
      }
      const fault = this.faults.take(method, url.pathname);
      if (fault) {
        send(
          res,
          fault.status,
          fault.body ?? { error: `injected HTTP ${fault.status}` },
          faultHeaders(fault),
        );
        return;
      }
      if (url.pathname.startsWith(FAKE_STORAGE_PREFIX)) {
        serveStorage(this.store.payloads, url.pathname, method, raw, res);
        return;
      }
      send(
        res,
        200,
        this.dispatch(method, url.pathname, query, form, req.headers.authorization, body),
      );
    } catch (err) {
      if (res.headersSent) return;
      if (err instanceof FakeHttpError) send(res, err.status, err.body);
      else send(res, 500, { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private dispatch(
    method: string,
    pathname: string,
    query: FakeParams,
    form: FakeParams,
    authorization: string | undefined,
    body: string,
  ): unknown {
    if (pathname === '/jwt' && method === 'POST') return this.exchangeJwt(form);
    const searchRoot = `${FAKE_SEARCH_PREFIX}/v1/`;
    const replayRoot = `${FAKE_REPLAY_PREFIX}/`;
    const host = pathname.startsWith(searchRoot)
      ? 'search'
      : pathname.startsWith(replayRoot)
        ? 'replay'
        : 'api';
    const root = host === 'search' ? searchRoot : host === 'replay' ? replayRoot : '/v1/';
    const relative = pathname.startsWith(root) ? pathname.slice(root.length) : undefined;
    let route: FakeRoute | undefined;
    let match: RegExpExecArray | null = null;
    if (relative !== undefined) {
      for (const candidate of ROUTES) {
        if (candidate.method !== method || (candidate.host ?? 'api') !== host) continue;
        match = candidate.pattern.exec(relative);
        if (match) {
          route = candidate;
          break;
        }
      }
    }
    if (!route || !match) throw errorReply(404, `unknown endpoint: ${method} ${pathname}`);
    const token = route.public ? ANONYMOUS : this.authenticate(authorization);
    return route.handle(this.context(token, match.slice(1), query, form, body));
  }

  /** The JWT service: `secret` must be a known key of `oid` (and carry its `uid`, if any). */
  private exchangeJwt(form: FakeParams): unknown {
    const secret = one(form, 'secret');
    const oid = one(form, 'oid');
    const key = secret === undefined ? undefined : this.store.apiKeys.get(secret);
    if (!key || key.oid !== oid || key.uid !== one(form, 'uid')) {
      throw errorReply(401, 'unknown api key');
    }
    const expiry = one(form, 'expiry');
    const exp =
      expiry !== undefined && /^\d+$/.test(expiry)
        ? Number(expiry)
        : Math.floor(Date.now() / 1000) + key.jwtTtlSeconds;
    return { jwt: this.store.mintToken(key, exp) };
  }

  private authenticate(authorization: string | undefined): FakeToken {
    const header = /^bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!header) throw errorReply(401, 'unauthorized: missing or malformed Authorization header');
    const token = this.store.tokens.get(header[1]);
    if (!token || token.state === 'revoked') throw errorReply(401, 'unauthorized: invalid token');
    if (
      token.state === 'expired' ||
      (token.expiresAt !== undefined && token.expiresAt <= Date.now())
    ) {
      throw errorReply(401, 'unauthorized: token expired');
    }
    return token;
  }

  private context(
    token: FakeToken,
    match: string[],
    query: FakeParams,
    form: FakeParams,
    body: string,
  ): RouteContext {
    const store = this.store;
    const lookup = (key: string): FakeParams => (key in form ? form : query);
    return {
      store,
      match,
      token,
      form,
      lastPageToken: this.lastPageToken,
      body,
      baseUrl: this.url,
      host: new URL(this.url).host,
      param: (key) => one(lookup(key), key),
      params: (key) => many(lookup(key), key),
      require: (permission) => {
        if (!token.perms.has(permission)) {
          throw errorReply(401, `unauthorized: missing permission ${permission}`);
        }
      },
      org: (oid) => {
        if (oid !== token.oid)
          throw errorReply(401, `unauthorized: token not valid for org ${oid}`);
        return store.org(oid);
      },
      sensor: (sid) => {
        const sensor = store.sensors.get(sid);
        if (!sensor || sensor.oid !== token.oid) throw errorReply(404, 'sensor not found');
        return sensor;
      },
      recordTask: (task) => {
        this.tasks.push(task);
        for (const hook of this.taskHooks) {
          try {
            hook(task);
          } catch (err) {
            const reason = err instanceof Error ? err.message : String(err);
            throw errorReply(500, `onTask hook failed: ${reason}`);
          }
        }
      },
    };
  }
}
