export { signLcRequest, type SignedLcRequest } from './sign.js';
export {
  LcTestClient,
  TEST_OID,
  type LcSendOptions,
  type LcTestClientOptions,
  type LcTestReply,
} from './lc-test-client.js';
export * from './fake-limacharlie/index.js';
