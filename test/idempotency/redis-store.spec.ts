import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  LcData,
  LcHandler,
  LcIdempotent,
  LcRedisIdempotencyStore,
  lcResponse,
} from 'nestjs-lc-service';
import { startLcApp, type LcTestApp } from '../helpers/lc-app.js';
import { describeOrSkip } from '../helpers/skip.js';

/** Set by .ci/run, which starts a redis-server; locally: LC_TEST_REDIS_URL=redis://127.0.0.1:6379. */
const REDIS_URL = process.env.LC_TEST_REDIS_URL ?? '';
const describeWithRedis = describeOrSkip(
  REDIS_URL === ''
    ? 'LC_TEST_REDIS_URL is not set: start a redis-server and run LC_TEST_REDIS_URL=redis://127.0.0.1:6379 npm test (.ci/run does both)'
    : undefined,
);

const runs: Record<string, number> = {};

@Injectable()
class Handlers {
  @LcIdempotent()
  @LcHandler('request')
  async request(@LcData() data: { key: string; ms?: number; result?: string }) {
    runs[data.key] = (runs[data.key] ?? 0) + 1;
    await new Promise((resolve) => setTimeout(resolve, data.ms ?? 0));
    if (data.result === 'null') return null;
    return lcResponse({ data: { run: runs[data.key], replica: process.pid } });
  }
}

describeWithRedis('Redis idempotency store, two replicas', () => {
  // A prefix per run: nothing from an earlier run or another suite can answer for this one.
  const prefix = `lc-test:${randomUUID()}:`;
  const clients: Redis[] = [];
  let a: LcTestApp;
  let b: LcTestApp;

  async function replica(): Promise<LcTestApp> {
    const redis = new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });
    clients.push(redis);
    return startLcApp({
      providers: [Handlers],
      options: {
        idempotency: { store: new LcRedisIdempotencyStore(redis, { prefix }), ttlSeconds: 2 },
      },
    });
  }

  beforeAll(async () => {
    a = await replica();
    b = await replica();
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await Promise.all(clients.map((c) => c.quit()));
  });

  it('answers a redelivery on another replica from the first answer', async () => {
    const key = randomUUID();
    const mid = randomUUID();
    const first = await a.client.send('request', { mid, data: { key } });
    const again = await b.client.send('request', { mid, data: { key } });
    expect(first.body).toMatchObject({ success: true, data: { run: 1 } });
    expect(again.body).toEqual(first.body);
    expect(runs[key]).toBe(1);
  });

  it('runs one of two concurrent deliveries on two replicas; the other waits for its answer', async () => {
    const key = randomUUID();
    const mid = randomUUID();
    const [x, y] = await Promise.all([
      a.client.send('request', { mid, data: { key, ms: 300 } }),
      b.client.send('request', { mid, data: { key, ms: 300 } }),
    ]);
    expect(runs[key]).toBe(1);
    expect(x.body).toEqual(y.body);
  });

  it('does not keep failures with retry; keeps answers under a Redis expiry of ttlSeconds', async () => {
    const key = randomUUID();
    const mid = randomUUID();
    await a.client.send('request', { mid, data: { key, result: 'null' } });
    await b.client.send('request', { mid, data: { key, result: 'null' } });
    expect(runs[key]).toBe(2);

    const kept = randomUUID();
    const keptMid = randomUUID();
    await a.client.send('request', { mid: keptMid, data: { key: kept } });
    const oid = a.client.envelope('request').oid as string;
    const redisKey = `${prefix}test-service:${oid}:${keptMid}`;
    expect(await clients[0].get(redisKey)).toMatch(/^D\{"success":true/);
    const ttl = await clients[0].pttl(redisKey);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2000);
  });

  it('handles a call whose deadline is 1e300 (expiries are clamped to what Redis accepts)', async () => {
    const key = randomUUID();
    const mid = randomUUID();
    const first = await a.client.send('request', { mid, deadline: 1e300, data: { key } });
    const again = await b.client.send('request', { mid, deadline: 1e300, data: { key } });
    expect(first.body).toMatchObject({ success: true, data: { run: 1 } });
    expect(again.body).toEqual(first.body);
    expect(runs[key]).toBe(1);
  });

  it('lets a claim expire on its own when a replica dies mid-call', async () => {
    const store = new LcRedisIdempotencyStore(clients[0], { prefix });
    const key = `crashed:${randomUUID()}`;
    expect(await store.claim(key, 100)).toBeUndefined();
    expect(await store.claim(key, 100)).toEqual({ state: 'pending' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await store.claim(key, 100)).toBeUndefined();
  });
});
