import type { LcIdempotencyStore } from './idempotency-store.js';

export interface LcIdempotencyOptions {
  /** Every handler, not only those marked `@LcIdempotent()`. Default false. */
  allHandlers?: boolean;
  /**
   * Where first answers are kept: `'memory'` (default; one replica) or a shared store such as
   * `new LcRedisIdempotencyStore(new Redis(url))` for several replicas.
   */
  store?: 'memory' | LcIdempotencyStore;
  /** How long an answer is given again to redeliveries. Default 3600 s. */
  ttlSeconds?: number;
  /**
   * Heap the memory store may use for answers, in bytes. Default 64 MiB. Past it the oldest
   * answers go; claims of calls still running never do.
   */
  maxBytes?: number;
  /**
   * Longest wait for one operation of a shared store, in milliseconds, when the call's deadline
   * is not sooner. Default 3000. A call whose claim times out is answered with retry.
   */
  storeTimeoutMs?: number;
}

export interface ResolvedLcIdempotency {
  allHandlers: boolean;
  store: LcIdempotencyStore | 'memory';
  ttlMs: number;
  maxBytes: number;
  storeTimeoutMs: number;
}

type Fail = (option: string, fix: string) => never;

const DEFAULT_TTL_SECONDS = 3600;
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_STORE_TIMEOUT_MS = 3000;

function isStore(value: unknown): value is LcIdempotencyStore {
  if (typeof value !== 'object' || value === null) return false;
  const store = value as Record<string, unknown>;
  return ['claim', 'get', 'complete', 'release'].every((m) => typeof store[m] === 'function');
}

function positiveInteger(value: unknown, option: string, fail: Fail): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    fail(option, `must be a positive integer, got ${String(value)}`);
  }
  return value as number;
}

/** `false`: off, `@LcIdempotent()` refused at boot. Absent: marked handlers, in memory. `true`: all. */
export function resolveIdempotency(value: unknown, fail: Fail): ResolvedLcIdempotency | undefined {
  if (value === false) return undefined;
  if (value !== undefined && value !== true && (typeof value !== 'object' || value === null)) {
    fail(
      'idempotency',
      `must be true, false or { allHandlers, store, ttlSeconds, maxBytes, storeTimeoutMs }`,
    );
  }
  const opts: LcIdempotencyOptions =
    value === true ? { allHandlers: true } : ((value as LcIdempotencyOptions | undefined) ?? {});
  const { allHandlers = false, store = 'memory' } = opts;
  if (typeof allHandlers !== 'boolean') {
    fail('idempotency.allHandlers', `must be true or false, got ${String(allHandlers)}`);
  }
  if (store !== 'memory' && !isStore(store)) {
    fail(
      'idempotency.store',
      "must be 'memory' or an LcIdempotencyStore (claim, get, complete, release), e.g. new LcRedisIdempotencyStore(new Redis(url))",
    );
  }
  // A count of entries bounded nothing (answers vary in size) and evicted calls still running.
  if ('maxEntries' in opts) {
    fail('idempotency.maxEntries', 'was replaced by maxBytes, a bound in bytes; use that instead');
  }
  const ttlSeconds = opts.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (typeof ttlSeconds !== 'number' || !Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    fail(
      'idempotency.ttlSeconds',
      `must be a positive number of seconds, got ${String(ttlSeconds)}`,
    );
  }
  return {
    allHandlers,
    store,
    ttlMs: ttlSeconds * 1000,
    maxBytes: positiveInteger(opts.maxBytes ?? DEFAULT_MAX_BYTES, 'idempotency.maxBytes', fail),
    storeTimeoutMs: positiveInteger(
      opts.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS,
      'idempotency.storeTimeoutMs',
      fail,
    ),
  };
}
