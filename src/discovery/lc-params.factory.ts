import { LcParamtype } from '../decorators/lc-params.decorator.js';
import { lcCallOfArgs } from '../call/lc-execution-context.js';

/**
 * Maps the LC parameter decorators to values, for ExternalContextCreator. The call is the last
 * argument the dispatcher passes the invoker, so handlers `(lc, oid, request)` and task callbacks
 * `(lc, oid, event, job, ctx, request)` share one factory whatever their argument layout.
 */
export class LcParamsFactory {
  exchangeKeyForValue(type: number, data: unknown, args: readonly unknown[]): unknown {
    const call = lcCallOfArgs(args);
    if (call === undefined) return undefined;
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
      case LcParamtype.EVENT:
        return call.task?.event;
      case LcParamtype.JOB:
        return call.task?.job ?? null;
      case LcParamtype.TASK_CTX:
        return call.task?.ctx;
      default:
        return undefined;
    }
  }
}
