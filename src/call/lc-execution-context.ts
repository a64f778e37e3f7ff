import type { ArgumentsHost } from '@nestjs/common';
import { LC_CONTEXT_TYPE } from '../lc-service.constants.js';
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

/** The `LcRequest` of an LC handler's (or task callback's) execution context. */
export function getLcRequest(host: ArgumentsHost): LcRequest {
  if (!isLcContext(host)) {
    throw new Error(
      `getLcRequest: this execution context is '${host.getType()}', not an LC handler`,
    );
  }
  const call = lcCallOfArgs(host.getArgs());
  if (call === undefined) throw new Error('getLcRequest: no LimaCharlie call is being handled');
  return call;
}
