import { DEFAULT_MAX_BYTES } from '../options/idempotency-options.js';
import type { LcIdempotencyRecord, LcIdempotencyStore } from '../options/idempotency-store.js';

export interface LcMemoryIdempotencyStoreOptions {
  /**
   * Heap the store may use, in bytes: about one per character of key and answer, plus 300 per
   * entry. Default 64 MiB.
   */
  maxBytes?: number;
}

interface Entry {
  record: LcIdempotencyRecord;
  expiresAt: number;
  bytes: number;
}

const PENDING: LcIdempotencyRecord = Object.freeze({ state: 'pending' });
/** Measured heap cost of one entry besides its key and reply: Map slot, entry, record, headers. */
const ENTRY_BYTES = 300;

/**
 * Keeps first answers in this process: enough for one replica. Bounded by bytes: past `maxBytes`
 * the oldest answers go first. Claims of calls still running are never dropped to make room (a
 * redelivery would run the handler a second time); they are as many as the calls in flight and
 * leave when their call finishes or their claim expires.
 */
export class LcMemoryIdempotencyStore implements LcIdempotencyStore {
  // A Map iterates in insertion order: the first key of each is the oldest.
  private readonly pending = new Map<string, Entry>();
  private readonly answers = new Map<string, Entry>();
  private bytes = 0;
  private readonly maxBytes: number;

  constructor(options: LcMemoryIdempotencyStoreOptions = {}) {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
      throw new RangeError(
        `LcMemoryIdempotencyStore: maxBytes must be a positive integer, got ${maxBytes}`,
      );
    }
    this.maxBytes = maxBytes;
  }

  /** Entries held: claims of calls in flight and answers. */
  get size(): number {
    return this.pending.size + this.answers.size;
  }

  claim(key: string, pendingTtlMs: number): Promise<LcIdempotencyRecord | undefined> {
    const now = Date.now();
    const existing = this.live(this.answers, key, now) ?? this.live(this.pending, key, now);
    if (existing !== undefined) return Promise.resolve(existing);
    this.dropExpired(this.pending, now);
    this.add(this.pending, key, PENDING, now + pendingTtlMs, key.length + ENTRY_BYTES);
    return Promise.resolve(undefined);
  }

  get(key: string): Promise<LcIdempotencyRecord | undefined> {
    const now = Date.now();
    return Promise.resolve(this.live(this.answers, key, now) ?? this.live(this.pending, key, now));
  }

  complete(key: string, reply: string, ttlMs: number): Promise<void> {
    const now = Date.now();
    this.remove(this.pending, key);
    this.remove(this.answers, key);
    const bytes = key.length + reply.length + ENTRY_BYTES;
    // One answer larger than the whole store is not kept, rather than flushing every other one.
    if (bytes > this.maxBytes) return Promise.resolve();
    this.add(this.answers, key, { state: 'done', reply }, now + ttlMs, bytes);
    this.dropExpired(this.answers, now);
    for (const [oldest] of this.answers) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(this.answers, oldest);
    }
    return Promise.resolve();
  }

  release(key: string): Promise<void> {
    this.remove(this.pending, key);
    this.remove(this.answers, key);
    return Promise.resolve();
  }

  private live(
    entries: Map<string, Entry>,
    key: string,
    now: number,
  ): LcIdempotencyRecord | undefined {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > now) return entry.record;
    this.remove(entries, key);
    return undefined;
  }

  /** From the oldest on, while expired: entries share one time to live, near enough. */
  private dropExpired(entries: Map<string, Entry>, now: number): void {
    for (const [oldest, entry] of entries) {
      if (entry.expiresAt > now) break;
      this.remove(entries, oldest);
    }
  }

  private add(
    entries: Map<string, Entry>,
    key: string,
    record: LcIdempotencyRecord,
    expiresAt: number,
    bytes: number,
  ): void {
    entries.set(key, { record, expiresAt, bytes });
    this.bytes += bytes;
  }

  private remove(entries: Map<string, Entry>, key: string): void {
    const entry = entries.get(key);
    if (entry === undefined) return;
    entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
