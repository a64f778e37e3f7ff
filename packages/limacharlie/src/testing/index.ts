export {
  FAKE_SEARCH_PREFIX,
  FakeLimaCharlie,
  type FakeLimaCharlieOptions,
} from './fake-limacharlie.js';
export { FAKE_ALL_PERMISSIONS, FAKE_NAMESPACES } from './state.js';
export type {
  AddExtensionOptions,
  AddOrgOptions,
  AddSensorOptions,
  FakeCall,
  FakeExtension,
  FakeExtensionRequest,
  FakeInsightObject,
  FakeSearchEvent,
  FakeFault,
  FakeLastPageToken,
  FakeMatch,
  FakeOrgCredentials,
  FakeParams,
  FakeRule,
  FakeSensor,
  FakeTag,
  FakeTask,
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
