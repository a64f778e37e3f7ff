/**
 * `nestjs-lc-service/protocol`: the Service protocol's signature and etypes, for tools that talk
 * to a service without running Nest (the simulator, scripts). Nothing here imports Nest.
 */
export {
  CRON_ETYPES,
  HANDLER_ETYPES,
  type LcCronEtype,
  type LcEtype,
  type LcHandlerEtype,
} from './service/etypes.js';
export { SIGNATURE_HEADER, signBody } from './service/signature.js';
