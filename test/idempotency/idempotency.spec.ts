import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import {
  LcData,
  LcHandler,
  LcIdempotent,
  LcMemoryIdempotencyStore,
  lcResponse,
  type LcIdempotencyStore,
} from 'nestjs-lc-service';
import { TEST_OID } from 'nestjs-lc-service/testing';
import { ADAPTERS, startLcApp, type LcTestApp } from '../helpers/lc-app.js';

const runs: Record<string, number> = {};
function ran(key: string): number {
  runs[key] = (runs[key] ?? 0) + 1;
  return runs[key];
}

/** Handlers given `data.gate` wait until the test opens it. */
const gates = new Map<string, { opened: Promise<void>; open: () => void }>();
function gate(name: string) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const entry = { opened, open };
  gates.set(name, entry);
  return entry;
}
// A test that fails while a handler waits must not leave it (and the app's close) hanging.
afterEach(() => {
  for (const held of gates.values()) held.open();
  gates.clear();
});

@Injectable()
class Handlers {
  @LcIdempotent()
  @LcHandler('request')
  async request(@LcData() data: { key: string; result?: string; ms?: number; gate?: string }) {
    const n = ran(data.key);
    await new Promise((resolve) => setTimeout(resolve, data.ms ?? 0));
    if (data.gate !== undefined) await gates.get(data.gate)?.opened;
    switch (data.result) {
      case 'false':
        return false;
      case 'null':
        return null;
      case 'throw':
        throw new Error('transient');
      case 'null-then-true':
        return n === 1 ? null : lcResponse({ data: { run: n } });
      default:
        return lcResponse({ data: { run: n, at: Date.now() } });
    }
  }

  @LcHandler('org_install')
  install(@LcData('key') key: string) {
    return lcResponse({ data: { run: ran(key) } });
  }

  @LcIdempotent(false)
  @LcHandler('org_uninstall')
  uninstall(@LcData('key') key: string) {
    return lcResponse({ data: { run: ran(key) } });
  }
}

let seq = 0;
const fresh = (name: string) => `${name}-${++seq}`;

