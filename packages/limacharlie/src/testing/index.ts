export {
  FAKE_SEARCH_PREFIX,
  FakeLimaCharlie,
  type FakeLimaCharlieOptions,
} from './fake-limacharlie.js';
export { FAKE_ALL_PERMISSIONS, FAKE_HIVES, FAKE_NAMESPACES } from './state.js';
export type {
  AddExtensionOptions,
  AddApiKeyOptions,
  AddOrgOptions,
  AddSensorOptions,
  FakeCall,
  FakeExtension,
  FakeExtensionRequest,
  FakeInsightObject,
  FakeSearchEvent,
  FakeFault,
  FakeHiveRecord,
  FakeLastPageToken,
  FakeMatch,
  FakeOrgCredentials,
  FakeOrgError,
  FakeParams,
  FakeRule,
  FakeSensor,
  FakeTag,
  FakeTask,
  PutHiveRecordOptions,
  PutRuleOptions,
} from './types.js';
export type {
  AddAuditLogOptions,
  AddDetectionOptions,
  AddSensorEventOptions,
  FakeAuditEntry,
  FakeDetection,
  FakeEvent,
} from './insight-state.js';
export type { AddArtifactOptions, FakeArtifact } from './state-collection.js';
export { FAKE_REPLAY_PREFIX } from './routes-collection.js';
export type { AddJobOptions, FakeJob } from './state-jobs.js';
export type { FakePayload } from './state-payloads.js';
export type { AddInstallationKeyOptions, FakeInstallationKey } from './state-installation-keys.js';
export type { FakeYaraRule, FakeYaraScan } from './state-yara.js';
