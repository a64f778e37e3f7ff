import type { ArgumentsHost } from '@nestjs/common';
import { LC_CONTEXT_TYPE } from '../lc-service.constants.js';
import { LcExtCall, type LcExtRequest } from './lc-ext-call.js';
import { LcCall, type LcRequest } from './lc-request.js';

/**
 * True when a guard, interceptor or pipe runs for an LC handler. Global HTTP enhancers also run
 * there: use this to skip HTTP-only logic.
 */
export function isLcContext(host: ArgumentsHost): boolean {
  return host.getType<string>() === LC_CONTEXT_TYPE;
}

/**
 * The call an LC invoker was given: always its last argument (`(lc, oid, request)` for
 * handlers, `(lc, oid, event, job, ctx, request)` for task callbacks), so guards, pipes and
 * parameter decorators read it without `AsyncLocalStorage`.
 */
export function lcCallOfArgs(args: readonly unknown[]): LcCall | undefined {
  const last = args[args.length - 1];
  return last instanceof LcCall ? last : undefined;
}

/** The call of an LC handler's execution context, of either protocol. */
function callOf(host: ArgumentsHost, reader: string): LcCall | LcExtCall {
  if (!isLcContext(host)) {
    throw new Error(`${reader}: this execution context is '${host.getType()}', not an LC handler`);
  }
  const args = host.getArgs();
  const last = args[args.length - 1];
  if (last instanceof LcCall || last instanceof LcExtCall) return last;
  throw new Error(`${reader}: no LimaCharlie call is being handled`);
}

/** True when a guard, interceptor or pipe runs for an `LcExtensionModule` handler. */
export function isLcExtContext(host: ArgumentsHost): boolean {
  if (!isLcContext(host)) return false;
  const args = host.getArgs();
  return args[args.length - 1] instanceof LcExtCall;
}

/** The `LcRequest` of an `LcServiceModule` handler's (or task callback's) execution context. */
export function getLcRequest(host: ArgumentsHost): LcRequest {
  const call = callOf(host, 'getLcRequest');
  if (call instanceof LcCall) return call;
  throw new Error(
    `getLcRequest: '${call.eventType}' is an Extension call: read it with getLcExtRequest(ctx) (isLcExtContext(ctx) tells them apart)`,
  );
}

/** The `LcExtRequest` of an `LcExtensionModule` handler's execution context. */
export function getLcExtRequest(host: ArgumentsHost): LcExtRequest {
  const call = callOf(host, 'getLcExtRequest');
  if (call instanceof LcExtCall) return call;
  throw new Error(
    `getLcExtRequest: '${call.eventType}' is an LcServiceModule call: read it with getLcRequest(ctx) (isLcExtContext(ctx) tells them apart)`,
  );
}
