import { LcApiError, LcAuthError, LimaCharlieClient } from '../src/index.js';
import { FakeLimaCharlie } from '../src/testing/index.js';
import { newOrgClient, rejectionOf, useFakeLimaCharlie } from './support.js';

function gapsMs(fake: FakeLimaCharlie): number[] {
  return fake.calls.slice(1).map((call, i) => call.timestamp - fake.calls[i].timestamp);
}

describe('LimaCharlieClient reliability', () => {
  const fake = useFakeLimaCharlie();

  it('retries a 429 and succeeds', async () => {
    const { lc, events } = newOrgClient(fake());
    fake().failNext({ path: 'who', status: 429 });

    await expect(lc.whoAmI()).resolves.toMatchObject({ perms: expect.any(Array) });
    expect(fake().calls).toHaveLength(2);
    expect(events.map((e) => [e.attempt, e.status])).toEqual([
      [1, 429],
      [2, 200],
    ]);
  });

  it.each([502, 503, 504])('retries a gateway %i', async (status) => {
    const { lc, oid } = newOrgClient(fake());
    fake().failNext({ method: 'GET', path: `rules/${oid}`, status, count: 2 });

    await expect(lc.rules.list()).resolves.toEqual({});
    expect(fake().calls).toHaveLength(3);
  });

  it.each([500, 400, 403, 404])('never retries a %i', async (status) => {
    const { lc } = newOrgClient(fake());
    fake().failNext({ path: 'who', status, body: { error: 'boom' } });

    const err = await rejectionOf(lc.whoAmI());
    expect(err).toBeInstanceOf(LcApiError);
    expect(err).not.toBeInstanceOf(LcAuthError);
    expect(err).toMatchObject({
      kind: 'http',
      status,
      method: 'GET',
      path: 'who',
      body: { error: 'boom' },
      code: 'boom',
      retryable: false,
      message: `LimaCharlie API GET who failed with HTTP ${status}: boom`,
    });
    expect(fake().calls).toHaveLength(1);
  });

  it('gives up after maxAttempts with a retryable error', async () => {
    const { lc, events } = newOrgClient(fake(), { maxAttempts: 4 });
    fake().failNext({ path: 'who', status: 429, count: 10 });

    const err = await rejectionOf(lc.whoAmI());
    expect(err).toMatchObject({ status: 429, retryable: true });
    expect(fake().calls).toHaveLength(4);
    expect(events.map((e) => e.attempt)).toEqual([1, 2, 3, 4]);
  });

  it('honours Retry-After in seconds, capped by backoff.maxMs', async () => {
    const { lc } = newOrgClient(fake(), { backoff: { baseMs: 1, maxMs: 300 } });
    fake().failNext({ path: 'who', status: 429, retryAfter: 1 });
    fake().failNext({ path: 'who', status: 429, retryAfter: 3600 });

    const started = Date.now();
    await lc.whoAmI();

    expect(fake().calls).toHaveLength(3);
    for (const gap of gapsMs(fake())) expect(gap).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const { lc } = newOrgClient(fake(), { backoff: { baseMs: 1, maxMs: 300 } });
    const at = new Date(Date.now() + 5000).toUTCString();
    fake().failNext({ path: 'who', status: 503, retryAfter: at });

    await lc.whoAmI();
    expect(gapsMs(fake())[0]).toBeGreaterThanOrEqual(250);
  });

  it('retries a dropped connection', async () => {
    const { lc, events } = newOrgClient(fake());
    fake().dropNext({ path: 'who' });

    await expect(lc.whoAmI()).resolves.toMatchObject({ orgs: expect.any(Array) });
    expect(events.map((e) => e.status)).toEqual([0, 200]);
  });

  it('reports an unreachable API as a retryable network error after every attempt', async () => {
    const closed = new FakeLimaCharlie();
    await closed.start();
    const apiUrl = closed.url;
    await closed.stop();
    const events: number[] = [];
    const lc = new LimaCharlieClient({
      oid: '6c7b1b4a-6f36-4c1e-9d1e-2f6c0d1a9b10',
      jwt: 'secret-token-value',
      apiUrl,
      backoff: { baseMs: 1, maxMs: 5 },
      onApiCall: (e) => events.push(e.status),
    });

    const err = await rejectionOf(lc.whoAmI());
    expect(err).toBeInstanceOf(LcApiError);
    expect(err).toMatchObject({ kind: 'network', status: 0, retryable: true });
    expect((err as Error).message).toMatch(/network error \(ECONNREFUSED\)/);
    expect((err as Error).message).not.toContain('secret-token-value');
    expect(events).toEqual([0, 0, 0]);
  });

  it('times out a hanging call and retries it', async () => {
    // Long enough that the healthy retry never times out too on a busy machine.
    const { lc } = newOrgClient(fake(), { timeoutMs: 1000 });
    fake().hangNext({ path: 'who' });

    await expect(lc.whoAmI()).resolves.toMatchObject({ orgs: expect.any(Array) });
    expect(fake().calls).toHaveLength(2);
  });

  it('fails with a timeout error when every attempt hangs', async () => {
    const { lc } = newOrgClient(fake(), { timeoutMs: 100, maxAttempts: 2 });
    fake().hangNext({ path: 'who', count: 2 });

    const err = await rejectionOf(lc.whoAmI());
    expect(err).toMatchObject({ kind: 'timeout', status: 0, retryable: true });
    expect((err as Error).message).toBe('LimaCharlie API GET who timed out after 100 ms');
  });

  it('aborts promptly when the deadline passes in the middle of a retry wait', async () => {
    const deadline = new AbortController();
    const { lc } = newOrgClient(fake(), {
      signal: deadline.signal,
      backoff: { baseMs: 1, maxMs: 60_000 },
      onApiCall: () => setTimeout(() => deadline.abort(), 50),
    });
    fake().failNext({ path: 'who', status: 429, retryAfter: 30 });

    const started = Date.now();
    const err = await rejectionOf(lc.whoAmI());

    // Against a 30 s Retry-After, a loose bound that a busy machine cannot break.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(LcApiError);
    expect(err).toMatchObject({ kind: 'deadline', status: 0, path: 'who' });
    expect((err as Error).message).toBe(
      'LimaCharlie API GET who aborted: the request deadline passed',
    );
    expect((err as Error).cause).toMatchObject({ status: 429 });
    expect(fake().calls).toHaveLength(1);
  });

  it('aborts a hanging call at the deadline', async () => {
    const { lc } = newOrgClient(fake(), { signal: AbortSignal.timeout(100) });
    fake().hangNext({ path: 'who' });

    const err = await rejectionOf(lc.whoAmI());
    expect(err).toMatchObject({ kind: 'deadline', status: 0 });
    expect(fake().calls).toHaveLength(1);
  });

  it('takes the deadline as a function, asked for once, on the first request', async () => {
    let asked = 0;
    const { lc } = newOrgClient(fake(), {
      signal: () => {
        asked++;
        return AbortSignal.timeout(100);
      },
    });
    expect(asked).toBe(0);
    fake().hangNext({ path: 'who' });

    const err = await rejectionOf(lc.whoAmI());
    expect(err).toMatchObject({ kind: 'deadline', status: 0 });
    await lc.org.info().catch(() => undefined);
    expect(asked).toBe(1);
  });

  it('makes no call once the deadline has passed', async () => {
    const deadline = new AbortController();
    deadline.abort();
    const { lc } = newOrgClient(fake(), { signal: deadline.signal });

    await expect(lc.org.info()).rejects.toMatchObject({ kind: 'deadline' });
    expect(fake().calls).toHaveLength(0);
  });

  it('treats 401 as terminal: typed error, one attempt, no JWT in its text', async () => {
    const { lc, jwt, events } = newOrgClient(fake());
    fake().expireToken(jwt);

    const err = await rejectionOf(lc.whoAmI());

    expect(err).toBeInstanceOf(LcAuthError);
    expect(err).toBeInstanceOf(LcApiError);
    expect(err).toMatchObject({ status: 401, retryable: false, permission: undefined });
    expect((err as Error).message).toBe(
      'LimaCharlie API GET who was refused (HTTP 401): the JWT has expired or lacks a permission ' +
        'for this call (unauthorized: token expired)',
    );
    expect(JSON.stringify({ ...(err as object), message: (err as Error).message })).not.toContain(
      jwt,
    );
    expect(events).toHaveLength(1);
  });

  it('names the missing permission of a 401', async () => {
    const { lc, oid } = newOrgClient(fake(), { perms: ['sensor.get'] });
    const { sid } = fake().addSensor(oid, { hostname: 'h' });

    const err = await rejectionOf(lc.sensor(sid).task('os_version'));

    expect(err).toBeInstanceOf(LcAuthError);
    expect(err).toMatchObject({ permission: 'sensor.task' });
    expect((err as Error).message).toContain('the JWT lacks the permission sensor.task');
    expect(fake().tasks).toHaveLength(0);
  });

  it('redacts the JWT if an error body echoes it', async () => {
    const { lc, jwt } = newOrgClient(fake());
    fake().failNext({ path: 'who', status: 400, body: { error: `bad token ${jwt}` } });

    const err = await rejectionOf(lc.whoAmI());
    expect((err as Error).message).toContain('bad token [redacted]');
    expect(JSON.stringify((err as LcApiError).body)).not.toContain(jwt);
  });

  it('reports a non-JSON error body as text', async () => {
    const { lc } = newOrgClient(fake());
    fake().failNext({ path: 'who', status: 500, body: '<html>upstream failure</html>' });

    const err = await rejectionOf(lc.whoAmI());
    expect(err).toMatchObject({ status: 500, body: '<html>upstream failure</html>' });
    expect((err as Error).message).toContain('<html>upstream failure</html>');
  });

  it('rejects a 2xx whose body is not JSON', async () => {
    const { lc } = newOrgClient(fake());
    fake().failNext({ path: 'who', status: 200, body: 'ok' });

    await expect(lc.whoAmI()).rejects.toMatchObject({ status: 200, retryable: false });
  });

  it('ignores an onApiCall hook that throws', async () => {
    const { lc } = newOrgClient(fake(), {
      onApiCall: () => {
        throw new Error('metrics down');
      },
    });
    await expect(lc.whoAmI()).resolves.toMatchObject({ orgs: expect.any(Array) });
  });
});
