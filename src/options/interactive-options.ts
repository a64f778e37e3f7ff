export interface LcInteractiveOptions {
  /**
   * How long a tracked task's id is accepted, counted from the task. Default 259 200 (3 days):
   * a sensor may answer long after it was tasked.
   */
  ttlSeconds?: number;
}

export interface ResolvedLcInteractive {
  ttlSeconds: number;
}

type Fail = (option: string, fix: string) => never;

export const DEFAULT_INTERACTIVE_TTL_SECONDS = 3 * 24 * 3600;

/** `true`: the defaults; `false` or absent: off. */
export function resolveInteractive(value: unknown, fail: Fail): ResolvedLcInteractive | undefined {
  if (value === undefined || value === false) return undefined;
  if (value !== true && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    fail('interactive', `must be true, false or { ttlSeconds }, got ${String(value)}`);
  }
  const opts = value === true ? {} : (value as Record<string, unknown>);
  // A misspelt key would otherwise leave ids living for the default lifetime unnoticed.
  for (const key of Object.keys(opts)) {
    if (key !== 'ttlSeconds') {
      fail('interactive', `has no key '${key}'; the only one is ttlSeconds`);
    }
  }
  const ttlSeconds = opts.ttlSeconds ?? DEFAULT_INTERACTIVE_TTL_SECONDS;
  if (typeof ttlSeconds !== 'number' || !Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
    fail(
      'interactive.ttlSeconds',
      `must be a positive integer number of seconds, got ${String(ttlSeconds)}`,
    );
  }
  return { ttlSeconds };
}
