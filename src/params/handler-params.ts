import type { Type } from '@nestjs/common';
import type { LcHandlerMeta } from '../decorators/lc-handler.decorator.js';
import { LcParamtype } from '../decorators/lc-params.decorator.js';
import { argsOf, hideFromPipes, paramTypesOf } from '../decorators/nest-metadata.js';
import { LcConfigError } from '../options/lc-config-error.js';
import type { LcRequestParamDefs } from '../protocol/service/request-params.js';
import { LcDtoParams } from './dto-validation.js';

/** One entry of `health.mtd.commands`, in the Go port's shape. */
export interface LcCommandDescriptor {
  name: string;
  desc: string;
  args: LcRequestParamDefs;
}

/** The DTO side of one handler registration. */
export interface LcHandlerParams {
  /** Validates and builds the handler's DTO on each call; undefined without a DTO. */
  dto: LcDtoParams | undefined;
  /** For `@LcCommand`: what `health.mtd.commands` advertises. */
  command: LcCommandDescriptor | undefined;
}

const DATA_KEY_PREFIX = `${LcParamtype.DATA}:`;

/**
 * Checks a handler's `params` / `@LcCommand` options and compiles its DTO, at boot. `where`
 * (e.g. "LcServiceModule: @LcCommand(...) on Class.method") starts every error.
 */
export function prepareHandlerParams(
  meta: LcHandlerMeta,
  instance: object,
  methodName: string,
  where: string,
): LcHandlerParams {
  if (meta.params !== undefined && meta.etype !== 'request') {
    throw new LcConfigError(
      `${where}: the 'params' option only applies to @LcHandler('request'); a command takes @LcCommand({ name, description, args }).`,
    );
  }
  const { command } = meta;
  if (command !== undefined) {
    if (typeof command.name !== 'string' || command.name === '') {
      throw new LcConfigError(`${where}: @LcCommand needs a non-empty 'name'.`);
    }
    if (typeof command.description !== 'string' || command.description.trim() === '') {
      throw new LcConfigError(
        `${where}: @LcCommand needs a non-empty 'description' (LimaCharlie shows it in the command list).`,
      );
    }
  }
  const dtoClass = command !== undefined ? command.args : meta.params;
  const dto = dtoClass === undefined ? undefined : new LcDtoParams(dtoClass, where);
  if (dto !== undefined) shieldDtoFromPipes(instance, methodName, dto.dto, where);
  return {
    dto,
    command:
      command === undefined
        ? undefined
        : { name: command.name, desc: command.description, args: dto?.defs ?? {} },
  };
}

/**
 * The DTO is validated and built before pipes run (a Service handler's `params` / `args`, an
 * Extension action's `params`). A global ValidationPipe seeing its class would validate it again
 * and, with `transform`, build it again (running each @Transform twice): pipes see the instance
 * as a plain `Object`-typed value instead, which ValidationPipe passes through. A wrongly typed
 * `@LcData()` parameter fails here rather than surprising the handler.
 */
export function shieldDtoFromPipes(
  instance: object,
  methodName: string,
  dto: Type<object>,
  where: string,
): void {
  const args = argsOf(instance.constructor, methodName);
  const proto = Object.getPrototypeOf(instance) as object;
  const types = paramTypesOf(proto, methodName);
  if (args === undefined || types === undefined) return;
  const shielded: number[] = [];
  for (const [key, { index, data }] of Object.entries(args)) {
    if (!key.startsWith(DATA_KEY_PREFIX) || data !== undefined || index >= types.length) {
      continue;
    }
    const declared = types[index];
    if (
      typeof declared === 'function' &&
      declared !== Object &&
      declared !== dto &&
      !(dto.prototype instanceof declared)
    ) {
      throw new LcConfigError(
        `${where}: its @LcData() parameter is typed ${declared.name}, but the handler's DTO is ${dto.name}. Type the parameter as ${dto.name}.`,
      );
    }
    shielded.push(index);
  }
  hideFromPipes(proto, methodName, shielded);
}
