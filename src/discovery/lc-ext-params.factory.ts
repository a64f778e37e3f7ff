import { LcExtCall } from '../call/lc-ext-call.js';
import { LcParamtype } from '../decorators/lc-params.decorator.js';

/**
 * Maps the LC parameter decorators to an Extension call's values, for ExternalContextCreator.
 * The call is the invoker's last argument.
 */
export class LcExtParamsFactory {
  exchangeKeyForValue(type: number, data: unknown, args: readonly unknown[]): unknown {
    const call = args[args.length - 1];
    if (!(call instanceof LcExtCall)) return undefined;
    switch (type as LcParamtype) {
      case LcParamtype.CLIENT:
        return call.client;
      case LcParamtype.OID:
        return call.oid;
      case LcParamtype.DATA: {
        const source = (call.params ?? call.data) as Record<string, unknown>;
        return typeof data === 'string' ? source[data] : source;
      }
      case LcParamtype.CONFIG:
        return call.configDto ?? call.config;
      case LcParamtype.REQUEST:
        return call;
      default:
        return undefined;
    }
  }
}
