import type { Type } from '@nestjs/common';
import { addHandlerMeta } from './lc-handler.decorator.js';

export interface LcCommandOptions {
  /** The command name LimaCharlie sends as `data.command_name`. Unique in the service. */
  name: string;
  /** Shown in LimaCharlie's command form (`desc`). */
  description: string;
  /**
   * A class-validator DTO whose `@LcParam` properties are the command's arguments: advertised in
   * `health.mtd.commands`, validated and transformed before the handler, given by `@LcData()`.
   */
  args?: Type<object>;
}

/**
 * Marks a provider method as the handler of one named command (the `command` etype, routed by
 * `data.command_name`). A catch-all `@LcHandler('command')` gets the names no `@LcCommand` has.
 */
export function LcCommand(options: LcCommandOptions): MethodDecorator {
  return addHandlerMeta({
    etype: 'command',
    command: { ...options },
    decorator: `@LcCommand({ name: ${JSON.stringify(options.name)} })`,
  });
}
