import { LcConfigError } from '../options/lc-config-error.js';
import type { ResolvedLcIdempotency } from '../options/idempotency-options.js';
import { idempotentMark } from './lc-idempotent.decorator.js';

/** Whether a handler's redeliveries are answered from its first answer. Checked once, at boot. */
export function handlerIsIdempotent(
  method: object,
  config: ResolvedLcIdempotency | undefined,
  where: string,
): boolean {
  const mark = idempotentMark(method);
  if (config === undefined) {
    if (mark === true) {
      throw new LcConfigError(
        `${where}: @LcIdempotent() needs the 'idempotency' option, which is false. Remove the decorator or the 'idempotency: false' option.`,
      );
    }
    return false;
  }
  return mark ?? config.allHandlers;
}