describe.each(ADAPTERS)('idempotency by mid, in memory (%s)', (adapter) => {
  let t: LcTestApp;
  beforeAll(async () => {
    t = await startLcApp({ adapter, providers: [Handlers] });
  });
  afterAll(() => t.close());

  it('answers a redelivered mid with the first answer, without running the handler again', async () => {
    const key = fresh('success');
    const mid = fresh('mid');
    const first = await t.client.send('request', { mid, data: { key } });
    const again = await t.client.send('request', { mid, data: { key } });
    expect(first.body).toMatchObject({ success: true, data: { run: 1 } });
    expect(again.body).toEqual(first.body);
    expect(runs[key]).toBe(1);
  });

  it('keys by org as well: the same mid in another org runs', async () => {
    const key = fresh('orgs');
    const mid = fresh('mid');
    await t.client.send('request', { mid, data: { key } });
    await t.client.send('request', {
      mid,
      oid: '11111111-2222-4333-8444-555555555555',
      data: { key },
    });
    expect(runs[key]).toBe(2);
  });

  it('gives a failure without retry again, and runs again after a failure with retry', async () => {
    const final = fresh('false');
    const mid1 = fresh('mid');
    await t.client.send('request', { mid: mid1, data: { key: final, result: 'false' } });
    const again = await t.client.send('request', {
      mid: mid1,
      data: { key: final, result: 'false' },
    });
    expect(again.body).toEqual({ success: false, retry: false, data: {} });
    expect(runs[final]).toBe(1);

    for (const result of ['null', 'throw']) {
      const key = fresh(result);
      const mid = fresh('mid');
      const first = await t.client.send('request', { mid, data: { key, result } });
      expect(first.body).toMatchObject({ success: false, retry: true });
      await t.client.send('request', { mid, data: { key, result } });
      expect(runs[key]).toBe(2);
    }
  });

  it('makes a concurrent duplicate wait for the first answer', async () => {
    const key = fresh('concurrent');
    const mid = fresh('mid');
    const [a, b] = await Promise.all([
      t.client.send('request', { mid, data: { key, ms: 300 } }),
      t.client.send('request', { mid, data: { key, ms: 300 } }),
    ]);
    expect(a.body).toMatchObject({ success: true, data: { run: 1 } });
    expect(b.body).toEqual(a.body);
    expect(runs[key]).toBe(1);
  });

  it('lets a waiting duplicate run once the first failed with retry', async () => {
    const key = fresh('retry-then-run');
    const mid = fresh('mid');
    const held = gate(key);
    const first = t.client.send('request', {
      mid,
      data: { key, gate: key, result: 'null-then-true' },
    });
    await until(() => runs[key] === 1);
    const second = t.client.send('request', { mid, data: { key, result: 'null-then-true' } });
    // Time for the duplicate to arrive and wait; one that arrives later must run all the same.
    await new Promise((resolve) => setTimeout(resolve, 50));
    held.open();
    expect((await first).body).toMatchObject({ success: false, retry: true });
    expect((await second).body).toEqual({ success: true, data: { run: 2 } });
  });

  it('stops a waiting duplicate at its own deadline, with retry and the reply margin of any call', async () => {
    const key = fresh('margin');
    const mid = fresh('mid');
    const held = gate(key);
    const first = t.client.send('request', { mid, data: { key, gate: key } });
    await until(() => runs[key] === 1);
    const deadlineMs = Date.now() + 5000;
    const second = await t.client.send('request', {
      mid,
      deadline: deadlineMs / 1000,
      data: { key },
    });
    expect(Date.now()).toBeLessThan(deadlineMs);
    expect(second.body).toMatchObject({ success: false, retry: true, error: 'deadline exceeded' });
    held.open();
    expect((await first).body.success).toBe(true);
    expect(runs[key]).toBe(1);
  });

  it('leaves unmarked handlers, @LcIdempotent(false) ones and calls without mid alone', async () => {
    const key = fresh('unmarked');
    const mid = fresh('mid');
    await t.client.send('org_install', { mid, data: { key } });
    await t.client.send('org_install', { mid, data: { key } });
    expect(runs[key]).toBe(2);
    const body = JSON.stringify({ etype: 'request', data: { key: fresh('no-mid') } });
    const a = await t.client.sendRaw(body);
    const b = await t.client.sendRaw(body);
    expect(a.body).not.toEqual(b.body);
  });
});

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('idempotency in memory, under traffic', () => {
  const store = new LcMemoryIdempotencyStore();
  let t: LcTestApp;
  beforeAll(async () => {
    t = await startLcApp({ providers: [Handlers], options: { idempotency: { store } } });
  });
  afterAll(() => t.close());

  it('keeps the claim of a call still running while 10,000 other calls come and go', async () => {
    const key = fresh('long');
    const mid = fresh('mid');
    const held = gate(key);
    const first = t.client.send('request', { mid, data: { key, gate: key } });
    await until(() => runs[key] === 1);
    // What 10,000 other calls leave in the store, written directly: through HTTP it takes as
    // long as a whole test file on a busy machine.
    const answer = JSON.stringify({ success: true, data: { run: 1 } });
    for (let i = 0; i < 10_000; i++) {
      const other = `test-service:${TEST_OID}:${fresh('other')}`;
      await store.claim(other, 60_000);
      await store.complete(other, answer, 3_600_000);
    }
    const redelivered = t.client.send('request', { mid, data: { key, gate: key } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    held.open();
    const [a, b] = await Promise.all([first, redelivered]);
    expect(runs[key]).toBe(1);
    expect(b.body).toEqual(a.body);
  });

  it('keys services sharing one store apart, even when their names contain the separator', async () => {
    const shared = new LcMemoryIdempotencyStore();
    const [oid1, oid2] = [randomUUID(), randomUUID()];
    const one = await startLcApp({
      providers: [Handlers],
      options: { serviceName: 'svc', idempotency: { store: shared } },
    });
    const two = await startLcApp({
      providers: [Handlers],
      options: { serviceName: `svc:${oid1}`, idempotency: { store: shared } },
    });
    try {
      const key = fresh('services');
      // Joined with ':' alone, both would be svc:<oid1>:<oid2>:m.
      await one.client.send('request', { oid: oid1, mid: `${oid2}:m`, data: { key } });
      const other = await two.client.send('request', { oid: oid2, mid: 'm', data: { key } });
      expect(other.body).toMatchObject({ success: true, data: { run: 2 } });
      expect(runs[key]).toBe(2);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});

describe('idempotency options', () => {
  it('makes every handler idempotent with true, except @LcIdempotent(false) ones', async () => {
    const t = await startLcApp({ providers: [Handlers], options: { idempotency: true } });
    try {
      const installKey = fresh('all');
      const installMid = fresh('mid');
      await t.client.send('org_install', { mid: installMid, data: { key: installKey } });
      await t.client.send('org_install', { mid: installMid, data: { key: installKey } });
      expect(runs[installKey]).toBe(1);
      const outKey = fresh('opt-out');
      const outMid = fresh('mid');
      await t.client.send('org_uninstall', { mid: outMid, data: { key: outKey } });
      await t.client.send('org_uninstall', { mid: outMid, data: { key: outKey } });
      expect(runs[outKey]).toBe(2);
    } finally {
      await t.close();
    }
  });

  it('forgets answers after ttlSeconds', async () => {
    const t = await startLcApp({
      providers: [Handlers],
      options: { idempotency: { ttlSeconds: 1 } },
    });
    try {
      const key = fresh('ttl');
      const mid = fresh('mid');
      await t.client.send('request', { mid, data: { key } });
      await t.client.send('request', { mid, data: { key } });
      expect(runs[key]).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await t.client.send('request', { mid, data: { key } });
      expect(runs[key]).toBe(2);
    } finally {
      await t.close();
    }
  });

  it("waits at shutdown for the last answers' records, before the app's own hooks close the store", async () => {
    const events: string[] = [];
    const memory = new LcMemoryIdempotencyStore();
    const slow: LcIdempotencyStore = {
      claim: (key, ttl) => memory.claim(key, ttl),
      get: (key) => memory.get(key),
      release: (key) => memory.release(key),
      complete: async (key, reply, ttl) => {
        events.push('record-start');
        await new Promise((resolve) => setTimeout(resolve, 300));
        await memory.complete(key, reply, ttl);
        events.push('record-written');
      },
    };
    @Injectable()
    class StoreOwner implements OnModuleDestroy {
      onModuleDestroy() {
        events.push('store-closed');
      }
    }
    const t = await startLcApp({
      providers: [Handlers, StoreOwner],
      options: { idempotency: { store: slow } },
    });
    const key = fresh('shutdown');
    const mid = randomUUID();
    const res = await t.client.send('request', { mid, data: { key } });
    expect(res.body).toMatchObject({ success: true });
    expect(events).toEqual(['record-start']);
    await t.close();
    expect(events).toEqual(['record-start', 'record-written', 'store-closed']);
    expect((await memory.get(`test-service:${TEST_OID}:${mid}`))?.state).toBe('done');
  });

  it('answers with retry and runs nothing when the store fails', async () => {
    const broken: LcIdempotencyStore = {
      claim: () => Promise.reject(new Error('connection refused')),
      get: () => Promise.reject(new Error('connection refused')),
      complete: () => Promise.reject(new Error('connection refused')),
      release: () => Promise.reject(new Error('connection refused')),
    };
    const t = await startLcApp({
      providers: [Handlers],
      options: { idempotency: { store: broken } },
    });
    try {
      const key = fresh('broken');
      const res = await t.client.send('request', { data: { key } });
      expect(res.body).toEqual({
        success: false,
        retry: true,
        data: {},
        error: 'idempotency store unavailable',
      });
      expect(runs[key]).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it.each([
    [{ idempotency: 'yes' }, /option 'idempotency' must be true, false or/],
    [
      { idempotency: { store: {} } },
      /option 'idempotency.store' must be 'memory' or an LcIdempotencyStore/,
    ],
    [
      { idempotency: { ttlSeconds: 0 } },
      /option 'idempotency.ttlSeconds' must be a positive number/,
    ],
    [
      { idempotency: { maxBytes: 1.5 } },
      /option 'idempotency.maxBytes' must be a positive integer/,
    ],
    [
      { idempotency: { storeTimeoutMs: 0 } },
      /option 'idempotency.storeTimeoutMs' must be a positive integer/,
    ],
    [
      { idempotency: { maxEntries: 10_000 } },
      /option 'idempotency.maxEntries' was replaced by maxBytes/,
    ],
    [{ idempotency: { allHandlers: 1 } }, /option 'idempotency.allHandlers' must be true or false/],
  ])('rejects %j at boot', async (options, message) => {
    await expect(startLcApp({ options: options as never })).rejects.toThrow(message);
  });

  it('refuses @LcIdempotent() when idempotency is false, naming the method', async () => {
    await expect(
      startLcApp({ providers: [Handlers], options: { idempotency: false } }),
    ).rejects.toThrow(
      /@LcHandler\('request'\) on Handlers\.request: @LcIdempotent\(\) needs the 'idempotency' option, which is false/,
    );
  });
});
