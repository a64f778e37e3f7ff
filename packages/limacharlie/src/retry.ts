export interface BackoffOptions {
  /** Delay before the 2nd attempt; doubles for each later one. Default 1000. */
  baseMs?: number;
  /** Cap on any single wait, `Retry-After` included. Default 10000. */
  maxMs?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { baseMs: 1000, maxMs: 10_000 };

/** 429 is the rate limiter; 502-504 are the gateway in front of the API failing transiently. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Delay after failed attempt number `attempt` (1-based). */
export function backoffDelay(
  attempt: number,
  backoff: Required<BackoffOptions>,
  retryAfterMs: number | undefined,
): number {
  const wanted = retryAfterMs ?? backoff.baseMs * 2 ** (attempt - 1);
  return Math.min(wanted, backoff.maxMs);
}

/** Resolves `true` after `ms`, or `false` as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
