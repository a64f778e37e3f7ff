/**
 * Names the root exported before the client became a package of its own and the root's API was
 * curated. They keep working until 1.0; editors show each as deprecated with where it lives now.
 */
import * as sdk from '@nestjs-lc-service/limacharlie';
import * as protocol from './protocol/index.js';

/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export const Sensor = sdk.Sensor;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type Sensor = sdk.Sensor;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export const SensorsApi = sdk.SensorsApi;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type SensorsApi = sdk.SensorsApi;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export const SensorTags = sdk.SensorTags;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type SensorTags = sdk.SensorTags;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export const OrgApi = sdk.OrgApi;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type OrgApi = sdk.OrgApi;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export const OutputsApi = sdk.OutputsApi;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type OutputsApi = sdk.OutputsApi;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export const RulesApi = sdk.RulesApi;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type RulesApi = sdk.RulesApi;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export const DEFAULT_API_URL = sdk.DEFAULT_API_URL;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export const DEFAULT_TIMEOUT_MS = sdk.DEFAULT_TIMEOUT_MS;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export const DEFAULT_MAX_ATTEMPTS = sdk.DEFAULT_MAX_ATTEMPTS;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export const DEFAULT_MAX_RESPONSE_BYTES = sdk.DEFAULT_MAX_RESPONSE_BYTES;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export const DEFAULT_BACKOFF = sdk.DEFAULT_BACKOFF;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export const parseRuleSet = sdk.parseRuleSet;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export const effectivePermissions = sdk.effectivePermissions;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export const SensorPlatform = sdk.SensorPlatform;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type BackoffOptions = sdk.BackoffOptions;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type RuleSetInput = sdk.RuleSetInput;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type DrNamespace = sdk.DrNamespace;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type DrRuleDeleteOptions = sdk.DrRuleDeleteOptions;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type DrRuleSetOptions = sdk.DrRuleSetOptions;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type DrRuleWriteResult = sdk.DrRuleWriteResult;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type FormParams = sdk.FormParams;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type FormScalar = sdk.FormScalar;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type FormValue = sdk.FormValue;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type HttpMethod = sdk.HttpMethod;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type JsonObject = sdk.JsonObject;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type JsonValue = sdk.JsonValue;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type SensorListFilters = sdk.SensorListFilters;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type TagAddOptions = sdk.TagAddOptions;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type TaskCallbackRef = sdk.TaskCallbackRef;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type TaskTracker = sdk.TaskTracker;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type TrackedTaskOptions = sdk.TrackedTaskOptions;
/** @deprecated Import it from '@nestjs-lc-service/limacharlie'. */
export type LcApiErrorDetails = sdk.LcApiErrorDetails;
/** @deprecated Import it from 'nestjs-lc-service/protocol'. */
export const SIGNATURE_HEADER = protocol.SIGNATURE_HEADER;
/** @deprecated Import it from 'nestjs-lc-service/protocol'. */
export const signBody = protocol.signBody;
/** @deprecated Import it from 'nestjs-lc-service/protocol'. */
export const CRON_ETYPES = protocol.CRON_ETYPES;
/** @deprecated Import it from 'nestjs-lc-service/protocol'. */
export const HANDLER_ETYPES = protocol.HANDLER_ETYPES;
