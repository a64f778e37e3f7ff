import type { LcIdempotencyRecord, LcIdempotencyStore } from '../options/idempotency-store.js';

interface Entry {
  record: LcIdempotencyRecord;
  expiresAt: number;
}

const PENDING: LcIdempotencyRecord = Object.freeze({ state: 'pending' });

/**
 * Keeps first answers in this process: enough for one replica. Bounded: past `maxEntries` the
 * oldest entries go first, and expired ones are dropped as they are met.
 */
export class LcMemoryIdempotencyStore implements LcIdempotencyStore {
  // A Map iterates in insertion order, and every write re-inserts: the first key is the oldest.
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 10_000) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(
        `LcMemoryIdempotencyStore: maxEntries must be a positive integer, got ${maxEntries}`,
      );
    }
  }

  get size(): number {
    return this.entries.size;
  }

  claim(key: string, pendingTtlMs: number): Promise<LcIdempotencyRecord | undefined> {
    const existing = this.live(key);
    if (existing !== undefined) return Promise.resolve(existing);
    this.put(key, PENDING, pendingTtlMs);
    return Promise.resolve(undefined);
  }

  get(key: string): Promise<LcIdempotencyRecord | undefined> {
    return Promise.resolve(this.live(key));
  }

  complete(key: string, reply: string, ttlMs: number): Promise<void> {
    this.put(key, { state: 'done', reply }, ttlMs);
    return Promise.resolve();
  }

  release(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  private live(key: string): LcIdempotencyRecord | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > Date.now()) return entry.record;
    this.entries.delete(key);
    return undefined;
  }

  private put(key: string, record: LcIdempotencyRecord, ttlMs: number): void {
    const now = Date.now();
    this.entries.delete(key);
    this.entries.set(key, { record, expiresAt: now + ttlMs });
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && entry.expiresAt > now) break;
      this.entries.delete(oldest);
    }
  }
}
