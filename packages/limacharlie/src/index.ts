export {
  DEFAULT_API_URL,
  DEFAULT_JWT_URL,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  LimaCharlieClient,
  type LimaCharlieClientOptions,
} from './client.js';
export { LcApiError, LcAuthError, type LcApiErrorDetails, type LcApiErrorKind } from './errors.js';
export { effectivePermissions } from './identity.js';
export { OrgApi } from './org.js';
export { OutputsApi } from './outputs.js';
export { DEFAULT_BACKOFF, type BackoffOptions } from './retry.js';
export { RulesApi } from './rules.js';
export { parseRuleSet, type RuleSetInput } from './rules-sync.js';
export { Sensor, SensorTags, SensorsApi } from './sensors.js';
export { SensorPlatform } from './types.js';
export {
  HiveApi,
  type HiveRecord,
  type HiveSetOptions,
  type HiveUpdateFn,
  type HiveUpdateOptions,
  type HiveWriteResult,
} from './hive.js';
export { SecretsApi } from './secrets.js';
export type {
  ApiCallEvent,
  DrNamespace,
  DrRule,
  DrRuleContent,
  DrRuleDefinition,
  DrRuleDeleteOptions,
  DrRuleSet,
  DrRuleSetOptions,
  DrRuleWriteResult,
  FormParams,
  FormScalar,
  FormValue,
  HttpMethod,
  JsonObject,
  JsonValue,
  OrgErrors,
  OrgInfo,
  OrgSchemas,
  OrgUrls,
  OutputConfig,
  RuleSyncOptions,
  RuleSyncResult,
  SensorDetails,
  SensorInfo,
  SensorListFilters,
  TagAddOptions,
  TaskCallbackRef,
  TaskOptions,
  TaskTracker,
  TrackedTaskOptions,
  WhoAmI,
} from './types.js';
export { AuditLogsApi, DetectionsApi } from './detections.js';
export { TagsApi, type MassTagResult, type MassUntagResult } from './tags.js';
export type { HostnameMatch } from './sensors.js';
export type { InsightRange } from './insight-pages.js';
export type {
  AuditLogEntry,
  AuditLogListOptions,
  Detection,
  DetectionListOptions,
  EventRouting,
  InsightEvent,
  SensorEventsOptions,
} from './insight-types.js';
export {
  ExtensionsApi,
  type ExtensionRequestOptions,
  type ExtensionResponse,
  type ExtensionSchema,
  type ExtensionSubscriptions,
} from './extensions.js';
export {
  InsightApi,
  type BatchSearchOptions,
  type BatchSearchResult,
  type InsightInfo,
  type InsightLocation,
  type InsightObjectType,
  type IocSearchOptions,
  type IocSearchResult,
} from './insight.js';
export {
  SearchApi,
  type SearchEstimateRange,
  type SearchExecuteOptions,
  type SearchRange,
  type SearchResult,
  type SearchRow,
  type SearchStream,
  type SearchValidation,
} from './search.js';
export type { DrRuleHiveOptions, DrRuleRecord } from './types.js';
export {
  ArtifactsApi,
  type Artifact,
  type ArtifactListOptions,
  type ArtifactOriginal,
  type ArtifactPage,
  type ArtifactRule,
} from './artifacts.js';
export {
  ExfilApi,
  IntegrityApi,
  LoggingRulesApi,
  type ExfilWatchOptions,
  type IntegrityRuleOptions,
  type LoggingRuleOptions,
  type ServiceAnswer,
  type ServiceRule,
  type ServiceRules,
} from './service-rules.js';
export {
  ReplayApi,
  type ReplayEvent,
  type ReplayLimits,
  type ReplayResult,
  type ReplayRuleContent,
  type ReplayRunOptions,
  type ReplayScanOptions,
} from './replay.js';
export { FpRulesApi } from './fp-rules.js';
export { JobsApi, type JobListOptions, type JobWaitOptions, type LcJob } from './jobs.js';
export { PayloadsApi, type LcPayload } from './payloads.js';
export {
  InstallationKeysApi,
  type InstallationKeyCreateOptions,
  type LcInstallationKey,
} from './installation-keys.js';
export { YaraApi, type YaraAnswer, type YaraRuleOptions, type YaraScanOptions } from './yara.js';
