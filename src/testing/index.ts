export { signLcRequest, type SignedLcRequest } from './sign.js';
export {
  LcTestClient,
  TEST_OID,
  type LcSendEtype,
  type LcSendOptions,
  type LcServiceReplyBody,
  type LcTestClientOptions,
  type LcTestReply,
} from './lc-test-client.js';
export {
  LcExtTestClient,
  type LcExtReplyBody,
  type LcExtRequestOptions,
  type LcExtSendOptions,
  type LcExtTestClientOptions,
} from './lc-ext-test-client.js';
export {
  FakeLimaCharlie,
  FAKE_ALL_PERMISSIONS,
  type AddOrgOptions,
  type AddSensorOptions,
  type FakeCall,
  type FakeFault,
  type FakeLastPageToken,
  type FakeLimaCharlieOptions,
  type FakeMatch,
  type FakeOrgCredentials,
  type FakeParams,
  type FakeRule,
  type FakeSensor,
  type FakeTag,
  type FakeTask,
  type PutRuleOptions,
} from '@nestjs-lc-service/limacharlie/testing';
