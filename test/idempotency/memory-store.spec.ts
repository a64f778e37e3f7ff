import { LcMemoryIdempotencyStore } from 'nestjs-lc-service';

describe('LcMemoryIdempotencyStore', () => {
  it('claims a key once, then reports it pending, done, or gone after release', async () => {
    const store = new LcMemoryIdempotencyStore();
    expect(await store.claim('k', 1000)).toBeUndefined();
    expect(await store.claim('k', 1000)).toEqual({ state: 'pending' });
    await store.complete('k', '{"success":true}', 1000);
    expect(await store.claim('k', 1000)).toEqual({ state: 'done', reply: '{"success":true}' });
    await store.release('k');
    expect(await store.get('k')).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest first', async () => {
    const store = new LcMemoryIdempotencyStore(2);
    await store.complete('a', 'A', 60_000);
    await store.complete('b', 'B', 60_000);
    await store.complete('c', 'C', 60_000);
    expect(store.size).toBe(2);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('c')).toEqual({ state: 'done', reply: 'C' });
  });

  it('drops entries past their time to live', async () => {
    const store = new LcMemoryIdempotencyStore();
    await store.complete('short', 'S', 20);
    await store.complete('long', 'L', 60_000);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await store.claim('short', 1000)).toBeUndefined();
    expect(await store.get('long')).toEqual({ state: 'done', reply: 'L' });
  });

  it('refuses a maxEntries that is not a positive integer', () => {
    expect(() => new LcMemoryIdempotencyStore(0)).toThrow(/maxEntries must be a positive integer/);
  });
});
