import type { LcDtoParams } from '../params/dto-validation.js';

/**
 * Handlers are invoked `(lc, oid, request)`, task callbacks `(lc, oid, event, job, ctx)`. The
 * result is the handler's value, or a promise of it while the handler runs: a handler that
 * returned synchronously is answered without waiting on a promise. It is never a thenable or an
 * Observable (those are awaited into a promise), and a synchronous throw may be thrown.
 */
export type LcInvoke = (...args: unknown[]) => unknown;

/** One discovered handler method, ready to call. */
export interface LcHandlerEntry {
  /** `Class.method`, for errors and logs. */
  readonly name: string;
  readonly etype: string;
  readonly invoke: LcInvoke;
  /**
   * No LC parameter decorators: called like the Python RI, `(lc, oid, request)`, with the client
   * built, unless the method declares no parameters at all (then `lc` is null).
   */
  readonly wantsClientArg: boolean;
  /** Gets the client (`@LcClient()` or the plain `lc`): a failure reading null is explained. */
  readonly usesClient?: boolean;
  /** The `params` / `args` DTO, validated and built before the handler runs. */
  readonly params?: LcDtoParams;
  /** A redelivered `mid` gets the first delivery's answer (`@LcIdempotent`, option `idempotency`). */
  readonly idempotent?: boolean;
}
