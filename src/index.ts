// The package's public surface: every name here is documented in docs/reference/. Internals
// (the dispatcher, tokens, resolved options) stay unexported; tests reach them by path.
export { LcServiceModule } from './lc-service.module.js';
export { LcExtensionModule } from './lc-extension.module.js';
export type { LcExtensionModuleOptions, LcExtViewOptions } from './options/extension-options.js';
export { LcConfigError } from './options/lc-config-error.js';
export type {
  LcClientFactory,
  LcLimaCharlieOptions,
  LcServiceModuleOptions,
} from './options/lc-service.options.js';
export type { LcInteractiveOptions } from './options/interactive-options.js';
export type { LcProbeOptions } from './options/probe-options.js';
export type { LcMetricsOptions, LcPromRegistry } from './options/metrics-options.js';
export type { LcOpenTelemetryOptions, LcTracer } from './options/telemetry-options.js';
export type { LcIdempotencyOptions } from './options/idempotency-options.js';
export type { LcIdempotencyRecord, LcIdempotencyStore } from './options/idempotency-store.js';

// Decorators.
export {
  LcHandler,
  LcCron,
  type LcDetectionHandlerOptions,
  type LcRequestHandlerOptions,
} from './decorators/lc-handler.decorator.js';
export { LcCommand, type LcCommandOptions } from './decorators/lc-command.decorator.js';
export { LcResource, type LcResourceOptions } from './decorators/lc-resource.decorator.js';
export {
  LcClient,
  LcOid,
  LcSid,
  LcData,
  LcReq,
  LcEvent,
  LcJob,
  LcTaskCtx,
} from './decorators/lc-params.decorator.js';
export { LcParam, type LcParamOptions } from './params/lc-param.decorator.js';
export {
  LcAction,
  LcExtensionEvent,
  LcConfigValidator,
  LcErrorReport,
  LcConfig,
  type LcActionOptions,
} from './decorators/lc-extension.decorators.js';
export { IsSid, isSid } from './params/is-sid.decorator.js';
export {
  LcField,
  LcSchema,
  type LcComplexEnumValue,
  type LcExtDataType,
  type LcFieldFilter,
  type LcFieldOptions,
  type LcRecordKey,
  type LcSchemaOptions,
} from './decorators/lc-field.decorator.js';
export { LcTaskCallback } from './interactive/lc-task-callback.decorator.js';
export { LcIdempotent } from './idempotency/lc-idempotent.decorator.js';

// The call: `@LcReq()` in handlers; `getLcRequest(ctx)` in guards, pipes and interceptors.
export type { LcRequest } from './call/lc-request.js';
export type { LcExtRequest } from './call/lc-ext-call.js';
export type { LcExtEventName, LcExtMessageKind } from './protocol/extension/messages.js';
export {
  isLcContext,
  isLcExtContext,
  getLcRequest,
  getLcExtRequest,
} from './call/lc-execution-context.js';
export { LcContext } from './call/lc-context.js';
export { LC_CONTEXT_TYPE } from './lc-service.constants.js';
export type { LcCronEtype, LcEtype, LcHandlerEtype } from './protocol/service/etypes.js';

// What handlers return and throw.
export { lcResponse, type LcResponseInit } from './protocol/service/response.js';
export { LcError } from './protocol/lc-error.js';
export {
  lcExtResponse,
  type LcExtContinuation,
  type LcExtResponseInit,
} from './protocol/extension/response.js';
export { LcTaskError } from './interactive/investigation-id.js';
export { interactiveRule } from './interactive/interactive-rule.js';
export * from './jobs/index.js';

// Helpers and operations.
export { LcService } from './service/lc.service.js';
export {
  LcTimeoutError,
  type ParallelExecOptions,
  type ParallelExResult,
  type ParallelFn,
} from './service/parallel.js';
export type { LcTimerHandle } from './service/timers.js';
export {
  LcMemoryIdempotencyStore,
  type LcMemoryIdempotencyStoreOptions,
} from './idempotency/memory-idempotency-store.js';
export {
  LcRedisIdempotencyStore,
  type LcRedisIdempotencyStoreOptions,
  type LcRedisLike,
} from './idempotency/redis-idempotency-store.js';
export { LcGcpLogger, type LcGcpLoggerOptions } from './logging/lc-gcp-logger.js';
export { lcLogFields, type LcLogFields } from './logging/lc-log-fields.js';
export {
  createLcCloudFunction,
  type LcCloudFunction,
  type LcCloudFunctionOptions,
} from './serverless/lc-cloud-function.js';

// The LimaCharlie client handlers receive; the whole SDK is @nestjs-lc-service/limacharlie.
export {
  LimaCharlieClient,
  LcApiError,
  LcAuthError,
  type LimaCharlieClientOptions,
  type LcApiErrorKind,
  type ApiCallEvent,
  type DrRule,
  type DrRuleContent,
  type DrRuleDefinition,
  type DrRuleSet,
  type OrgInfo,
  type OutputConfig,
  type RuleSyncOptions,
  type RuleSyncResult,
  type SensorDetails,
  type SensorInfo,
  type TaskOptions,
  type WhoAmI,
} from '@nestjs-lc-service/limacharlie';
export * from './deprecated.js';
