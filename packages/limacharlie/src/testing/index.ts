export { FakeLimaCharlie, type FakeLimaCharlieOptions } from './fake-limacharlie.js';
export { FAKE_ALL_PERMISSIONS, FAKE_HIVES, FAKE_NAMESPACES } from './state.js';
export type {
  AddApiKeyOptions,
  AddOrgOptions,
  AddSensorOptions,
  FakeCall,
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
