import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect, createServer } from 'node:net';
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

// Each test here pauses or kills Redis, so it runs its own redis-server rather than CI's.
const HAS_REDIS_SERVER = spawnSync('redis-server', ['--version']).error === undefined;
const describeWithRedisServer = describeOrSkip(
  HAS_REDIS_SERVER
    ? undefined
    : 'no redis-server on PATH: apt-get install redis-server (.ci/run installs it)',
);

const runs: Record<string, number> = {};
const gates = new Map<string, () => void>();

@Injectable()
class Handlers {
  @LcIdempotent()
  @LcHandler('request')
  async request(@LcData() data: { key: string; gate?: boolean }) {
    runs[data.key] = (runs[data.key] ?? 0) + 1;
    if (data.gate === true) {
      await new Promise<void>((resolve) => gates.set(data.key, resolve));
    }
    return lcResponse({ data: { run: runs[data.key] } });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(500, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      socket.destroy();
      resolve(chunk.toString().startsWith('+PONG'));
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}

/** Rejects when `promise` has not settled after `ms`: the answer was held back. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

const STORE_UNAVAILABLE = {
  success: false,
  retry: true,
  data: {},
  error: 'idempotency store unavailable',
};

describeWithRedisServer('Redis idempotency store while Redis is paused or gone', () => {
  let server: ChildProcess;
  let redis: Redis;
  /** storeTimeoutMs longer than any deadline here: the call's deadline is what bounds waits. */
  let patient: LcTestApp;
  /** storeTimeoutMs 500: bounds the calls without deadline. */
  let quick: LcTestApp;

  beforeAll(async () => {
    const port = await freePort();
    server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100 && !(await pong(port)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // As the README configures it: ioredis's defaults queue and retry for over a minute.
    redis = new Redis(`redis://127.0.0.1:${port}`);
    const store = new LcRedisIdempotencyStore(redis, { prefix: `lc-test:${randomUUID()}:` });
    patient = await startLcApp({
      providers: [Handlers],
      options: { idempotency: { store, storeTimeoutMs: 60_000 } },
    });
    quick = await startLcApp({
      providers: [Handlers],
      options: { idempotency: { store, storeTimeoutMs: 500 } },
    });
  });

  afterEach(() => {
    for (const open of gates.values()) open();
    gates.clear();
    server.kill('SIGCONT');
  });

  afterAll(async () => {
    await Promise.all([patient?.close(), quick?.close()]);
    redis?.disconnect();
    server?.kill('SIGKILL');
  });

  const pausedMid = randomUUID();
  const pausedKey = randomUUID();

  it('answers with retry before the deadline while Redis is paused, and runs nothing', async () => {
    server.kill('SIGSTOP');
    const deadlineMs = Date.now() + 5000;
    const res = await within(
      patient.client.send('request', {
        mid: pausedMid,
        deadline: deadlineMs / 1000,
        data: { key: pausedKey },
      }),
      15_000,
    );
    expect(Date.now()).toBeLessThan(deadlineMs);
    expect(res.body).toEqual(STORE_UNAVAILABLE);
    expect(runs[pausedKey]).toBeUndefined();
  });

  it('answers a call without deadline with retry after storeTimeoutMs while Redis is paused', async () => {
    server.kill('SIGSTOP');
    const key = randomUUID();
    const res = await within(
      quick.client.send('request', { deadline: null, data: { key } }),
      10_000,
    );
    expect(res.body).toEqual(STORE_UNAVAILABLE);
    expect(runs[key]).toBeUndefined();
  });

  it('releases a claim that landed after it timed out: the redelivery runs, once', async () => {
    // Redis is running again: the paused SET NX of the first test has landed by now or soon.
    const res = await within(
      patient.client.send('request', { mid: pausedMid, data: { key: pausedKey } }),
      15_000,
    );
    expect(res.body).toMatchObject({ success: true, data: { run: 1 } });
    expect(runs[pausedKey]).toBe(1);
  });

  it('answers a finished handler while Redis is paused, and records the answer once it is back', async () => {
    const key = randomUUID();
    const mid = randomUUID();
    const first = patient.client.send('request', { mid, data: { key, gate: true } });
    await until(() => gates.has(key));
    server.kill('SIGSTOP');
    gates.get(key)!();
    const res = await within(first, 10_000);
    expect(res.body).toMatchObject({ success: true, data: { run: 1 } });
    server.kill('SIGCONT');
    const again = await within(quick.client.send('request', { mid, data: { key } }), 15_000);
    expect(again.body).toEqual(res.body);
    expect(runs[key]).toBe(1);
  });

  it('answers with retry after storeTimeoutMs when Redis is gone', async () => {
    server.kill('SIGKILL');
    await new Promise((resolve) => server.once('exit', resolve));
    const key = randomUUID();
    const res = await within(quick.client.send('request', { data: { key } }), 10_000);
    expect(res.body).toEqual(STORE_UNAVAILABLE);
    expect(runs[key]).toBeUndefined();
  });
});
