/** Shapes of LimaCharlie REST responses and inputs (reference/limacharlie-api.md §2). */

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type HttpMethod = 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';

/** `general`, `managed` and `replicant` are the namespaces the legacy rules endpoint knows. */
export type DrNamespace = 'general' | 'managed' | 'replicant' | (string & {});

/** `GET who`: an org/machine token carries `orgs`+`perms`, a user token `user_perms`. */
export interface WhoAmI {
  ident?: string;
  orgs?: string[];
  perms?: string[];
  user_perms?: Record<string, string[]>;
  [key: string]: unknown;
}

export interface OrgInfo {
  oid: string;
  name?: string;
  sensor_version?: string;
  latest_versions?: Record<string, unknown>;
  n_outputs?: number;
  n_installation_keys?: number;
  n_rules?: number;
  sensor_quota?: number;
  [key: string]: unknown;
}

/** Platform codes found in `SensorInfo.plat`. */
export const SensorPlatform = {
  windows: 0x10000000,
  linux: 0x20000000,
  macos: 0x30000000,
  ios: 0x40000000,
  android: 0x50000000,
  chromeos: 0x60000000,
} as const;

export interface SensorInfo {
  sid: string;
  oid?: string;
  iid?: string;
  did?: string;
  plat?: number;
  arch?: number;
  enroll?: string;
  alive?: string;
  int_ip?: string;
  ext_ip?: string;
  hostname?: string;
  isolated?: boolean;
  is_isolated?: boolean;
  should_isolate?: boolean;
  kernel?: boolean;
  [key: string]: unknown;
}

/** `GET {sid}`: `online` is `{}` when offline and may be `{error}` when the state is unknown. */
export interface SensorDetails {
  info: SensorInfo;
  online: Record<string, unknown>;
  is_online?: boolean;
  [key: string]: unknown;
}

export interface SensorListFilters {
  /** Page size asked of the API (the iterator still walks every page). */
  limit?: number;
  /** Sensor selector expression, evaluated by LimaCharlie. */
  selector?: string;
  withIp?: string;
  withHostnamePrefix?: string;
  onlineOnly?: boolean;
}

/** The `@LcTaskCallback` a tracked task's reply goes to: the method itself, or its name. */
export type TaskCallbackRef = string | ((...args: never[]) => unknown);

export interface TrackedTaskOptions {
  callback: TaskCallbackRef;
  /** The job the callback continues; it receives `new Job(job.getId())`. */
  job?: { getId(): string };
  /** JSON-able context for the callback (at most 512 bytes of JSON). */
  ctx?: unknown;
}

export interface TaskOptions extends Partial<TrackedTaskOptions> {
  /** An explicit investigation id; not allowed together with `callback`. */
  investigationId?: string;
}

/** Turns a tracked task into its investigation id. `LcServiceModule` provides it when `interactive` is on. */
export interface TaskTracker {
  /** `target`: the org and sensor tasked; the id is accepted in their replies only. */
  investigationId(task: TrackedTaskOptions, target: { oid: string; sid: string }): string;
}

export interface TagAddOptions {
  /** Seconds until LimaCharlie removes the tag; permanent when omitted. */
  ttl?: number;
}

/** A rule as `GET rules/{oid}` returns it. */
export interface DrRule {
  name?: string;
  namespace?: DrNamespace;
  detect: JsonObject;
  respond: JsonValue[];
  is_enabled?: boolean;
  [key: string]: unknown;
}

export interface DrRuleContent {
  detect: JsonObject;
  respond: JsonValue[];
}

export interface DrRuleSetOptions {
  namespace?: DrNamespace;
  /** Overwrite an existing rule of the same name (default false, as in the SDK). */
  replace?: boolean;
  enabled?: boolean;
  /** Seconds until LimaCharlie deletes the rule; sent as `expire_on` in epoch seconds like py. */
  ttl?: number;
}

export interface DrRuleDeleteOptions {
  namespace?: DrNamespace;
  /** Resolve when the rule is already gone (404 `RECORD_NOT_FOUND`) instead of failing. */
  missingOk?: boolean;
}

/** `POST rules/{oid}` answers with the Hive record that now backs the rule. */
export interface DrRuleWriteResult {
  guid?: string;
  hive?: { name: string; partition: string };
  name?: string;
  [key: string]: unknown;
}

/** One desired rule for `rules.sync`; `namespace` defaults to the sync's namespace, else general. */
export interface DrRuleDefinition extends DrRuleContent {
  namespace?: DrNamespace;
}

export type DrRuleSet = Record<string, DrRuleDefinition>;

export interface RuleSyncOptions {
  /**
   * Namespace for rules that name none. When given, `force` only sweeps this namespace, so a
   * token that can also list `general` cannot delete the org's own rules there.
   */
  namespace?: DrNamespace;
  /** Delete existing rules absent from the desired set (never `__*` rules). */
  force?: boolean;
  /** Compute the result without writing anything. */
  dryRun?: boolean;
}

export interface RuleSyncResult {
  /** Did not exist in any listable namespace. */
  added: string[];
  /** Existed but differed in detect/respond or lived in another namespace. */
  replaced: string[];
  removed: string[];
  unchanged: string[];
}

export interface OutputConfig {
  name: string;
  module: string;
  [key: string]: unknown;
}

export type FormScalar = string | number | boolean;
/** A request parameter: arrays become repeated keys, objects JSON strings, null/undefined are dropped. */
export type FormValue =
  FormScalar | JsonObject | readonly (FormScalar | JsonObject)[] | null | undefined;
export type FormParams = Record<string, FormValue>;

/** Emitted once per HTTP attempt, for metrics; `operation` never contains an id. */
export interface ApiCallEvent {
  operation: string;
  method: HttpMethod;
  /** HTTP status, or 0 when no response came back (network error, timeout, deadline). */
  status: number;
  durationMs: number;
  attempt: number;
}

/** A D&R rule read through its Hive record (`dr-{namespace}`), as py's `DRRules.get` returns it. */
export interface DrRuleRecord {
  data: DrRuleContent & Record<string, unknown>;
  usr_mtd: {
    enabled?: boolean;
    /** Epoch milliseconds. */
    expiry?: number;
    tags?: string[];
    comment?: string;
    [key: string]: unknown;
  };
  sys_mtd: { etag?: string; [key: string]: unknown };
}

/** The Hive namespace of a rule: `general` (default), `managed` or `service`. */
export interface DrRuleHiveOptions {
  namespace?: DrNamespace;
}

/** `GET orgs/{oid}/url`: service hosts, usually without a scheme (callers prepend `https://`). */
export interface OrgUrls {
  lc?: string;
  lc_wss?: string;
  edr?: string;
  logs?: string;
  artifacts?: string;
  replay?: string;
  live?: string;
  hooks?: string;
  search?: string;
  [key: string]: unknown;
}

/** `GET errors/{oid}`: the current error of each component that has one. */
export type OrgErrors = Record<string, unknown>;

/** `GET orgs/{oid}/schema`: the event types (`evt:NEW_PROCESS`, ...) seen in the org. */
export interface OrgSchemas {
  event_types?: string[];
  [key: string]: unknown;
}
