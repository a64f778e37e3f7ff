import type { ExternalContextCreator } from '@nestjs/core';
import { isObservable, lastValueFrom } from 'rxjs';
import type { LcInvoke } from '../call/lc-handler-entry.js';
import {
  argsOf,
  LC_ARGS_METADATA,
  nestEnhancersApply,
  type LcArgMetadata,
} from '../decorators/nest-metadata.js';
import { LcParamtype } from '../decorators/lc-params.decorator.js';
import { LC_CONTEXT_TYPE } from '../lc-service.constants.js';

const INVOKER_OPTIONS = { guards: true, interceptors: true, filters: false };

/** The values an LC parameter decorator asks for, computed per call from the invoker's arguments. */
type ParamsFactory = Parameters<ExternalContextCreator['create']>[4];

export interface LcMethodInvoker {
  callback: (...args: unknown[]) => unknown;
  /** The method behind Nest's guards, pipes and interceptors. */
  invoke: LcInvoke;
  /**
   * No LC parameter decorators: the method declares no arguments of its own, so it is called in
   * the protocol's plain convention (the Python RI's `(lc, oid, request)` for services).
   */
  plain: boolean;
  /**
   * The method's parameter list is empty and it does not read `arguments`: nothing it can see
   * would use a client, so a plain call passes null in its place and builds none.
   */
  takesNoArgs: boolean;
  /** Gets the call's LimaCharlie client: `@LcClient()`, or the plain convention's `lc`. */
  usesClient: boolean;
}

const EMPTY_PARAMETER_LIST = /^[^(]*\(\s*\)/;

function takesNoArgs(method: (...args: unknown[]) => unknown): boolean {
  if (method.length > 0) return false;
  const source = Function.prototype.toString.call(method);
  return EMPTY_PARAMETER_LIST.test(source) && !/\barguments\b/.test(source);
}

/** One ExternalContextCreator invoker per method, for both protocols' handlers. */
export function methodInvoker(
  contextCreator: ExternalContextCreator,
  paramsFactory: ParamsFactory,
  instance: object,
  methodName: string,
): LcMethodInvoker {
  const proto = Object.getPrototypeOf(instance) as Record<string, (...args: unknown[]) => unknown>;
  const callback = proto[methodName];
  const args = argsOf(instance.constructor, methodName);
  const invoke = nestEnhancersApply(contextCreator, instance, callback, args)
    ? (contextCreator.create(
        instance as Record<string, unknown>,
        callback,
        methodName,
        LC_ARGS_METADATA,
        paramsFactory,
        undefined,
        undefined,
        INVOKER_OPTIONS,
        LC_CONTEXT_TYPE,
      ) as unknown as LcInvoke)
    : directInvoke(paramsFactory, instance, callback, args);
  const clientKey = `${LcParamtype.CLIENT}:`;
  const plain = args === undefined;
  const noArgs = takesNoArgs(callback);
  return {
    callback,
    invoke,
    plain,
    takesNoArgs: noArgs,
    usesClient: plain ? !noArgs : Object.keys(args).some((key) => key.startsWith(clientKey)),
  };
}

/**
 * What ExternalContextCreator's invoker does when no guard, interceptor or pipe applies (see
 * nestEnhancersApply), without its per-call promises: the LC parameters' values in their places
 * (or, with none, the invoker's own arguments), a promise's or an Observable's value awaited. A
 * plain value is returned as it is (see `LcInvoke`).
 */
function directInvoke(
  paramsFactory: ParamsFactory,
  instance: object,
  callback: (...args: unknown[]) => unknown,
  args: Record<string, LcArgMetadata> | undefined,
): LcInvoke {
  if (args === undefined || Object.keys(args).length === 0) {
    return (...invokerArgs) => settle(callback.apply(instance, invokerArgs));
  }
  const params = Object.entries(args).map(([key, { index, data }]) => ({
    index,
    type: Number(key.slice(0, key.indexOf(':'))),
    data,
  }));
  const length = Math.max(...params.map((param) => param.index)) + 1;
  return (...invokerArgs) => {
    const values = new Array<unknown>(length).fill(undefined);
    for (const { index, type, data } of params) {
      values[index] = paramsFactory!.exchangeKeyForValue(type, data as never, invokerArgs);
    }
    return settle(callback.apply(instance, values));
  };
}

/** What `await result` would give, then an Observable's last value, as Nest's invoker does. */
function settle(result: unknown): unknown {
  if (isObservable(result)) return lastValueFrom(result);
  if (!isThenable(result)) return result;
  return Promise.resolve(result).then(lastIfObservable);
}

function lastIfObservable(value: unknown): unknown {
  return isObservable(value) ? lastValueFrom(value) : value;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
