export { LcServiceModule } from './lc-service.module.js';
export { LC_ASYNC_OPTIONS_TYPE, LC_OPTIONS_TYPE } from './lc-service.module-definition.js';
export {
  LcConfigError,
  type LcClientFactory,
  type LcLimaCharlieOptions,
  type LcServiceModuleOptions,
  type ResolvedLcOptions,
} from './lc-service.options.js';
export { LC_CONTEXT_TYPE, LC_OPTIONS } from './lc-service.constants.js';
export { isLcContext, getLcRequest } from './dispatcher/lc-execution-context.js';
export {
  LcHandler,
  LcCron,
  type LcDetectionHandlerOptions,
  type LcRequestHandlerOptions,
} from './decorators/lc-handler.decorator.js';
export { LcCommand, type LcCommandOptions } from './decorators/lc-command.decorator.js';
export { LcParam, type LcParamOptions } from './params/lc-param.decorator.js';
export { IsSid, isSid, IS_SID } from './params/is-sid.decorator.js';
export type { LcCommandDescriptor } from './params/handler-params.js';
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
export { LcTaskCallback } from './interactive/lc-task-callback.decorator.js';
export { LcInteractive, type LcRuleStep } from './interactive/lc-interactive.js';
export { LcTaskError, MAX_CTX_BYTES } from './interactive/investigation-id.js';
export { interactiveRule } from './interactive/interactive-rule.js';
export type { LcRequest } from './dispatcher/lc-request.js';
export { LcContext } from './dispatcher/lc-context.js';
export { LcDispatcher } from './dispatcher/lc-dispatcher.js';
export type { LcHttpReply } from './dispatcher/lc-http-reply.js';
export { LcService } from './service/lc.service.js';
export {
  LcTimeoutError,
  type ParallelExecOptions,
  type ParallelExResult,
  type ParallelFn,
} from './service/parallel.js';
export type { LcTimerHandle } from './service/timers.js';
export type { LcHealthMtd } from './health/lc-health.js';
export type { LcProbeOptions } from './health/probe-options.js';
export type { LcMetricsOptions } from './metrics/metrics-options.js';
export type { LcCallOutcome } from './metrics/lc-metrics.js';
export { LcIdempotent } from './idempotency/lc-idempotent.decorator.js';
export type { LcIdempotencyOptions } from './idempotency/idempotency-options.js';
export type { LcIdempotencyRecord, LcIdempotencyStore } from './idempotency/idempotency-store.js';
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
export {
  createLcCloudFunction,
  type LcCloudFunction,
  type LcCloudFunctionOptions,
} from './serverless/lc-cloud-function.js';
export { LcError } from './protocol/lc-error.js';
export {
  LcResponse,
  lcResponse,
  type LcResponseInit,
  type LcWireResponse,
  type LcJobLike,
} from './protocol/response.js';
export {
  CRON_ETYPES,
  HANDLER_ETYPES,
  type LcCronEtype,
  type LcEtype,
  type LcHandlerEtype,
} from './protocol/etypes.js';
export { SIGNATURE_HEADER, signBody } from './protocol/signature.js';
export type {
  LcRequestParamDef,
  LcRequestParamDefs,
  LcRequestParamType,
} from './protocol/request-params.js';
export type { LcResourceContent } from './protocol/resources.js';
export * from './limacharlie/index.js';
export * from './jobs/index.js';
