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
  /** Most answers the memory store keeps. Default 10 000. */
  maxEntries?: number;
}

export interface ResolvedLcIdempotency {
  allHandlers: boolean;
  store: LcIdempotencyStore | 'memory';
  ttlMs: number;
  maxEntries: number;
}

type Fail = (option: string, fix: string) => never;

const DEFAULT_TTL_SECONDS = 3600;
const DEFAULT_MAX_ENTRIES = 10_000;

function isStore(value: unknown): value is LcIdempotencyStore {
  if (typeof value !== 'object' || value === null) return false;
  const store = value as Record<string, unknown>;
  return ['claim', 'get', 'complete', 'release'].every((m) => typeof store[m] === 'function');
}

/** `false`: off, `@LcIdempotent()` refused at boot. Absent: marked handlers, in memory. `true`: all. */
export function resolveIdempotency(value: unknown, fail: Fail): ResolvedLcIdempotency | undefined {
  if (value === false) return undefined;
  if (value !== undefined && value !== true && (typeof value !== 'object' || value === null)) {
    fail('idempotency', `must be true, false or { allHandlers, store, ttlSeconds, maxEntries }`);
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
  const ttlSeconds = opts.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (typeof ttlSeconds !== 'number' || !Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    fail(
      'idempotency.ttlSeconds',
      `must be a positive number of seconds, got ${String(ttlSeconds)}`,
    );
  }
  const maxEntries = opts.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    fail('idempotency.maxEntries', `must be a positive integer, got ${String(maxEntries)}`);
  }
  return { allHandlers, store, ttlMs: ttlSeconds * 1000, maxEntries };
}
