import type { ExternalContextCreator } from '@nestjs/core';
import type { LcInvoke } from '../call/lc-handler-entry.js';
import { argsOf, LC_ARGS_METADATA } from '../decorators/nest-metadata.js';
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
  const invoke = contextCreator.create(
    instance as Record<string, unknown>,
    callback,
    methodName,
    LC_ARGS_METADATA,
    paramsFactory,
    undefined,
    undefined,
    INVOKER_OPTIONS,
    LC_CONTEXT_TYPE,
  ) as unknown as LcInvoke;
  const args = argsOf(instance.constructor, methodName);
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
