/**
 * `nestjs-lc-service/protocol`: both protocols' signatures, etypes and message constants, for tools that talk
 * to a service without running Nest (the simulator, scripts). Nothing here imports Nest.
 */
export {
  CRON_ETYPES,
  HANDLER_ETYPES,
  isOrglessEtype,
  type LcCronEtype,
  type LcEtype,
  type LcHandlerEtype,
} from './service/etypes.js';
export { SIGNATURE_HEADER, signBody } from './service/signature.js';
export { EXT_SIGNATURE_HEADER } from './extension/signature.js';
export {
  EXT_EVENT_NAMES,
  EXT_PROTOCOL_VERSION,
  type LcExtWireContinuation,
  type LcExtWireResponse,
} from './extension/messages.js';
