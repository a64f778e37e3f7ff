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

  it('bounds answers by bytes, dropping the oldest answers first', async () => {
    const store = new LcMemoryIdempotencyStore({ maxBytes: 1000 });
    const reply = 'x'.repeat(300);
    await store.complete('a', reply, 60_000);
    await store.complete('b', reply, 60_000);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toEqual({ state: 'done', reply });
  });

  it('never drops a claim still running to make room, however many answers follow', async () => {
    const store = new LcMemoryIdempotencyStore({ maxBytes: 2000 });
    expect(await store.claim('running', 60_000)).toBeUndefined();
    for (let i = 0; i < 100; i++) {
      expect(await store.claim(`other-${i}`, 60_000)).toBeUndefined();
      await store.complete(`other-${i}`, '{"success":true,"data":{}}', 60_000);
    }
    expect(await store.claim('running', 60_000)).toEqual({ state: 'pending' });
    expect(await store.get('other-0')).toBeUndefined();
    expect(await store.get('other-99')).toBeDefined();
  });

  it('keeps the answers of 10,000 later calls by default', async () => {
    const store = new LcMemoryIdempotencyStore();
    await store.complete('first', '{"success":true,"data":{}}', 60_000);
    for (let i = 0; i < 10_000; i++) {
      await store.claim(`other-${i}`, 60_000);
      await store.complete(`other-${i}`, '{"success":true,"data":{}}', 60_000);
    }
    expect(await store.get('first')).toEqual({
      state: 'done',
      reply: '{"success":true,"data":{}}',
    });
  });

  it('does not keep one answer larger than the whole store, and keeps the others', async () => {
    const store = new LcMemoryIdempotencyStore({ maxBytes: 1000 });
    await store.complete('small', 'S', 60_000);
    await store.complete('huge', 'x'.repeat(2000), 60_000);
    expect(await store.get('huge')).toBeUndefined();
    expect(await store.get('small')).toEqual({ state: 'done', reply: 'S' });
  });

  it('drops entries past their time to live', async () => {
    const store = new LcMemoryIdempotencyStore();
    await store.complete('short', 'S', 20);
    await store.complete('long', 'L', 60_000);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await store.claim('short', 1000)).toBeUndefined();
    expect(await store.get('long')).toEqual({ state: 'done', reply: 'L' });
  });

  it('refuses a maxBytes that is not a positive integer', () => {
    expect(() => new LcMemoryIdempotencyStore({ maxBytes: 0 })).toThrow(
      /maxBytes must be a positive integer/,
    );
  });
});
