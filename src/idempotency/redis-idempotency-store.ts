import type { LcIdempotencyRecord, LcIdempotencyStore } from '../options/idempotency-store.js';

/**
 * The Redis commands the store uses, as ioredis spells them (`new Redis(url)` fits). Another client
 * fits through a small wrapper with these three methods.
 */
export interface LcRedisLike {
  set(key: string, value: string, px: 'PX', milliseconds: number, nx: 'NX'): Promise<unknown>;
  set(key: string, value: string, px: 'PX', milliseconds: number): Promise<unknown>;
  get(key: string): Promise<string | null>;
  del(key: string): Promise<number>;
}

export interface LcRedisIdempotencyStoreOptions {
  /** Prepended to every key, to share one Redis with other data. Default `lc-idem:`. */
  prefix?: string;
}

const PENDING_VALUE = 'P';
const DONE_TAG = 'D';
const PENDING: LcIdempotencyRecord = Object.freeze({ state: 'pending' });

/**
 * First answers in Redis, shared by every replica. A claim is one `SET NX PX`, so two replicas
 * receiving the same `mid` at once cannot both run the handler; expiry is Redis's own, so a replica
 * that dies mid-call leaves nothing behind once its claim times out.
 */
export class LcRedisIdempotencyStore implements LcIdempotencyStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: LcRedisLike,
    options: LcRedisIdempotencyStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'lc-idem:';
  }

  async claim(key: string, pendingTtlMs: number): Promise<LcIdempotencyRecord | undefined> {
    const k = this.prefix + key;
    // The key can expire between a failed SET NX and the GET: then claim again.
    for (let attempt = 0; attempt < 3; attempt++) {
      if ((await this.redis.set(k, PENDING_VALUE, 'PX', ttl(pendingTtlMs), 'NX')) !== null) {
        return undefined;
      }
      const existing = decode(await this.redis.get(k));
      if (existing !== undefined) return existing;
    }
    return PENDING;
  }

  async get(key: string): Promise<LcIdempotencyRecord | undefined> {
    return decode(await this.redis.get(this.prefix + key));
  }

  async complete(key: string, reply: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, DONE_TAG + reply, 'PX', ttl(ttlMs));
  }

  async release(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}

/**
 * Redis refuses a PX of 0, a fraction, or one written in exponent form (a deadline of 1e300
 * gave `PX 1e+303`); every safe integer is written out in digits and fits Redis's expiry clock.
 */
function ttl(ms: number): number {
  return Math.min(Number.MAX_SAFE_INTEGER, Math.max(1, Math.ceil(ms)));
}

function decode(value: string | null): LcIdempotencyRecord | undefined {
  if (value === null) return undefined;
  if (value.startsWith(DONE_TAG)) return { state: 'done', reply: value.slice(DONE_TAG.length) };
  return PENDING;
}
