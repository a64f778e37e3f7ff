import { LcParamtype } from '../decorators/lc-params.decorator.js';
import type { LcCall } from './lc-request.js';

/** The arguments every LC handler is invoked with: the RI's `(lc, oid, request)`. */
export type LcHandlerArgs = [lc: unknown, oid: string | undefined, request: LcCall];

/** Maps `@LcClient() @LcOid() @LcSid() @LcData() @LcReq()` to values, for ExternalContextCreator. */
export class LcParamsFactory {
  exchangeKeyForValue(type: number, data: unknown, args: LcHandlerArgs): unknown {
    const call = args[2];
    switch (type as LcParamtype) {
      case LcParamtype.CLIENT:
        return call.client;
      case LcParamtype.OID:
        return call.oid;
      case LcParamtype.SID:
        return call.sid;
      case LcParamtype.DATA: {
        // The handler's DTO when it declares one, so a property is its transformed value too.
        const source = (call.params ?? call.data) as Record<string, unknown>;
        return typeof data === 'string' ? source[data] : source;
      }
      case LcParamtype.REQUEST:
        return call;
      default:
        return undefined;
    }
  }
}
