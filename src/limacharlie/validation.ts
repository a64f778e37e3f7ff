import { isUuid } from '../protocol/service/data-path.js';

/** A UUID is 36 characters; anything much longer might be a token pasted in the wrong place. */
const MAX_ECHOED_CHARS = 40;

export function assertUuid(kind: 'oid' | 'sid', value: unknown): asserts value is string {
  if (isUuid(value)) return;
  const shown =
    typeof value === 'string' && value.length <= MAX_ECHOED_CHARS
      ? JSON.stringify(value)
      : `a ${typeof value}${typeof value === 'string' ? ` of ${value.length} characters` : ''}`;
  throw new TypeError(`LimaCharlie ${kind} must be a UUID, got ${shown}`);
}
